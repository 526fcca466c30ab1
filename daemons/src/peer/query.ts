/**
 * Hot-potato queries (PROTOCOL.md section 5) as pure steps of the peer state machine:
 * the asking peer starts a walk and prints the answer; a member either owns the event
 * and answers, or hands the query to a random node not yet visited.
 */
import { ownerOf } from "../data/hashing.ts";
import { chainIndexOf, holdersOf, SINGLE_COPY } from "../data/placement.ts";
import { formatRecord } from "../data/records.ts";
import type {
  EnvelopeField,
  PeerBody,
  PeerMessageOf,
  PeerTuple,
  StormRecord,
} from "../protocol/messages.ts";
import { askAgain } from "./ask-again.ts";
import { finishCurrent } from "./command-lifecycle.ts";
import { myTuple, print, ringSizeOf } from "./membership.ts";
import type { Membership, PeerContext, PeerEffect, PeerState, Step } from "./state.ts";

/** How long the asking peer waits for an answer before giving up. */
export const QUERY_TIMEOUT_MS = 5_000;

/**
 * The one place a find-result is built: the owner's answer (with the record if it holds
 * it), a member's refusal (`reason`), or the end of a walk that found no owner.
 */
export function findResultBody(
  walk: { queryId: number; nonce: string; eventId: number; idSeq: number[] },
  record?: StormRecord,
  reason?: string,
): PeerBody {
  const { queryId, nonce, eventId, idSeq } = walk;
  return {
    type: "find-result",
    queryId,
    nonce,
    eventId,
    idSeq,
    ...(record ? { record } : {}),
    ...(reason ? { reason } : {}),
  };
}

/** The nonce is fresh per query: an answer from off the walk cannot echo it. */
export function startQuery(
  state: PeerState,
  member: PeerTuple,
  eventId: number,
  context: PeerContext,
): Step {
  const origin = myTuple(state);
  if (origin === null) return { state, effects: [print("error: not registered")] };
  const queryId = state.nextQueryId;
  const nonce = context.nonce();
  return {
    state: {
      ...state,
      nextQueryId: queryId + 1,
      queries: [...state.queries, { queryId, eventId, nonce }],
    },
    effects: [
      {
        kind: "send",
        to: member,
        body: { type: "find-event", queryId, nonce, eventId, origin, idSeq: [] },
      },
      { kind: "start-timer", timer: { kind: "query", queryId }, ms: QUERY_TIMEOUT_MS },
    ],
  };
}

export function handleQueryMessage(
  state: PeerState,
  message: PeerMessageOf<"find-event"> | PeerMessageOf<"find-result">,
  context: PeerContext,
): Step {
  return message.type === "find-event"
    ? onFindEvent(state, message, context)
    : onFindResult(state, message);
}

function onFindEvent(
  state: PeerState,
  message: PeerMessageOf<"find-event">,
  context: PeerContext,
): Step {
  const membership = state.membership;
  if (membership === null || !membership.usable || membership.tableSize === null) {
    const body = findResultBody(message, undefined, "BUSY");
    return { state, effects: [{ kind: "send", to: message.origin, body }] };
  }
  const { v: _v, from: _from, sess: _sess, id: _id, clock: _clock, seq: _seq, ...walk } = message;
  const visited = [...walk.idSeq, membership.nodeId];
  return { state, effects: [continueWalk(membership, { ...walk, idSeq: visited }, context)] };
}

type Walk = Omit<PeerMessageOf<"find-event">, EnvelopeField | "seq">;

/**
 * The nodes that may answer a read: with one copy the owner; on a replicated ring, with
 * `chain` the last copy not known dead (the tail, or the copy before a dead tail), with
 * `eventual` any copy not known dead.
 */
export function answerersOf(
  membership: Membership,
  eventId: number,
  silent: readonly number[],
): number[] {
  const ringSize = ringSizeOf(membership);
  const primary = ownerOf(eventId, membership.tableSize ?? 1, ringSize);
  const { replicas, consistency } = membership.replication ?? SINGLE_COPY;
  const live = holdersOf(primary, replicas, ringSize).filter((nodeId) => !silent.includes(nodeId));
  if (consistency === "eventual") return live;
  const tail = live.at(-1);
  return tail === undefined ? [] : [tail];
}

/**
 * This node has the walk (its id already last in id-seq): answer it here, or hand it on:
 * a copy of a chain hands it straight to the node that may answer, anyone else to a
 * random unvisited node. Every copy known dead: the walk ends UNREACHABLE.
 */
export function continueWalk(membership: Membership, walk: Walk, context: PeerContext): PeerEffect {
  const silent = walk.silent ?? [];
  const answering = answerersOf(membership, walk.eventId, silent);
  const me = membership.nodeId;
  if (answering.includes(me)) {
    const { origin, queryId, nonce, eventId, idSeq } = walk;
    return { kind: "answer-query", origin, queryId, nonce, eventId, idSeq };
  }
  if (answering.length === 0) {
    return { kind: "send", to: walk.origin, body: findResultBody(walk, undefined, "UNREACHABLE") };
  }
  const { replicas } = membership.replication ?? SINGLE_COPY;
  const primary = ownerOf(walk.eventId, membership.tableSize ?? 1, ringSizeOf(membership));
  const tail = answering[0] as number;
  const holdsCopy = chainIndexOf(me, primary, replicas, ringSizeOf(membership)) !== -1;
  if (holdsCopy && !walk.idSeq.includes(tail)) {
    return {
      kind: "send",
      to: membership.tuples[tail] as PeerTuple,
      body: { ...walk, type: "find-event" },
    };
  }
  return forwardWalk(membership, walk, silent, context);
}

