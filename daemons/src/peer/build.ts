/**
 * Storing a year on the ring (PROTOCOL.md section 4), as pure steps of the peer state
 * machine: set-id, the leader's distribution, the store flood node to node, and the
 * count barrier that ends a setup or a rebuild.
 */
import { tableSizeFor } from "../data/hashing.ts";
import { expectedHoldings, type Replication } from "../data/placement.ts";
import type { PeerBody, PeerMessageOf, PeerTuple } from "../protocol/messages.ts";
import { eventIdOfLine } from "../protocol/record-line.ts";
import { finishCurrent, REFUSED } from "./command-lifecycle.ts";
import { print, requestOf, rightNeighbourOf, ringSizeOf } from "./membership.ts";
import { splitStore } from "./placement-split.ts";
import {
  countLines,
  membershipFrom,
  replicationFieldsOf,
  startGatheredBuild,
} from "./replication.ts";
import type { Build, Membership, PeerEffect, PeerEvent, PeerState, Step } from "./state.ts";

/** setup-dht succeeded: we are node 0; tell every other node its id, then store. */
export function startSetup(
  state: PeerState,
  tuples: PeerTuple[],
  year: string,
  replication: Replication | null,
): Step {
  const ringSize = tuples.length;
  const membership: Membership = {
    nodeId: 0,
    year,
    tuples,
    tableSize: null,
    usable: false,
    replication,
  };
  const otherIds = tuples.map((_, nodeId) => nodeId).filter((nodeId) => nodeId !== 0);
  const build: Build = {
    purpose: "setup",
    initiator: null,
    awaitingSetId: otherIds,
    records: state.build?.records ?? null,
    tableSize: null,
    expectedCounts: null,
    expectedCopies: null,
    repairOf: null,
  };
  const effects: PeerEffect[] = otherIds.map((nodeId) => ({
    kind: "send",
    to: tuples[nodeId] as PeerTuple,
    body: { type: "set-id", nodeId, ringSize, year, tuples, ...replicationFieldsOf(replication) },
    notify: true,
  }));
  const next = { ...state, membership, build };
  return effects.length === 0 ? distribute(next) : { state: next, effects };
}

export function handleDelivered(state: PeerState, body: PeerBody): Step {
  const build = state.build;
  if (body.type !== "set-id" || build === null) return { state, effects: [] };
  const awaitingSetId = build.awaitingSetId.filter((nodeId) => nodeId !== body.nodeId);
  const next = { ...state, build: { ...build, awaitingSetId } };
  // Stores reach node i through node i-1, so every node must know its id before any store leaves.
  return awaitingSetId.length === 0 ? distribute(next) : { state: next, effects: [] };
}

export function handleLoaded(
  state: PeerState,
  event: Extract<PeerEvent, { kind: "loaded" | "load-failed" }>,
): Step {
  const build = state.build;
  const forRebuild =
    build?.purpose === "rebuild" && build.tableSize === null && build.records === null;
  if (event.kind === "load-failed") {
    const effects = [print(`${forRebuild ? "rebuild" : "setup-dht"} refused: ${event.error}`)];
    if (forRebuild) return { state, effects };
    const failure = event.missing ? { reason: "MISSING_YEAR", year: event.year } : REFUSED;
    return finishCurrent({ state: { ...state, awaiting: null }, effects }, failure, ["setup-dht"]);
  }
  if (forRebuild && build !== null)
    return distribute({ ...state, build: { ...build, records: event.records } });
  if (state.awaiting?.kind !== "load") return { state, effects: [] };
  const { name, ringSize, year, replication } = state.awaiting.command;
  const request = {
    type: "setup-dht" as const,
    name,
    n: ringSize,
    year,
    ...replicationFieldsOf(replication),
  };
  // Keep the records for the build that starts if the manager says SUCCESS.
  const pending: Build = {
    purpose: "setup",
    initiator: null,
    awaitingSetId: [],
    records: event.records,
    tableSize: null,
    expectedCounts: null,
    expectedCopies: null,
    repairOf: null,
  };
  const sent = requestOf(state, request);
  return {
    state: {
      ...sent.state,
      build: pending,
      awaiting: { kind: "manager", requestId: sent.requestId, request, eventId: null },
    },
    effects: [sent.effect],
  };
}

