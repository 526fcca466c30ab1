/**
 * Meaning checks for ring and query messages. The schema only says a datagram is well
 * formed; these say whether it makes sense to this peer now: that it restates nothing
 * inconsistently (ring size against tuples, ids below the ring size), that its sender is
 * who the ring says sends it, and that it fits what this peer is doing. A message that
 * fails is dropped with the reason and changes nothing, so no datagram can put the
 * machine in a state the hashing or the ring arithmetic cannot handle.
 */
import type { PeerMessage, PeerMessageOf, PeerTuple } from "../protocol/messages.ts";
import { leftNeighbourOf, myTuple, ringSizeOf } from "./membership.ts";
import { checkGathered, checkWrite, checkWriteResult } from "./replication-admission.ts";
import { sameTuple, senderProblem } from "./senders.ts";
import type { Membership, PeerState, Source } from "./state.ts";

/**
 * Why `message`, which arrived from the p-port `source`, must be dropped, or null if this
 * peer may act on it.
 */
export function rejectionOf(state: PeerState, message: PeerMessage, source: Source): string | null {
  const me = myTuple(state);
  if (me === null) return "this peer is not registered";
  const sent = { name: message.from, ...source };
  switch (message.type) {
    case "set-id":
      return checkSetId(state, me, message, sent);
    case "store":
      return message.gather ? checkGathered(state, sent) : checkBuildTraffic(state, message, sent);
    case "gathered":
      return checkGathered(state, sent);
    case "count":
      return checkBuildTraffic(state, message, sent);
    case "write":
      return checkWrite(state.membership, message, sent);
    case "write-result":
      return checkWriteResult(state, message);
    case "teardown":
      return checkTeardown(state.membership, message, sent);
    case "reset-id":
      return checkResetId(state, me, message, sent);
    case "rebuild-dht":
      return checkRebuildDht(state, message, sent);
    case "rebuild-done":
      return checkRebuildDone(state, sent);
    case "node-joining":
      return checkNodeJoining(state, message, sent);
    case "find-event":
      return checkFindEvent(state.membership, message, sent);
    case "find-result":
      return checkFindResult(state, message);
    case "probe":
      return state.membership === null
        ? "this peer is not in a DHT"
        : senderProblem(sent, leftNeighbourOf(state.membership), "left neighbour");
  }
}

/**
 * A ring's tuples: as many as the ring size says, no name twice, and at least `smallest`
 * (a setup sends set-id to a ring of two or more; a leave may renumber a ring down to one).
 */
function tuplesProblem(
  tuples: readonly PeerTuple[],
  ringSize: number,
  smallest: number,
): string | null {
  if (tuples.length !== ringSize) {
    return `ring size ${ringSize} but ${tuples.length} tuples`;
  }
  if (ringSize < smallest) return `a ring of ${ringSize} cannot be renumbered or built`;
  if (new Set(tuples.map((tuple) => tuple.name)).size !== tuples.length) {
    return "a name appears twice in the tuples";
  }
  return null;
}

function checkSetId(
  state: PeerState,
  me: PeerTuple,
  message: PeerMessageOf<"set-id">,
  sent: PeerTuple,
): string | null {
  const { nodeId, ringSize, tuples } = message;
  const problem = tuplesProblem(tuples, ringSize, 2);
  if (problem !== null) return problem;
  if (nodeId < 1 || nodeId >= ringSize) return `node id ${nodeId} is not in 1..${ringSize - 1}`;
  if (!sameTuple(tuples[nodeId], me)) return `tuple ${nodeId} is not this peer`;
  if (state.membership !== null) return "this peer is already in a DHT";
  return senderProblem(sent, tuples[0], "leader");
}

function checkBuildTraffic(
  state: PeerState,
  message: PeerMessageOf<"store"> | PeerMessageOf<"count">,
  sent: PeerTuple,
): string | null {
  const membership = state.membership;
  if (membership === null) return "this peer is not in a DHT";
  if (membership.usable) return "no build is in progress";
  const sender = senderProblem(sent, leftNeighbourOf(membership), "left neighbour");
  if (sender !== null) return sender;
  if (membership.tableSize !== null && message.tableSize !== membership.tableSize) {
    return `table size ${message.tableSize} differs from this build's ${membership.tableSize}`;
  }
  if (message.type === "count") {
    // Node k gets the counts of nodes 0..k-1; the leader gets all of them back.
    const expected = membership.nodeId === 0 ? ringSizeOf(membership) : membership.nodeId;
    if (message.counts.length !== expected) {
      return `${message.counts.length} counts where ${expected} were expected`;
    }
    if (membership.nodeId === 0 && state.build?.tableSize !== message.tableSize) {
      return "this leader is not waiting for that count";
    }
  }
  return null;
}

function checkTeardown(
  membership: Membership | null,
  message: PeerMessageOf<"teardown">,
  sent: PeerTuple,
): string | null {
  if (membership === null) return "this peer is not in a DHT";
  // A round past dead members comes from the nearest live one before this node.
  const left = leftNeighbourPast(membership, message.dead ?? []);
  const sender = senderProblem(sent, left, "left neighbour");
  if (sender !== null) return sender;
  if (!membership.tuples.some((tuple) => tuple.name === message.initiator)) {
    return `initiator ${message.initiator} is not a member`;
  }
  return null;
}

