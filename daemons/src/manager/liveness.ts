/**
 * A member's report that its right neighbour died (peer liveness, beyond PROTOCOL.md): the
 * manager marks the peer Dead and either waits for the reporter to repair the ring without
 * it (a dht-rebuilt ends the repair), or, if too few members are left for a ring or the
 * ring was being built or rebuilt (a setup, leave, join or repair under way), ends the DHT
 * at once and frees the survivors, whose tables the reporter's teardown then drops.
 */
import type { ManagerRequestOf } from "../protocol/messages.ts";
import { failure, type ManagerResult, quote, success } from "./result.ts";
import {
  type Dht,
  type ManagerState,
  MIN_RING_SIZE,
  type Pending,
  type RegisteredPeer,
  requirePeer,
  type Standing,
  tupleOf,
  updatePeers,
} from "./state.ts";

export function reportDead(
  state: ManagerState,
  request: ManagerRequestOf<"report-dead">,
  caller: RegisteredPeer,
): ManagerResult {
  const { dht } = state;
  if (dht === null) return failure(state, "NO_DHT", "there is no DHT");
  const { pending } = state;
  // While a leave or join rebuilds, a member's right neighbour is the one of the new ring.
  const rings = [dht.members, ...(pending === null ? [] : [ringAfter(dht.members, pending)])];
  const rightNeighbours = rings.flatMap((ring) => {
    const at = ring.indexOf(caller.name);
    const right = ring[(at + 1) % ring.length];
    return at < 0 || right === undefined || right === caller.name ? [] : [right];
  });
  if (!rings.some((ring) => ring.includes(caller.name))) {
    return failure(state, "NOT_IN_DHT", `peer "${caller.name}" is not a member of the DHT`);
  }
  const right = rightNeighbours.find((name) => name === request.peer);
  if (right === undefined) {
    const allowed = [...new Set(rightNeighbours)].map((name) => `"${name}"`).join(" or ");
    return failure(
      state,
      "BAD_ARGUMENT",
      `"${caller.name}" can only report its right neighbour (${allowed}), not ${quote(request.peer)}`,
    );
  }
  if (pending !== null) {
    // What was being built cannot be finished without the dead member, nor undone.
    return endDht(state, dht, right, `${request.reason}; ${BUILDING[pending.kind]}`);
  }
  const survivors = ringWithout(dht.members, right);
  if (survivors.length < MIN_RING_SIZE) {
    const left = survivors.length;
    return endDht(state, dht, right, `${request.reason}; ${left} members are too few for a ring`);
  }
  return startRepair(state, dht, caller, right, survivors);
}

const BUILDING: Record<Pending["kind"], string> = {
  setup: "the DHT was still being built",
  leave: "the ring was being rebuilt for a leave",
  join: "the ring was being rebuilt for a join",
  repair: "the ring was being repaired",
  teardown: "the DHT was being torn down",
};

/** The ring the pending leave or join makes (a setup or repair keeps the manager's own). */
function ringAfter(members: readonly string[], pending: Pending): readonly string[] {
  if (pending.kind === "leave") return ringWithout(members, pending.peer);
  if (pending.kind === "join") return [...members, pending.peer];
  if (pending.kind === "repair" && pending.dead !== undefined) {
    return ringWithout(members, pending.dead);
  }
  return members;
}

/** The ring without the dead member, from its right neighbour on: the new ids, leader first. */
export function ringWithout(members: readonly string[], dead: string): string[] {
  const at = members.indexOf(dead);
  return [...members.slice(at + 1), ...members.slice(0, at)];
}

function startRepair(
  state: ManagerState,
  dht: Dht,
  caller: RegisteredPeer,
  dead: string,
  survivors: string[],
): ManagerResult {
  const rebuilding: Dht = { ...dht, phase: "rebuilding" };
  const pending = { kind: "repair", peer: caller.name, dead } as const;
  const { peers, changes } = updatePeers(state.peers, [[dead, "Dead"]]);
  return success(
    { peers, dht: rebuilding, pending },
    [...changes, { kind: "dht", dht: rebuilding }, { kind: "pending", pending }],
    {
      repair: "rebuild",
      tuples: survivors.map((name) => tupleOf(requirePeer(state, name))),
      text: `"${dead}" is dead; "${caller.name}" repairs the ring without it, led by "${survivors[0]}"; waiting for dht-rebuilt`,
    },
  );
}

function endDht(state: ManagerState, dht: Dht, dead: string, why: string): ManagerResult {
  const updates: [string, Standing][] = dht.members.map((name) => [
    name,
    name === dead ? "Dead" : "Free",
  ]);
  const { peers, changes } = updatePeers(state.peers, updates);
  return success(
    { peers, dht: null, pending: null },
    [...changes, { kind: "dht", dht: null }, { kind: "pending", pending: null }],
    {
      repair: "teardown",
      text: `"${dead}" is dead (${why}), so the DHT is torn down`,
    },
  );
}

/**
 * A member's check that the manager's DHT is the ring it believes it is in (after a pause,
 * and every few seconds): the members in ring order if it is one, none if it is not. While
 * a wait runs the ring is changing, so the answer is BUSY and the member asks again later.
 */
export function checkIn(state: ManagerState, caller: RegisteredPeer): ManagerResult {
  const { dht, pending } = state;
  if (pending !== null) return failure(state, "BUSY", "busy: the DHT is changing; check in later");
  const standing = `peer ${quote(caller.name)} is ${caller.state}`;
  if (dht === null || !dht.members.includes(caller.name)) {
    return success(state, [], { text: `${standing}, in no DHT` });
  }
  const tuples = dht.members.map((name) => tupleOf(requirePeer(state, name)));
  return success(state, [], { text: `${standing}, in the DHT of ${dht.year}`, tuples });
}
