/**
 * A message the link gave up on (its receiver stopped acknowledging), as a pure step of
 * the peer state machine. It ends only the command it belongs to: a walk goes on past the
 * silent member, or ends with UNREACHABLE if that member holds the event; this peer's own
 * first hop ends its query; a probe's right neighbour, or one that takes no records while
 * the ring is built, is reported dead; a ring message ends the ring command under way.
 */
import { ownerOf } from "../data/hashing.ts";
import type { PeerBody, PeerTuple } from "../protocol/messages.ts";
import { skipPastDead } from "./churn.ts";
import { finishCurrent } from "./command-lifecycle.ts";
import { abandonRingCommand, RING_CHANGES } from "./deadline.ts";
import { myTuple, print, requestOf, rightNeighbourOf, ringSizeOf } from "./membership.ts";
import { continueWalk, findResultBody, forwardWalk, onFirstHopUndelivered } from "./query.ts";
import { suspectRightNeighbour } from "./repair.ts";
import type { PeerContext, PeerState, Step } from "./state.ts";
import { onWriteUndelivered } from "./write-failures.ts";

export function handleUndelivered(
  state: PeerState,
  to: PeerTuple,
  body: PeerBody,
  error: string,
  context: PeerContext,
): Step {
  const line = `could not deliver ${body.type} to ${to.name}: ${error}`;
  if (body.type === "find-result" || body.type === "write-result") {
    return { state, effects: [print(line)] };
  }
  if (body.type === "write") return onWriteUndelivered(state, to, body, line);
  if (body.type === "probe") return suspectRightNeighbour(state, to, error);
  const skipped = skipPastDead(state, to, body);
  if (skipped !== null) return skipped;
  if (body.type !== "find-event") {
    const { membership, current } = state;
    const me = myTuple(state);
    const records = body.type === "store" || body.type === "count";
    if (records && membership !== null && me !== null && isRightNeighbour(state, to)) {
      return reportDeadInBuild(state, me, to, line, error);
    }
    if (current === null || !RING_CHANGES.includes(current.kind)) {
      return { state, effects: [print(line)] };
    }
    return abandonRingCommand(state, "UNDELIVERED", line);
  }
  if (body.idSeq.length === 0 && body.origin.name === myTuple(state)?.name) {
    return onFirstHopUndelivered(state, body, to, error);
  }
  const membership = state.membership;
  // The walk's ids are of the ring it was sent on: if this node has been renumbered since
  // (a repair ran while the link waited), they mean other nodes now.
  const renumbered = membership?.tuples[body.idSeq.at(-1) ?? -1]?.name !== myTuple(state)?.name;
  if (membership === null || membership.tableSize === null || renumbered) {
    // The ring is being rebuilt meanwhile: say so to the asker rather than drop the walk.
    const busy = findResultBody(body, undefined, "BUSY");
    return { state, effects: [print(line), { kind: "send", to: body.origin, body: busy }] };
  }
  const silent = membership.tuples.findIndex(
    (tuple) => tuple.name === to.name && tuple.ip === to.ip && tuple.port === to.port,
  );
  if (membership.replication !== null) {
    // The walk says whom it found dead, so a copy further on can answer in their place.
    const walk = { ...body, silent: [...(body.silent ?? []), silent] };
    return { state, effects: [print(line), continueWalk(membership, walk, context)] };
  }
  const owner = ownerOf(body.eventId, membership.tableSize, ringSizeOf(membership));
  if (silent === owner) {
    const answer = findResultBody(body, undefined, "UNREACHABLE");
    return { state, effects: [print(line), { kind: "send", to: body.origin, body: answer }] };
  }
  return { state, effects: [print(line), forwardWalk(membership, body, [silent], context)] };
}

function isRightNeighbour(state: PeerState, to: PeerTuple): boolean {
  const { membership } = state;
  return membership !== null && rightNeighbourOf(membership).name === to.name;
}

/**
 * The right neighbour took no records while the ring was built or rebuilt (a setup, or the
 * rebuild after a leave, join or repair): report it, once. The manager marks it Dead and
 * ends the DHT at once, and this peer's teardown round then drops what was built, past
 * it. This peer's own setup ends here; further records lost on that link are no news.
 */
function reportDeadInBuild(
  state: PeerState,
  me: PeerTuple,
  to: PeerTuple,
  line: string,
  error: string,
): Step {
  const { churn } = state;
  if (churn?.kind === "repair" && (churn.stage === "reporting" || churn.stage === "abandon")) {
    return { state, effects: [] };
  }
  const reporting: PeerState = {
    ...state,
    build: null,
    churn: { kind: "repair", stage: "reporting", dead: to },
  };
  const ownSetup = state.current?.kind === "setup-dht";
  const told = ownSetup
    ? `setup-dht: FAILURE UNDELIVERED: ${line}; tearing down what was built`
    : `${line}; reporting ${to.name} dead and tearing down what was built`;
  const ended = ownSetup
    ? finishCurrent({ state: reporting, effects: [print(told)] }, { reason: "UNDELIVERED" })
    : { state: reporting, effects: [print(told)] };
  const sent = requestOf(ended.state, {
    type: "report-dead",
    name: me.name,
    peer: to.name,
    reason: error.slice(0, 256),
  });
  return { state: sent.state, effects: [...ended.effects, sent.effect] };
}
