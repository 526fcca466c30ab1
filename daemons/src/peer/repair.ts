/**
 * Liveness and repair (beyond PROTOCOL.md), as pure steps of the peer state machine. Every
 * probe interval a usable member probes its right neighbour on their link; when the link
 * gives up, the member reports the neighbour dead to the manager and, told to, repairs
 * the ring on the dead member's behalf: a teardown round past it, a reset-id round over
 * the survivors from its right neighbour on (who leads the new ring, as after a leave),
 * and a rebuild there. Too few survivors for a ring: the round tears the DHT down instead.
 */
import {
  MIN_RING_SIZE,
  type PeerMessageOf,
  type PeerTuple,
  type Reply,
} from "../protocol/messages.ts";
import { myTuple, print, requestOf, rightNeighbourOf, ringSizeOf } from "./membership.ts";
import { membershipFrom, replicationFieldsOf } from "./replication.ts";
import { sameTuple } from "./senders.ts";
import type { Membership, PeerEffect, PeerState, RepairChurn, Step } from "./state.ts";

/** A usable member with nothing else going on probes its right neighbour. */
export function probeRightNeighbour(state: PeerState): Step {
  const { membership } = state;
  if (!isSettled(state) || membership === null || ringSizeOf(membership) < 2) {
    return { state, effects: [] };
  }
  const probe: PeerEffect = {
    kind: "send",
    to: rightNeighbourOf(membership),
    body: { type: "probe" },
  };
  return { state, effects: [probe] };
}

function isSettled(state: PeerState): boolean {
  return state.membership?.usable === true && state.churn === null && state.build === null;
}

/** The link to the right neighbour gave up on a probe: report it, once, to the manager. */
export function suspectRightNeighbour(state: PeerState, to: PeerTuple, error: string): Step {
  const { membership } = state;
  const me = myTuple(state);
  if (!isSettled(state) || membership === null || me === null) return { state, effects: [] };
  if (!sameTuple(rightNeighbourOf(membership), to)) return { state, effects: [] };
  const churn: RepairChurn = { kind: "repair", stage: "reporting", dead: to };
  const sent = requestOf(
    { ...state, churn },
    { type: "report-dead", name: me.name, peer: to.name, reason: error.slice(0, 256) },
  );
  return {
    state: sent.state,
    effects: [
      print(`right neighbour ${to.name} does not answer (${error}); reporting it dead`),
      sent.effect,
    ],
  };
}

/** The manager's answer to report-dead: repair the ring, tear it down, or probe on. */
export function afterReportDead(state: PeerState, reply: Reply): Step {
  const churn = state.churn;
  const { membership } = state;
  const me = myTuple(state);
  if (
    churn?.kind !== "repair" ||
    churn.stage !== "reporting" ||
    membership === null ||
    me === null
  ) {
    return { state, effects: [] };
  }
  if (reply.status === "FAILURE") return { state: { ...state, churn: null }, effects: [] };
  const { dead } = churn;
  const survivors = reply.tuples ?? [];
  const abandon = reply.repair === "teardown" || survivors.length === 0;
  const tooFew = ringSizeOf(membership) - 1 < MIN_RING_SIZE;
  const why = tooFew ? "too few members were left" : "the DHT was not complete yet";
  const next: RepairChurn = abandon
    ? { kind: "repair", stage: "abandon", dead, why }
    : { kind: "repair", stage: "teardown", dead, survivors };
  const purpose = abandon ? "teardown-dht" : "repair";
  const pastDead = membershipWithout(membership, dead);
  if (pastDead.tuples.length === 1) {
    // Nobody is left to pass a teardown round to: this peer ends the DHT here.
    return {
      state: { ...state, membership: null, churn: null, build: null },
      effects: [{ kind: "drop-table" }, print(`DHT torn down: ${dead.name} died and ${why}`)],
    };
  }
  return {
    state: { ...state, churn: next, membership: { ...membership, usable: false } },
    effects: [
      print(
        abandon
          ? `${dead.name} is dead and ${tooFew ? "too few members are left for a ring" : "the DHT is not complete"}: tearing the DHT down`
          : `repairing the ring without ${dead.name}`,
      ),
      {
        kind: "send",
        to: rightNeighbourOf(pastDead),
        body: { type: "teardown", purpose, initiator: me.name, dead: [dead.name] },
      },
    ],
  };
}

/** The ring as it is left without `dead`, this node's id renumbered to match. */
export function membershipWithout(membership: Membership, dead: PeerTuple): Membership {
  const me = membership.tuples[membership.nodeId] as PeerTuple;
  const tuples = membership.tuples.filter((tuple) => !sameTuple(tuple, dead));
  return { ...membership, tuples, nodeId: tuples.findIndex((tuple) => sameTuple(tuple, me)) };
}

/** The repair's teardown round is back: tear down for good, or renumber the survivors. */
/** `dropTable`: none on a replicated ring, which keeps its tables for the rebuild. */
export function onRepairTeardownBack(
  state: PeerState,
  churn: RepairChurn,
  me: PeerTuple,
  dropTable: PeerEffect[],
): Step {
  const { membership } = state;
  if (membership === null) return { state, effects: dropTable };
  if (churn.stage === "abandon") {
    return {
      state: { ...state, membership: null, churn: null },
      effects: [
        { kind: "drop-table" },
        print(`DHT torn down: ${churn.dead.name} died and ${churn.why}`),
      ],
    };
  }
  if (churn.stage !== "teardown") return { state, effects: dropTable };
  const { survivors } = churn;
  const body = {
    type: "reset-id" as const,
    nodeId: 0,
    ringSize: survivors.length,
    year: membership.year,
    tuples: survivors,
    initiator: me,
    ...replicationFieldsOf(membership.replication),
  };
  return {
    state: {
      ...state,
      churn: { ...churn, stage: "reset-id" },
      membership: { ...membership, usable: false, tableSize: null },
    },
    effects: [...dropTable, { kind: "send", to: survivors[0] as PeerTuple, body }],
  };
}

/** The reset-id round reached this node, the last of the survivors: hand over the rebuild. */
export function onRepairRenumbered(
  state: PeerState,
  churn: RepairChurn,
  message: PeerMessageOf<"reset-id">,
  me: PeerTuple,
): Step {
  const { nodeId, year, tuples } = message;
  const newLeader = tuples[0] as PeerTuple;
  const membership = membershipFrom(message);
  const { replication } = membership;
  // A replicated ring's reporter sends what it held to the new leader, ahead of rebuild-dht.
  const handOver: PeerEffect[] = replication === null ? [] : [{ kind: "gather-to", to: newLeader }];
  return {
    state: {
      ...state,
      membership,
      churn: { kind: "repair", stage: "rebuild", dead: churn.dead, newLeader },
    },
    effects: [
      print(
        `renumbered: node ${nodeId} of ${tuples.length}; right neighbour ${rightNeighbourOf(membership).name}`,
      ),
      ...handOver,
      {
        kind: "send",
        to: newLeader,
        body: { type: "rebuild-dht", year, initiator: me, dead: churn.dead.name },
      },
    ],
  };
}
