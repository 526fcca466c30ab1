/**
 * Leave, join and teardown (PROTOCOL.md section 6), as pure steps of the peer state
 * machine: the teardown round, the reset-id renumbering round, and the hand-over to the
 * leader that rebuilds the ring.
 */
import type { PeerBody, PeerMessageOf, PeerTuple } from "../protocol/messages.ts";
import { beginRebuild } from "./build.ts";
import { finishCurrent, REFUSED } from "./command-lifecycle.ts";
import { myTuple, print, requestOf, rightNeighbourOf } from "./membership.ts";
import { onRepairRenumbered, onRepairTeardownBack } from "./repair.ts";
import { gatherOnRenumber, membershipFrom, replicationFieldsOf } from "./replication.ts";
import type { Churn, Membership, PeerEffect, PeerState, Step } from "./state.ts";

/** Start a teardown from this node; it comes back round the ring to us. */
export function beginTeardown(
  state: PeerState,
  purpose: "leave" | "teardown-dht",
  churnOf: (membership: Membership) => Churn,
): Step {
  const membership = state.membership;
  const me = myTuple(state);
  if (membership === null || me === null) {
    const refused = { state, effects: [print(`${purpose}: this peer is not in a DHT`)] };
    return finishCurrent(refused, REFUSED);
  }
  return {
    state: { ...state, churn: churnOf(membership), membership: { ...membership, usable: false } },
    effects: [
      {
        kind: "send",
        to: rightNeighbourOf(membership),
        body: { type: "teardown", purpose, initiator: me.name },
      },
    ],
  };
}

export function onTeardown(state: PeerState, message: PeerMessageOf<"teardown">): Step {
  const membership = state.membership;
  const me = myTuple(state);
  if (membership === null || me === null) return { state, effects: [] };
  // A replicated ring keeps its tables through a leave, join or repair: the rebuild
  // gathers them (replication.ts). Otherwise every node drops its table as the round passes.
  const keepsTable = membership.replication !== null && message.purpose !== "teardown-dht";
  const dropTable: PeerEffect[] = keepsTable ? [] : [{ kind: "drop-table" }];
  if (message.initiator !== me.name) {
    const forward: PeerEffect = {
      kind: "send",
      to: rightNeighbourOf(membership),
      body: {
        type: "teardown",
        purpose: message.purpose,
        initiator: message.initiator,
        ...(message.dead === undefined ? {} : { dead: message.dead }),
      },
    };
    // A node that tears down for good leaves the DHT now, keeping only the ring until the
    // next node has the teardown, so it can go on past that node if it is dead. A node
    // torn down for a leave, join or repair stays a member, to be renumbered.
    const forGood = message.purpose === "teardown-dht";
    const after: PeerState = forGood
      ? { ...state, membership: null, handingOver: membership.tuples }
      : { ...state, membership: { ...membership, usable: false, tableSize: null } };
    // A build under way here (a rebuild a member died in) ends with the table it filled.
    const tornDown = {
      state: { ...after, build: null },
      effects: [...dropTable, forGood ? { ...forward, notify: true } : forward],
    };
    if (state.current?.kind !== "setup-dht") return tornDown;
    // This peer's own setup: a member died before the DHT was complete (repair.ts).
    const past = message.dead === undefined ? "" : `; ${message.dead.join(", ")} died`;
    const line = `setup-dht: FAILURE ABORTED: the DHT was torn down before it was complete${past}`;
    return finishCurrent(
      { state: tornDown.state, effects: [...tornDown.effects, print(line)] },
      { reason: "ABORTED" },
    );
  }
  // The teardown came back round: every node has dropped its table, now drop ours.
  const churn = state.churn;
  if (churn?.kind === "repair") return onRepairTeardownBack(state, churn, me, dropTable);
  if (churn?.kind === "teardown-dht") {
    const sent = requestOf(
      { ...state, membership: { ...membership, usable: false, tableSize: null } },
      { type: "teardown-complete", name: me.name },
    );
    return { state: sent.state, effects: [...dropTable, sent.effect] };
  }
  if (churn?.kind === "leave") {
    // The new ring starts at our right neighbour, so a tuple's index is its new id.
    const others = [
      ...membership.tuples.slice(membership.nodeId + 1),
      ...membership.tuples.slice(0, membership.nodeId),
    ];
    const body: PeerBody = {
      type: "reset-id",
      nodeId: 0,
      ringSize: others.length,
      year: membership.year,
      tuples: others,
      initiator: me,
      ...replicationFieldsOf(membership.replication),
    };
    return {
      state: {
        ...state,
        churn: { ...churn, stage: "reset-id" },
        membership: { ...membership, usable: false, tableSize: null },
      },
      effects: [...dropTable, { kind: "send", to: rightNeighbourOf(membership), body }],
    };
  }
  if (churn?.kind === "host-join") {
    const tuples = [...membership.tuples, churn.joiner];
    const extended: Membership = {
      ...membership,
      tuples,
      usable: false,
      tableSize: null,
    };
    const body: PeerBody = {
      type: "reset-id",
      nodeId: 1,
      ringSize: tuples.length,
      year: membership.year,
      tuples,
      initiator: me,
      ...replicationFieldsOf(membership.replication),
    };
    const gathering = gatherOnRenumber(state, extended, null);
    return {
      state: { ...gathering.state, churn: { ...churn, stage: "reset-id" }, membership: extended },
      effects: [
        ...dropTable,
        ...gathering.effects,
        { kind: "send", to: rightNeighbourOf(extended), body },
      ],
    };
  }
  return { state, effects: dropTable };
}

