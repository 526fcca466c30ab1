/** Builds requests and drives the manager machine for the manager's unit tests. */
import assert from "node:assert/strict";
import {
  type DatagramSource,
  handleRequest,
  initialManagerState,
  type ManagerResult,
  type ManagerState,
  type Standing,
} from "../../../src/manager/machine.ts";
import type { ManagerRequest, ManagerRequestBody } from "../../../src/protocol/messages.ts";
import type { FailureReason } from "../../../src/protocol/reasons.ts";

export const PEER_IP = "10.0.0.1";
/** A sender that no peer registered from. */
export const STRANGER: DatagramSource = { ip: "10.9.9.9", port: 9_999 };

let nextMessageId = 1;

/** A full request datagram: `body` inside the envelope fields the transport would add. */
export function request(body: ManagerRequestBody): ManagerRequest {
  return { v: 1, from: body.name, sess: 1, id: nextMessageId++, clock: 0, ...body };
}

/** A random source that always draws the lowest index. */
export const lowest = () => 0;

/** A random source returning the given values in turn, from the start again when used up. */
export function sequence(...values: number[]): () => number {
  let next = 0;
  return () => values[next++ % values.length] ?? 0;
}

export interface SendOptions {
  from?: DatagramSource;
  random?: () => number;
}

/**
 * Sends one request and checks that the input state was left as it was. By default the
 * datagram comes from where a correct peer would send it: the m-port being registered,
 * the named peer's registered m-port, or a stranger's address for an unknown name.
 */
export function send(
  state: ManagerState,
  body: ManagerRequestBody,
  options: SendOptions = {},
): ManagerResult {
  const before = structuredClone(state);
  const from = options.from ?? defaultSource(state, body);
  const result = handleRequest(state, request(body), from, options.random ?? lowest);
  assert.deepEqual(state, before, `${body.type} mutated its input state`);
  return result;
}

function defaultSource(state: ManagerState, body: ManagerRequestBody): DatagramSource {
  if (body.type === "register") return { ip: body.ip, port: body.mport };
  return registeredSource(state, body.name) ?? STRANGER;
}

export function registeredSource(state: ManagerState, name: string): DatagramSource | undefined {
  const peer = state.peers.get(name);
  return peer && { ip: peer.ip, port: peer.mport };
}

/** Sends a request that must succeed. */
export function succeed(
  state: ManagerState,
  body: ManagerRequestBody,
  options: SendOptions = {},
): ManagerResult {
  const result = send(state, body, options);
  assert.equal(result.reply.status, "SUCCESS", `${body.type}: ${result.reply.text}`);
  assert.equal(result.reply.reason, undefined);
  return result;
}

/** Sends a request that must fail with `reason`, leave the state alone, and say why. */
export function refuse(
  state: ManagerState,
  body: ManagerRequestBody,
  reason: FailureReason,
  options: SendOptions = {},
): string {
  const result = send(state, body, options);
  assert.equal(result.reply.status, "FAILURE", `${body.type} succeeded`);
  assert.equal(result.reply.reason, reason, `${body.type}: ${result.reply.text}`);
  assert.ok(result.reply.text && result.reply.text.length > 0, "a failure says what was wrong");
  assert.equal(result.state, state, "a failure keeps the state");
  assert.deepEqual(result.changes, []);
  return result.reply.text;
}

/** The register body for the peer at `index`: one IP, distinct port pairs. */
export function registration(name: string, index: number): ManagerRequestBody {
  return {
    type: "register",
    name,
    ip: PEER_IP,
    mport: 5_000 + 2 * index,
    pport: 5_001 + 2 * index,
  };
}

export function registered(names: readonly string[]): ManagerState {
  return names.reduce(
    (state, name, index) => succeed(state, registration(name, index)).state,
    initialManagerState(),
  );
}

export const SIX = ["alice", "bob", "carol", "dave", "erin", "frank"] as const;

/**
 * `names` registered and a ready DHT of the first `n`, led by the first: drawing the lowest
 * index keeps the chosen peers in registration order, so the ring is names[0..n-1].
 */
export function withReadyDht(names: readonly string[], n: number, year = "1996"): ManagerState {
  const leader = names[0] ?? "";
  const built = succeed(registered(names), { type: "setup-dht", name: leader, n, year });
  return succeed(built.state, { type: "dht-complete", name: leader }).state;
}

export function stateOf(state: ManagerState, name: string): Standing | undefined {
  return state.peers.get(name)?.state;
}

export function statesOf(state: ManagerState): Record<string, Standing> {
  return Object.fromEntries([...state.peers.values()].map((peer) => [peer.name, peer.state]));
}