/** Leader: keep our own records, send the rest round the ring, then the count barrier. */
function distribute(state: PeerState): Step {
  const { build, membership } = state;
  if (
    build === null ||
    membership === null ||
    build.records === null ||
    build.awaitingSetId.length > 0
  ) {
    return { state, effects: [] };
  }
  const records = build.records;
  const tableSize = tableSizeFor(records.length);
  const ringSize = ringSizeOf(membership);
  const { own, onward, copies } = splitStore(records, tableSize, membership);
  const rightNeighbour = rightNeighbourOf(membership);
  const replicated = membership.replication !== null;
  const copiesNote = replicated ? `, ${membership.replication?.replicas} copies of each` : "";
  const effects: PeerEffect[] = [
    print(
      `storing ${records.length} records of ${membership.year} on ${ringSize} nodes (s = ${tableSize}${copiesNote})`,
    ),
    { kind: "drop-table" },
    {
      kind: "store-local",
      records: own,
      tableSize,
      total: records.length,
      ...(replicated ? { copies } : {}),
    },
  ];
  if (onward.length > 0)
    effects.push({ kind: "send-records", to: rightNeighbour, lines: onward, tableSize });
  effects.push({
    kind: "forward-count",
    to: rightNeighbour,
    counts: [],
    tableSize,
    ...(replicated ? { copies: [] } : {}),
  });
  const expected = expectedHoldings(
    records.map(eventIdOfLine),
    tableSize,
    ringSize,
    membership.replication?.replicas ?? 1,
  );
  return {
    state: {
      ...state,
      membership: { ...membership, tableSize },
      build: {
        ...build,
        records: null,
        tableSize,
        expectedCounts: expected.counts,
        expectedCopies: replicated ? expected.copies : null,
      },
    },
    effects,
  };
}

export function onSetId(state: PeerState, message: PeerMessageOf<"set-id">): Step {
  const membership = membershipFrom(message);
  const { nodeId, tuples } = membership;
  return {
    state: { ...state, membership },
    effects: [
      print(
        `joined a DHT of ${tuples.length} nodes as node ${nodeId}; right neighbour ${rightNeighbourOf(membership).name}`,
      ),
    ],
  };
}

export function onStore(state: PeerState, message: PeerMessageOf<"store">): Step {
  // Admitted only while this peer is a member being built (admission.ts).
  const membership = state.membership as Membership;
  const { tableSize, records: lines } = message;
  // Lines travel on and are stored as they came; a node reads only their event ids.
  const { own, onward, copies } = splitStore(lines, tableSize, membership);
  const effects: PeerEffect[] = [];
  if (own.length > 0) {
    const copiesHere = membership.replication === null ? {} : { copies };
    effects.push({ kind: "store-local", records: own, tableSize, ...copiesHere });
  }
  // A store never returns to the leader: records for node k stop at node k.
  if (onward.length > 0 && membership.nodeId !== 0) {
    effects.push({
      kind: "send-records",
      to: rightNeighbourOf(membership),
      lines: onward,
      tableSize,
    });
  }
  const next =
    membership.tableSize === tableSize
      ? state
      : { ...state, membership: { ...membership, tableSize } };
  return { state: next, effects };
}

export function onCount(state: PeerState, message: PeerMessageOf<"count">): Step {
  const { membership, build } = state;
  if (membership === null) return { state, effects: [] };
  if (membership.nodeId === 0)
    return build === null
      ? { state, effects: [] }
      : finishBuild(state, membership, build, message.counts, message.copies ?? null);
  return {
    state: { ...state, membership: { ...membership, tableSize: message.tableSize, usable: true } },
    effects: [
      {
        kind: "forward-count",
        to: rightNeighbourOf(membership),
        counts: message.counts,
        tableSize: message.tableSize,
        ...(message.copies === undefined ? {} : { copies: message.copies }),
      },
    ],
  };
}

/** The barrier is back at the leader: print what each node holds and report completion. */
function finishBuild(
  state: PeerState,
  membership: Membership,
  build: Build,
  counts: number[],
  copies: number[] | null,
): Step {
  // The leader is node 0 of its own ring.
  const leader = (membership.tuples[0] as PeerTuple).name;
  const effects: PeerEffect[] =
    build.repairOf === null ? [] : [print(`dht-repaired ${build.repairOf} ${leader}`)];
  effects.push(...countLines(membership, build, counts, copies).map(print));
  const finished = { ...state, membership: { ...membership, usable: true }, build: null };
  if (build.purpose === "setup") {
    const sent = requestOf(finished, { type: "dht-complete", name: leader });
    return { state: sent.state, effects: [...effects, sent.effect] };
  }
  if (build.initiator !== null) {
    const body: PeerBody = {
      type: "rebuild-done",
      leader,
      counts,
      ...(copies === null ? {} : { copies }),
    };
    effects.push({ kind: "send", to: build.initiator, body });
  }
  return { state: finished, effects };
}

/**
 * A leader asked to store the ring again once renumbered: the year's file, or on a
 * replicated ring the records its members held, gathered here (replication.ts).
 */
export function beginRebuild(
  state: PeerState,
  year: string,
  initiator: PeerTuple,
  repairOf: string | null,
): Step {
  const build: Build = {
    purpose: "rebuild",
    initiator,
    repairOf,
    awaitingSetId: [],
    records: null,
    tableSize: null,
    expectedCounts: null,
    expectedCopies: null,
  };
  if (state.membership?.replication) return startGatheredBuild({ ...state, build }, year);
  return { state: { ...state, build }, effects: [{ kind: "load", year }] };
}
