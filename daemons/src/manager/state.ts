/**
 * The manager's state information base (PROTOCOL.md section 1) as immutable values: every
 * transition builds a new state, so a caller can keep the old one and tests can compare.
 */
import type { PeerTuple } from "../protocol/messages.ts";

/**
 * A registered peer's standing in the registry (PROTOCOL.md section 1), and Dead: a member
 * its left neighbour reported silent. A dead peer's name and ports may be registered again.
 */
export type Standing = "Free" | "Leader" | "InDHT" | "Dead";

export { MIN_RING_SIZE } from "../protocol/ring-limits.ts";

export interface RegisteredPeer {
  readonly name: string;
  readonly ip: string;
  /** Where the peer talks to the manager; requests naming the peer must come from here. */
  readonly mport: number;
  /** Where other peers reach it; this is the port in its tuple. */
  readonly pport: number;
  readonly state: Standing;
}

export type DhtPhase = "building" | "ready" | "rebuilding" | "tearing-down";

export interface Dht {
  readonly leader: string;
  /** Ring order: index = node id, so the leader (id 0) is first. */
  readonly members: readonly string[];
  readonly year: string;
  readonly phase: DhtPhase;
}

/** The DHT as snapshots show it: the ring size is spelt out for readers. */
export type DhtSnapshot = Dht & { readonly ringSize: number };

/** The completion message the manager waits for, and the peer that must send it. */
export interface Pending {
  readonly kind: "setup" | "leave" | "join" | "teardown" | "repair";
  readonly peer: string;
  /** A repair: the dead member the ring is rebuilt without. */
  readonly dead?: string;
}

export interface ManagerState {
  /** Keyed by name; a Map keeps registration order for listings. */
  readonly peers: ReadonlyMap<string, RegisteredPeer>;
  readonly dht: Dht | null;
  readonly pending: Pending | null;
}

/** What one request changed, for observers and traces; a null state means "not registered". */
export type ManagerChange =
  | { kind: "peer-state"; name: string; from: Standing | null; to: Standing | null }
  | { kind: "dht"; dht: Dht | null }
  | { kind: "pending"; pending: Pending | null };

export function initialManagerState(): ManagerState {
  return { peers: new Map(), dht: null, pending: null };
}

export function tupleOf(peer: RegisteredPeer): PeerTuple {
  return { name: peer.name, ip: peer.ip, port: peer.pport };
}

/** Looks up a peer the state says must exist (a DHT member cannot deregister). */
export function requirePeer(state: ManagerState, name: string): RegisteredPeer {
  const peer = state.peers.get(name);
  if (peer === undefined) {
    throw new Error(`manager state is inconsistent: DHT member "${name}" is not registered`);
  }
  return peer;
}

export interface PeerUpdate {
  peers: ReadonlyMap<string, RegisteredPeer>;
  changes: ManagerChange[];
}

/**
 * Applies state changes to the named peers (null removes the peer), returning the new peer
 * map and one change per peer whose state actually changed, in the order given.
 */
export function updatePeers(
  peers: ReadonlyMap<string, RegisteredPeer>,
  updates: ReadonlyArray<readonly [string, Standing | null]>,
): PeerUpdate {
  const next = new Map(peers);
  const changes: ManagerChange[] = [];
  for (const [name, to] of updates) {
    const peer = next.get(name);
    const from = peer?.state ?? null;
    if (from === to) continue;
    if (peer === undefined) {
      throw new Error(`cannot change the state of unregistered peer "${name}"`);
    }
    if (to === null) next.delete(name);
    else next.set(name, { ...peer, state: to });
    changes.push({ kind: "peer-state", name, from, to });
  }
  return { peers: next, changes };
}

/** What the manager shows of itself: its registry, the DHT and what it is waiting for. */
export interface ManagerSnapshot {
  peers: RegisteredPeer[];
  dht: DhtSnapshot | null;
  pending: Pending | null;
}

/** The one place a peer's name is looked up in the registry: its standing, if registered. */
export function standingIn(
  manager: ManagerSnapshot | null,
  name: string | null,
): Standing | "unregistered" {
  if (manager === null || name === null) return "unregistered";
  return manager.peers.find((peer) => peer.name === name)?.state ?? "unregistered";
}

/** A plain JSON-able snapshot for observation channels. */
export function describeState(state: ManagerState): ManagerSnapshot {
  return {
    peers: [...state.peers.values()].map((peer) => ({ ...peer })),
    dht:
      state.dht === null
        ? null
        : { ...state.dht, members: [...state.dht.members], ringSize: state.dht.members.length },
    pending: state.pending === null ? null : { ...state.pending },
  };
}