/** A teardown-dht handed on by this node has arrived: it is out of the DHT now. */
export function onTeardownHandedOver(state: PeerState, body: PeerBody): Step {
  if (body.type !== "teardown" || body.purpose !== "teardown-dht") return { state, effects: [] };
  if (body.initiator === myTuple(state)?.name) return { state, effects: [] };
  return { state: { ...state, handingOver: null }, effects: [] };
}

/** The ring a teardown-dht goes round: a passer-on's kept copy, or the initiator's own. */
const ringOf = (state: PeerState): PeerTuple[] | null =>
  state.handingOver ?? state.membership?.tuples ?? null;

/** The next node did not take a teardown-dht: send it on past that node, to the next one alive. */
export function skipPastDead(state: PeerState, to: PeerTuple, body: PeerBody): Step | null {
  const ring = body.type === "teardown" && body.purpose === "teardown-dht" ? ringOf(state) : null;
  if (body.type !== "teardown" || ring === null) return null;
  const dead = [...(body.dead ?? []), to.name];
  const ringSize = ring.length;
  const at = ring.findIndex((tuple) => tuple.name === to.name);
  for (let step = 1; step < ringSize; step++) {
    const next = ring[(at + step) % ringSize] as PeerTuple;
    if (dead.includes(next.name) || next.name === myTuple(state)?.name) continue;
    return {
      state,
      effects: [
        print(`${to.name} does not take the teardown; going on past it to ${next.name}`),
        { kind: "send", to: next, body: { ...body, dead }, notify: true },
      ],
    };
  }
  return null;
}

export function onResetId(state: PeerState, message: PeerMessageOf<"reset-id">): Step {
  const me = myTuple(state);
  if (me === null) return { state, effects: [] };
  const { nodeId, year, tuples, initiator } = message;
  if (initiator.name === me.name) {
    const churn = state.churn;
    return churn?.kind === "repair"
      ? onRepairRenumbered(state, churn, message, me)
      : finishRenumbering(state, message);
  }
  const ringSize = tuples.length;
  const membership = membershipFrom(message);
  const { replication } = membership;
  // The last node of the new ring hands the round back to whoever started it.
  const next = nodeId < ringSize - 1 ? rightNeighbourOf(membership) : initiator;
  const leaver = tuples.some((tuple) => tuple.name === initiator.name) ? null : initiator;
  const gathering = gatherOnRenumber({ ...state, membership }, membership, leaver);
  return {
    state: gathering.state,
    effects: [
      print(
        `renumbered: node ${nodeId} of ${ringSize}; right neighbour ${rightNeighbourOf(membership).name}`,
      ),
      ...gathering.effects,
      {
        kind: "send",
        to: next,
        body: {
          type: "reset-id",
          nodeId: nodeId + 1,
          ringSize,
          year,
          tuples,
          initiator,
          ...replicationFieldsOf(replication),
        },
      },
    ],
  };
}

function finishRenumbering(state: PeerState, message: PeerMessageOf<"reset-id">): Step {
  const churn = state.churn;
  const me = myTuple(state);
  if (churn?.kind === "leave" && me !== null) {
    const newLeader = message.tuples[0];
    if (newLeader === undefined) return { state, effects: [] };
    // A replicated ring's leaver hands what it held to the new leader, ahead of rebuild-dht.
    const handOver: PeerEffect[] =
      state.membership?.replication == null ? [] : [{ kind: "gather-to", to: newLeader }];
    return {
      state: {
        ...state,
        membership: null,
        churn: { kind: "leave", stage: "rebuild", year: churn.year, newLeader },
      },
      effects: [
        ...handOver,
        {
          kind: "send",
          to: newLeader,
          body: { type: "rebuild-dht", year: message.year, initiator: me },
        },
      ],
    };
  }
  if (churn?.kind === "host-join") {
    return beginRebuild({ ...state, churn: null }, message.year, churn.joiner, null);
  }
  return { state, effects: [] };
}

export function onRebuildDht(state: PeerState, message: PeerMessageOf<"rebuild-dht">): Step {
  return beginRebuild(state, message.year, message.initiator, message.dead ?? null);
}

export function onRebuildDone(state: PeerState, message: PeerMessageOf<"rebuild-done">): Step {
  const me = myTuple(state);
  if (me === null || state.churn === null) return { state, effects: [] };
  const sent = requestOf(
    { ...state, churn: null },
    { type: "dht-rebuilt", name: me.name, leader: message.leader },
  );
  return {
    state: sent.state,
    effects: [print(`dht-rebuilt ${me.name} ${message.leader}`), sent.effect],
  };
}

export function onNodeJoining(state: PeerState, message: PeerMessageOf<"node-joining">): Step {
  const membership = state.membership;
  const me = myTuple(state);
  if (membership === null || membership.nodeId !== 0 || me === null) {
    return {
      state,
      effects: [
        print(`ignored node-joining from ${message.joiner.name}: this peer is not the leader`),
      ],
    };
  }
  return {
    state: {
      ...state,
      churn: { kind: "host-join", joiner: message.joiner, stage: "teardown" },
      membership: { ...membership, usable: false },
    },
    effects: [
      {
        kind: "send",
        to: rightNeighbourOf(membership),
        body: { type: "teardown", purpose: "join", initiator: me.name },
      },
    ],
  };
}