/** The nearest member left of this node whose name is not in `dead`. */
function leftNeighbourPast(membership: Membership, dead: readonly string[]): PeerTuple | undefined {
  const ringSize = ringSizeOf(membership);
  for (let step = 1; step < ringSize; step++) {
    const tuple = membership.tuples[(membership.nodeId - step + ringSize) % ringSize];
    if (tuple !== undefined && !dead.includes(tuple.name)) return tuple;
  }
  return undefined;
}

function checkResetId(
  state: PeerState,
  me: PeerTuple,
  message: PeerMessageOf<"reset-id">,
  sent: PeerTuple,
): string | null {
  const { nodeId, ringSize, tuples, initiator } = message;
  const problem = tuplesProblem(tuples, ringSize, 1);
  if (problem !== null) return problem;
  const membership = state.membership;
  const joining = state.churn?.kind === "join";
  if (membership === null && !joining) return "this peer is not in a DHT";
  if (membership?.usable) return "no leave or join is in progress";
  if (membership !== null && membership.year !== message.year) {
    return `year ${message.year} is not this DHT's ${membership.year}`;
  }
  // Each node passes the round to the next; the initiator sends the first hop.
  const sender = senderProblem(
    sent,
    nodeId === 0 ? initiator : tuples[nodeId - 1],
    "previous node",
  );
  if (sender !== null) return sender;
  // The round ends back at the initiator with the ring size as its id; a repair's initiator
  // is the last survivor, so it gets its own new id.
  if (initiator.name === me.name) {
    const ends =
      state.churn?.kind === "repair"
        ? nodeId === ringSize - 1 && sameTuple(tuples[nodeId], me)
        : nodeId === ringSize && state.churn !== null;
    return ends ? null : "this peer started no renumbering that ends here";
  }
  if (nodeId >= ringSize) return `node id ${nodeId} is not below the ring size ${ringSize}`;
  return sameTuple(tuples[nodeId], me) ? null : `tuple ${nodeId} is not this peer`;
}

function checkRebuildDht(
  state: PeerState,
  message: PeerMessageOf<"rebuild-dht">,
  sent: PeerTuple,
): string | null {
  const membership = state.membership;
  if (membership === null || membership.nodeId !== 0) return "this peer is not the new leader";
  if (membership.usable || state.build !== null) return "this leader is not waiting to rebuild";
  if (message.year !== membership.year) {
    return `year ${message.year} is not this DHT's ${membership.year}`;
  }
  return senderProblem(sent, message.initiator, "leaver it names");
}

function checkRebuildDone(state: PeerState, sent: PeerTuple): string | null {
  const churn = state.churn;
  if (churn?.kind === "leave" && churn.stage === "rebuild") {
    return senderProblem(sent, churn.newLeader, "new leader");
  }
  if (churn?.kind === "repair" && churn.stage === "rebuild") {
    return senderProblem(sent, churn.newLeader, "new leader");
  }
  if (churn?.kind === "join") return senderProblem(sent, churn.leader, "leader");
  return "this peer is waiting for no rebuild";
}

function checkNodeJoining(
  state: PeerState,
  message: PeerMessageOf<"node-joining">,
  sent: PeerTuple,
): string | null {
  const membership = state.membership;
  if (membership === null || membership.nodeId !== 0) return "this peer is not the leader";
  if (!membership.usable || state.churn !== null || state.build !== null) {
    return "the DHT is busy with another change";
  }
  if (membership.tuples.some((tuple) => tuple.name === message.joiner.name)) {
    return `${message.joiner.name} is already a member`;
  }
  return senderProblem(sent, message.joiner, "joiner it names");
}

/**
 * A walk's first hop comes from the asking peer itself, every later one from the member
 * its id-seq ends with: so an answer only ever goes to an origin that asked, never to an
 * address someone else named (no reflection).
 */
function checkFindEvent(
  membership: Membership | null,
  message: PeerMessageOf<"find-event">,
  sent: PeerTuple,
): string | null {
  const { idSeq, origin } = message;
  if (idSeq.length === 0) return senderProblem(sent, origin, "origin it names");
  if (membership === null) return "this peer is not in a DHT";
  const problem = idSeqProblem(idSeq, ringSizeOf(membership));
  if (problem !== null) return problem;
  return senderProblem(sent, membership.tuples[idSeq.at(-1) as number], "member id-seq ends with");
}

/** A walk visits each node at most once, and only nodes of the ring. */
function idSeqProblem(idSeq: readonly number[], ringSize: number): string | null {
  if (idSeq.some((nodeId) => nodeId >= ringSize))
    return `id-seq names a node outside 0..${ringSize - 1}`;
  if (new Set(idSeq).size !== idSeq.length) return "id-seq visits a node twice";
  return null;
}

function checkFindResult(state: PeerState, message: PeerMessageOf<"find-result">): string | null {
  const query = state.queries.find((pending) => pending.queryId === message.queryId);
  if (query === undefined) return `no query ${message.queryId} is waiting for an answer`;
  if (query.nonce !== message.nonce) return `does not echo query ${message.queryId}'s nonce`;
  if (query.eventId !== message.eventId) {
    return `answers event ${message.eventId}, but query ${message.queryId} asked for ${query.eventId}`;
  }
  if (message.record !== undefined && Number(message.record[0]) !== message.eventId) {
    return `carries record ${message.record[0]} for event ${message.eventId}`;
  }
  if (new Set(message.idSeq).size !== message.idSeq.length) return "id-seq visits a node twice";
  return null;
}
