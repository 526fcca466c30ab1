/**
 * Writes the link gave up on (writes.ts sends them): the writer's own first hop asks the
 * manager again or ends the command, and a chain passes over a dead copy.
 */
import { ownerOf } from "../data/hashing.ts";
import type { PeerBody, PeerTuple } from "../protocol/messages.ts";
import { askAgain } from "./ask-again.ts";
import { myTuple, print, ringSizeOf } from "./membership.ts";
import type { PeerState, Step } from "./state.ts";
import { chainOnwardFrom, endWrite, resultBody } from "./writes.ts";

type WriteBody = Extract<PeerBody, { type: "write" }>;

/**
 * A write the link gave up on. The writer's own first hop ends its command; a primary
 * that does not answer is reported to the writer; a dead copy in a chain is passed over
 * (the copy before it becomes the tail, as chain replication does); a copy missed in the
 * background is restored by the repair's rebuild.
 */
export function onWriteUndelivered(
  state: PeerState,
  to: PeerTuple,
  body: WriteBody,
  line: string,
): Step {
  const me = myTuple(state);
  const pending = state.writes.find((write) => write.writeId === body.writeId);
  const firstHop = body.hop === "entry" || (body.hop === "primary" && pending !== undefined);
  if (firstHop && body.origin.name === me?.name && pending !== undefined) {
    const writes = state.writes.filter((write) => write.writeId !== body.writeId);
    const retry =
      body.hop === "entry"
        ? askAgain({ ...state, writes }, `${to.name} did not answer`, {
            eventId: null,
            write: pending.command,
          })
        : null;
    if (retry !== null) return retry;
    const ended = endWrite(
      state,
      pending.command.kind,
      pending.eventId,
      "UNDELIVERED",
      pending.writeId,
    );
    return { state: ended.state, effects: [print(line), ...ended.effects] };
  }
  const { membership } = state;
  if (body.hop === "primary") {
    return {
      state,
      effects: [
        print(line),
        { kind: "send", to: body.origin, body: resultBody(body, "UNREACHABLE") },
      ],
    };
  }
  if (body.hop !== "chain" || membership === null || membership.tableSize === null) {
    return { state, effects: [print(line)] };
  }
  const primary = ownerOf(body.eventId, membership.tableSize, ringSizeOf(membership));
  const dead = membership.tuples.findIndex((tuple) => tuple.name === to.name);
  if (dead === -1) {
    // The ring was repaired without it while the link waited: the chain is another now.
    const busy = { kind: "send" as const, to: body.origin, body: resultBody(body, "BUSY") };
    return { state, effects: [print(line), busy] };
  }
  const onward = chainOnwardFrom(membership, body, membership.nodeId, primary, [dead]);
  return {
    state,
    effects: [
      print(line),
      ...onward.map(({ to: next, body: sent }) => ({
        kind: "send" as const,
        to: next,
        body: sent,
      })),
    ],
  };
}
