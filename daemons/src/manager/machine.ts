/**
 * The manager's state machine (PROTOCOL.md sections 1, 2 and 6) as a pure function: one
 * request and the current state in, the next state, the reply and what changed out. No
 * sockets, timers or output, so the daemon, the tests and traces all drive the same code.
 *
 * Order of checks for every request but register: BUSY (a global condition), then
 * NOT_REGISTERED and NOT_YOURS, then the command's own rules. Identity comes before the
 * command's rules so a sender speaking for another peer learns nothing about that peer.
 */
import type { ManagerRequest, ManagerRequestType } from "../protocol/messages.ts";
import { dhtRebuilt, joinDht, leaveDht } from "./churn.ts";
import { dhtComplete, queryDht, setupDht, teardownComplete, teardownDht } from "./dht-lifecycle.ts";
import { checkIn, reportDead } from "./liveness.ts";
import { type DatagramSource, deregister, register } from "./registration.ts";
import { failure, type ManagerResult, quote } from "./result.ts";
import type { ManagerState, Pending, RegisteredPeer } from "./state.ts";
import { sourceIpv4 } from "./validation.ts";

export type { DatagramSource } from "./registration.ts";
export type { ManagerResult } from "./result.ts";
export type {
  Dht,
  DhtPhase,
  ManagerChange,
  ManagerState,
  Pending,
  RegisteredPeer,
  Standing,
} from "./state.ts";
export { describeState, initialManagerState } from "./state.ts";

/** The completion message each kind of wait ends with, and what is going on meanwhile. */
const AWAITED: Record<Pending["kind"], { message: ManagerRequestType; activity: string }> = {
  setup: { message: "dht-complete", activity: "the DHT is being built" },
  leave: { message: "dht-rebuilt", activity: "a member leaves the DHT" },
  join: { message: "dht-rebuilt", activity: "a peer joins the DHT" },
  teardown: { message: "teardown-complete", activity: "the DHT is being torn down" },
  repair: { message: "dht-rebuilt", activity: "the ring is repaired without a dead member" },
};

/**
 * Handles one request. `from` is the datagram's source address; `random` returns values in
 * [0, 1) and picks the members of a new DHT and the member a query starts at.
 */
export function handleRequest(
  state: ManagerState,
  request: ManagerRequest,
  from: DatagramSource,
  random: () => number,
): ManagerResult {
  const { pending } = state;
  // Who is dead is answered even while a wait runs: the repair that drops a paused peer
  // is exactly when it asks.
  if (request.type === "check-in") {
    const caller = identify(state, request, from);
    return "reply" in caller ? caller : checkIn(state, caller);
  }
  // A member dead while the DHT is built or rebuilt ends that wait at once (liveness.ts).
  const deadInBuild =
    request.type === "report-dead" && pending !== null && pending.kind !== "teardown";
  if (pending !== null && request.type !== AWAITED[pending.kind].message && !deadInBuild) {
    const { message, activity } = AWAITED[pending.kind];
    const busy = failure(
      state,
      "BUSY",
      `busy: waiting for ${message} from ${pending.peer} while ${activity}`,
    );
    // A repair takes a second or so and keeps every record (a replicated ring's copies or
    // the year's file): a query or write may wait for it instead of failing.
    const waitable = pending.kind === "repair" && request.type === "query-dht";
    return waitable ? { ...busy, reply: { ...busy.reply, retry: true } } : busy;
  }
  if (request.type === "register") return register(state, request, from);
  const caller = identify(state, request, from);
  if ("reply" in caller) return caller;

  switch (request.type) {
    case "setup-dht":
      return setupDht(state, request, caller, random);
    case "dht-complete":
      return dhtComplete(state, caller);
    case "query-dht":
      return queryDht(state, caller, random);
    case "leave-dht":
      return leaveDht(state, caller);
    case "join-dht":
      return joinDht(state, caller);
    case "dht-rebuilt":
      return dhtRebuilt(state, request, caller);
    case "deregister":
      return deregister(state, caller);
    case "teardown-dht":
      return teardownDht(state, caller);
    case "teardown-complete":
      return teardownComplete(state, caller);
    case "report-dead":
      return reportDead(state, request, caller);
  }
}

/** The registered, live peer a request names, if it came from that peer's address. */
function identify(
  state: ManagerState,
  request: Exclude<ManagerRequest, { type: "register" }>,
  from: DatagramSource,
): RegisteredPeer | ManagerResult {
  const caller = state.peers.get(request.name);
  if (caller === undefined || caller.state === "Dead") {
    const why = caller === undefined ? "is registered" : "is alive: it was reported dead";
    return failure(state, "NOT_REGISTERED", `no peer named ${quote(request.name)} ${why}`);
  }
  if (sourceIpv4(from.ip) !== caller.ip || from.port !== caller.mport) {
    return failure(
      state,
      "NOT_YOURS",
      `requests naming "${caller.name}" are only accepted from the address it registered from, not ${from.ip}:${from.port}`,
    );
  }
  return caller;
}
