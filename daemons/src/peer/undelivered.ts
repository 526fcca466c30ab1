/**
 * A message the link gave up on (its receiver stopped acknowledging), as a pure step of
 * the peer state machine. It ends only the command it belongs to: a walk goes on past the
 * silent member, or ends with UNREACHABLE if that member holds the event; this peer's own
 * first hop ends its query; a probe's right neighbour is reported dead; a ring message
 * ends the ring command under way.
 */
import { ownerOf } from "../data/hashing.ts";
import type { PeerBody, PeerTuple } from "../protocol/messages.ts";
import { skipPastDead } from "./churn.ts";
import { finishCurrent } from "./command-lifecycle.ts";
import { abandonRingCommand, RING_CHANGES } from "./deadline.ts";
import { myTuple, print, requestOf, rightNeighbourOf, ringSizeOf } from "./membership.ts";
import { findResultBody, forwardWalk, onFirstHopUndelivered } from "./query.ts";
import { suspectRightNeighbour } from "./repair.ts";
import type { PeerContext, PeerState, Step } from "./state.ts";

export function handleUndelivered(
  state: PeerState,
  to: PeerTuple,
  body: PeerBody,
  error: string,
  context: PeerContext,
): Step {
  const line = `could not deliver ${body.type} to ${to.name}: ${error}`;
  if (body.type === "find-result") return { state, effects: [print(line)] };
  if (body.type === "probe") return suspectRightNeighbour(state, to, error);
  const skipped = skipPastDead(state, to, body);
  if (skipped !== null) return skipped;
  if (body.type !== "find-event") {
    const current = state.current;
    if (current === null || !RING_CHANGES.includes(current.kind)) {
      return { state, effects: [print(line)] };
    }
    const { membership } = state;
    const me = myTuple(state);
    const ownSetup = current.kind === "setup-dht" && membership !== null && me !== null;
    if (!ownSetup || rightNeighbourOf(membership).name !== to.name) {
      return abandonRingCommand(state, "UNDELIVERED", line);
    }
    // The right neighbour died during this peer's own setup: report it, and the manager ends
    // the setup at once (marking it Dead) and this peer tears down what was built, past it.
    const reporting: PeerState = {
      ...state,
      build: null,
      churn: { kind: "repair", stage: "reporting", dead: to },
    };
    const failed = `setup-dht: FAILURE UNDELIVERED: ${line}; tearing down what was built`;
    const ended = finishCurrent(
      { state: reporting, effects: [print(failed)] },
      { reason: "UNDELIVERED" },
    );
    const reason = error.slice(0, 256);
    const sent = requestOf(ended.state, {
      type: "report-dead",
      name: me.name,
      peer: to.name,
      reason,
    });
    return { state: sent.state, effects: [...ended.effects, sent.effect] };
  }
  if (body.idSeq.length === 0 && body.origin.name === myTuple(state)?.name) {
    return onFirstHopUndelivered(state, body, to, error);
  }
  const membership = state.membership;
  if (membership === null || membership.tableSize === null)
    return { state, effects: [print(line)] };
  const silent = membership.tuples.findIndex(
    (tuple) => tuple.name === to.name && tuple.ip === to.ip && tuple.port === to.port,
  );
  const owner = ownerOf(body.eventId, membership.tableSize, ringSizeOf(membership));
  if (silent === owner) {
    const answer = findResultBody(body, undefined, "UNREACHABLE");
    return { state, effects: [print(line), { kind: "send", to: body.origin, body: answer }] };
  }
  return { state, effects: [print(line), forwardWalk(membership, body, [silent], context)] };
}
