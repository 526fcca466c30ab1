/**
 * A replicated ring's part of building (beyond PROTOCOL.md): the replicas= and
 * consistency= fields its messages carry, its count lines, and its rebuilds. A replicated
 * ring holds records the year's file does not (writes), so after a leave, join or repair
 * the new leader does not read the file again: every other member (and a leaver) sends it
 * what it held, then a `gathered` marker, and the leader stores that on the new ring.
 */
import type { Replication } from "../data/placement.ts";
import type { ConsistencyModel, PeerMessageOf, PeerTuple } from "../protocol/messages.ts";
import { print, ringSizeOf } from "./membership.ts";
import type { Build, Membership, PeerState, Step } from "./state.ts";

/** The optional fields of setup-dht, set-id and reset-id: none on the assignment's ring. */
export function replicationFieldsOf(replication: Replication | null): {
  replicas?: number;
  consistency?: ConsistencyModel;
} {
  return replication === null
    ? {}
    : { replicas: replication.replicas, consistency: replication.consistency };
}

export function replicationOf(message: {
  replicas?: number;
  consistency?: ConsistencyModel;
}): Replication | null {
  if (message.replicas === undefined && message.consistency === undefined) return null;
  return { replicas: message.replicas ?? 1, consistency: message.consistency ?? "chain" };
}

/** The place in a ring that a set-id or reset-id gives, not usable until its build ends. */
export function membershipFrom(
  message: PeerMessageOf<"set-id"> | PeerMessageOf<"reset-id">,
): Membership {
  const { nodeId, year, tuples } = message;
  return {
    nodeId,
    year,
    tuples,
    tableSize: null,
    usable: false,
    replication: replicationOf(message),
  };
}

/** The leader's lines once the count barrier is back, checked against the hashing. */
export function countLines(
  membership: Membership,
  build: Build,
  counts: readonly number[],
  copies: readonly number[] | null,
): string[] {
  const split = (membership.replication?.replicas ?? 1) > 1 && copies !== null;
  const lines = membership.tuples.map((tuple, nodeId) => {
    const count = counts[nodeId];
    const held = `node ${nodeId} (${tuple.name}): ${count ?? "?"} records`;
    if (!split || count === undefined) return held;
    const copiesHere = copies[nodeId] ?? 0;
    return `${held} (${count - copiesHere} primary, ${copiesHere} copies)`;
  });
  const total = counts.reduce((sum, count) => sum + count, 0);
  const primaries = total - (copies ?? []).reduce((sum, count) => sum + count, 0);
  lines.push(
    split
      ? `total: ${total} records on ${ringSizeOf(membership)} nodes (${primaries} primary, ${total - primaries} copies)`
      : `total: ${total} records on ${ringSizeOf(membership)} nodes`,
  );
  const mismatches = (build.expectedCounts ?? []).flatMap((want, nodeId) =>
    counts[nodeId] === want
      ? []
      : [`node ${nodeId} holds ${counts[nodeId] ?? "nothing"}, expected ${want}`],
  );
  if (split) {
    for (const [nodeId, want] of (build.expectedCopies ?? []).entries()) {
      if (copies[nodeId] !== want) {
        mismatches.push(`node ${nodeId} holds ${copies[nodeId] ?? "no"} copies, expected ${want}`);
      }
    }
  }
  lines.push(
    mismatches.length === 0
      ? "counts match the hashing"
      : `WARNING: counts differ from the hashing: ${mismatches.join("; ")}`,
  );
  return lines;
}

/**
 * A member renumbered for a replicated ring's rebuild: the new leader (node 0) waits for
 * everyone else's records, keeping its own; any other member sends its records there.
 * `leaver`: a leave's initiator, who is not in the new ring but sends what it held too.
 */
export function gatherOnRenumber(
  state: PeerState,
  membership: Membership,
  leaver: PeerTuple | null,
): Step {
  if (membership.replication === null) return { state, effects: [] };
  if (membership.nodeId !== 0) {
    return {
      state,
      effects: [{ kind: "gather-to", to: membership.tuples[0] as PeerTuple }],
    };
  }
  const expected = [...membership.tuples.slice(1), ...(leaver === null ? [] : [leaver])];
  return {
    state: { ...state, gathering: { expected, arrived: [] } },
    effects: [{ kind: "start-gathering" }],
  };
}

/** The rebuild starts once every member's records are here. */
export function startGatheredBuild(state: PeerState, year: string): Step {
  const { gathering } = state;
  if (gathering === null) return { state, effects: [] };
  const complete = gathering.expected.every((tuple) => gathering.arrived.includes(tuple.name));
  if (!complete) return { state, effects: [] };
  const total = gathering.expected.length;
  return {
    state: { ...state, gathering: null },
    effects: [
      print(`gathered the records of ${total} ${total === 1 ? "member" : "members"}`),
      { kind: "load-gathered", year },
    ],
  };
}

export function onGatheredStore(state: PeerState, message: PeerMessageOf<"store">): Step {
  return { state, effects: [{ kind: "keep-gathered", records: message.records }] };
}

export function onGathered(state: PeerState, message: PeerMessageOf<"gathered">): Step {
  const { gathering, build, membership } = state;
  if (gathering === null || membership === null) return { state, effects: [] };
  const arrived = [...gathering.arrived, message.from];
  const next = { ...state, gathering: { ...gathering, arrived } };
  // rebuild-dht may come before the last marker (they travel on different links).
  const waiting = build?.purpose === "rebuild" && build.records === null;
  return waiting ? startGatheredBuild(next, membership.year) : { state: next, effects: [] };
}