/**
 * The walk's next hop: a random member not yet visited (nor in `silent`, members that
 * did not answer). None left only happens if the ring and the hashing disagree, or the
 * owner is silent: then the walk ends with an answer rather than nowhere.
 */
export function forwardWalk(
  membership: Membership,
  walk: Omit<PeerMessageOf<"find-event">, EnvelopeField | "seq">,
  silent: readonly number[],
  context: PeerContext,
): PeerEffect {
  const { origin, idSeq } = walk;
  const unvisited = membership.tuples
    .map((_, nodeId) => nodeId)
    .filter((nodeId) => !idSeq.includes(nodeId) && !silent.includes(nodeId));
  const nextId = unvisited[Math.floor(context.random() * unvisited.length)];
  const next = nextId === undefined ? undefined : membership.tuples[nextId];
  if (next === undefined) {
    const reason = silent.length > 0 ? "UNREACHABLE" : undefined;
    return {
      kind: "send",
      to: origin,
      body: findResultBody(walk, undefined, reason),
    };
  }
  return { kind: "send", to: next, body: { ...walk, type: "find-event" } };
}

function onFindResult(state: PeerState, message: PeerMessageOf<"find-result">): Step {
  const query = state.queries.find((pending) => pending.queryId === message.queryId);
  if (query === undefined) return { state, effects: [] };
  const remaining = state.queries.filter((pending) => pending.queryId !== message.queryId);
  if (message.reason === "BUSY") {
    // The ring changed under the walk (a repair began): the manager knows when it is over.
    const why = `${message.from} is not ready (BUSY)`;
    const what = { eventId: query.eventId, retryOf: query.queryId };
    const retry = askAgain(state, why, what);
    if (retry !== null) return retry;
  }
  const lines = message.record
    ? formatRecord(message.record)
    : message.reason
      ? [refusalLine(message.eventId, message.reason)]
      : [`Storm event ${message.eventId} not found in the DHT.`];
  lines.push(`id-seq: ${message.idSeq.join(" ")}`);
  const answered = { state: { ...state, queries: remaining }, effects: lines.map(print) };
  const failure = message.reason === undefined ? null : { reason: message.reason };
  return finishCurrent(answered, failure, ["query-dht"]);
}

function refusalLine(eventId: number, reason: string): string {
  const why =
    reason === "UNREACHABLE"
      ? "the member that holds it did not answer (it may have died; the ring is repaired without it)"
      : "the member asked is not ready (the DHT is being built, rebuilt or torn down)";
  return `Query for storm event ${eventId} refused (${reason}): ${why}; try again.`;
}

/** A query asked again: the same walk (id, nonce, timer) from `member`, if still waited for. */
export function resendQuery(state: PeerState, member: PeerTuple, queryId: number): Step {
  const query = state.queries.find((pending) => pending.queryId === queryId);
  const origin = myTuple(state);
  if (query === undefined || origin === null) return { state, effects: [] };
  const { eventId, nonce } = query;
  const body: PeerBody = { type: "find-event", queryId, nonce, eventId, origin, idSeq: [] };
  return { state, effects: [{ kind: "send", to: member, body }] };
}

/** This peer's own first hop could not be delivered: the query ends here, saying why. */
export function onFirstHopUndelivered(
  state: PeerState,
  walk: { queryId: number; eventId: number },
  to: PeerTuple,
  error: string,
): Step {
  const { queryId, eventId } = walk;
  if (!state.queries.some((pending) => pending.queryId === queryId)) return { state, effects: [] };
  // The walk is asked again through another member, still under its first deadline.
  const retry = askAgain(state, `${to.name} did not answer`, { eventId, retryOf: queryId });
  if (retry !== null) return retry;
  const remaining = state.queries.filter((pending) => pending.queryId !== queryId);
  const line = `Query for storm event ${eventId} failed: ${to.name} did not answer (${error}).`;
  const ended: PeerEffect = { kind: "query-unanswered", queryId, eventId, reason: "UNDELIVERED" };
  return finishCurrent(
    { state: { ...state, queries: remaining }, effects: [print(line), ended] },
    { reason: "UNDELIVERED" },
    ["query-dht"],
  );
}

export function handleQueryTimer(state: PeerState, queryId: number): Step {
  const query = state.queries.find((pending) => pending.queryId === queryId);
  if (query === undefined) return { state, effects: [] };
  const gaveUp = `Query for storm event ${query.eventId} gave up: no answer within ${QUERY_TIMEOUT_MS / 1000} s.`;
  const remaining = state.queries.filter((pending) => pending.queryId !== queryId);
  const ended: PeerEffect = {
    kind: "query-unanswered",
    queryId,
    eventId: query.eventId,
    reason: "TIMEOUT",
  };
  return finishCurrent(
    { state: { ...state, queries: remaining }, effects: [print(gaveUp), ended] },
    { reason: "TIMEOUT" },
    ["query-dht"],
  );
}
