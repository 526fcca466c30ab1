/** setup-dht, dht-complete, query-dht, teardown-dht and teardown-complete. */
import type { ManagerRequestOf } from "../protocol/messages.ts";
import { failure, type ManagerResult, quote, success } from "./result.ts";
import {
  type Dht,
  type ManagerState,
  MIN_RING_SIZE,
  type PeerUpdate,
  type RegisteredPeer,
  requirePeer,
  tupleOf,
  updatePeers,
} from "./state.ts";
import { isFourDigitYear } from "./validation.ts";

export function setupDht(
  state: ManagerState,
  request: ManagerRequestOf<"setup-dht">,
  caller: RegisteredPeer,
  random: () => number,
): ManagerResult {
  const { n, year } = request;
  if (!isFourDigitYear(year)) {
    return failure(state, "BAD_ARGUMENT", `year ${quote(year)} is not four digits`);
  }
  if (n < MIN_RING_SIZE) {
    return failure(state, "N_TOO_SMALL", `a DHT needs at least ${MIN_RING_SIZE} peers, not ${n}`);
  }
  const { replicas } = request;
  if (replicas !== undefined && (replicas < 1 || replicas > n)) {
    return failure(
      state,
      "BAD_ARGUMENT",
      `replicas=${replicas}: a record can have from 1 to n = ${n} copies`,
    );
  }
  // Only DHT members are not Free, so this refuses a member before DHT_EXISTS would.
  if (caller.state !== "Free") {
    return failure(state, "NOT_FREE", `peer "${caller.name}" is not Free (it is ${caller.state})`);
  }
  if (state.dht !== null) {
    return failure(state, "DHT_EXISTS", `a DHT led by "${state.dht.leader}" already exists`);
  }
  const candidates = [...state.peers.values()].filter(
    (peer) => peer.state === "Free" && peer.name !== caller.name,
  );
  if (candidates.length < n - 1) {
    return failure(
      state,
      "TOO_FEW_PEERS",
      `a DHT of ${n} needs "${caller.name}" and ${n - 1} other Free peers, but only ${candidates.length} other ${candidates.length === 1 ? "peer is" : "peers are"} Free (${state.peers.size} registered)`,
    );
  }

  const chosen = pickSome(candidates, n - 1, random);
  const members = [caller.name, ...chosen.map((peer) => peer.name)];
  const { peers, changes } = updatePeers(state.peers, [
    [caller.name, "Leader"],
    ...chosen.map((peer) => [peer.name, "InDHT"] as const),
  ]);
  const dht: Dht = { leader: caller.name, members, year, phase: "building" };
  const pending = { kind: "setup", peer: caller.name } as const;
  return success(
    { peers, dht, pending },
    [...changes, { kind: "dht", dht }, { kind: "pending", pending }],
    {
      tuples: [caller, ...chosen].map(tupleOf),
      year,
      text: `"${caller.name}" leads a DHT of ${n} peers for ${year}; waiting for dht-complete`,
    },
  );
}

export function dhtComplete(state: ManagerState, caller: RegisteredPeer): ManagerResult {
  const { dht } = state;
  if (dht === null) return failure(state, "NO_DHT", "there is no DHT being built");
  if (dht.leader !== caller.name) {
    return failure(state, "NOT_LEADER", notLeaderText(caller, dht));
  }
  if (dht.phase !== "building") {
    return failure(
      state,
      "NOT_LEADER",
      `the DHT led by "${dht.leader}" is not being built (it is ${dht.phase})`,
    );
  }
  return finishPhase(state, dht, `the DHT led by "${dht.leader}" is complete`);
}

export function queryDht(
  state: ManagerState,
  caller: RegisteredPeer,
  random: () => number,
): ManagerResult {
  const { dht } = state;
  if (dht === null || dht.phase !== "ready") {
    return failure(state, "NO_DHT", "there is no completed DHT to query");
  }
  if (caller.state !== "Free") {
    return failure(
      state,
      "NOT_FREE",
      `peer "${caller.name}" is in the DHT (${caller.state}); only Free peers may query it`,
    );
  }
  const tuple = tupleOf(requirePeer(state, pickOne(dht.members, random)));
  return success(state, [], { tuple, text: `ask DHT member "${tuple.name}"` });
}

export function teardownDht(state: ManagerState, caller: RegisteredPeer): ManagerResult {
  const { dht } = state;
  if (dht === null) return failure(state, "NO_DHT", "there is no DHT to tear down");
  if (dht.leader !== caller.name) {
    return failure(state, "NOT_LEADER", notLeaderText(caller, dht));
  }
  const next: Dht = { ...dht, phase: "tearing-down" };
  const pending = { kind: "teardown", peer: caller.name } as const;
  return success(
    { ...state, dht: next, pending },
    [
      { kind: "dht", dht: next },
      { kind: "pending", pending },
    ],
    { text: `"${caller.name}" may tear the DHT down; waiting for teardown-complete` },
  );
}

export function teardownComplete(state: ManagerState, caller: RegisteredPeer): ManagerResult {
  const { dht, pending } = state;
  if (dht === null) return failure(state, "NO_DHT", "there is no DHT being torn down");
  if (dht.leader !== caller.name) {
    return failure(state, "NOT_LEADER", notLeaderText(caller, dht));
  }
  if (pending?.kind !== "teardown") {
    return failure(state, "NOT_LEADER", "no teardown is in progress; send teardown-dht first");
  }
  const { peers, changes } = updatePeers(
    state.peers,
    dht.members.map((name) => [name, "Free"] as const),
  );
  return success(
    { peers, dht: null, pending: null },
    [...changes, { kind: "dht", dht: null }, { kind: "pending", pending: null }],
    { text: `the DHT led by "${dht.leader}" is gone; its members are Free` },
  );
}

/** Ends a building or rebuilding phase: the DHT is ready and the manager waits no more. */
export function finishPhase(
  state: ManagerState,
  dht: Dht,
  text: string,
  updated: PeerUpdate = { peers: state.peers, changes: [] },
): ManagerResult {
  const ready: Dht = { ...dht, phase: "ready" };
  return success(
    { peers: updated.peers, dht: ready, pending: null },
    [...updated.changes, { kind: "dht", dht: ready }, { kind: "pending", pending: null }],
    { text },
  );
}

function notLeaderText(caller: RegisteredPeer, dht: Dht): string {
  return `"${caller.name}" is not the leader of the DHT (the leader is "${dht.leader}")`;
}

/**
 * Picks `count` items uniformly at random without replacement (a partial Fisher-Yates
 * shuffle), in the order drawn; `random` returns values in [0, 1) like Math.random.
 */
function pickSome<T>(items: readonly T[], count: number, random: () => number): T[] {
  const pool = [...items];
  for (let i = 0; i < count; i++) {
    const j = i + randomIndex(pool.length - i, random);
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, count);
}

function pickOne<T>(items: readonly T[], random: () => number): T {
  const item = items[randomIndex(items.length, random)];
  if (item === undefined) throw new Error("cannot pick from an empty list");
  return item;
}

/** An index in [0, length); the clamp keeps a source that returns exactly 1 in range. */
function randomIndex(length: number, random: () => number): number {
  return Math.min(length - 1, Math.floor(random() * length));
}
