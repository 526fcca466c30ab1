/**
 * Meaning checks for a replicated ring's messages (admission.ts routes them here): the
 * records gathered for a rebuild, writes, and their acknowledgements.
 */
import type { PeerMessageOf, PeerTuple } from "../protocol/messages.ts";
import { eventIdOfLine } from "../protocol/record-line.ts";
import { describeTuple, sameTuple, senderProblem } from "./senders.ts";
import type { Membership, PeerState } from "./state.ts";

/** A rebuild's gathered records come to the new leader from the members it waits for. */
export function checkGathered(state: PeerState, sent: PeerTuple): string | null {
  const { gathering } = state;
  if (gathering === null) return "this peer is not gathering records for a rebuild";
  if (gathering.arrived.includes(sent.name)) return `${sent.name} has sent its records already`;
  return gathering.expected.some((tuple) => sameTuple(tuple, sent))
    ? null
    : `sent by ${describeTuple(sent)}, not a member this rebuild waits for`;
}

/**
 * A write enters from the writer it names; it goes on to the primary and down the chain
 * only between members. Its record is for the event it names.
 */
export function checkWrite(
  membership: Membership | null,
  message: PeerMessageOf<"write">,
  sent: PeerTuple,
): string | null {
  const { record, eventId, origin } = message;
  if (record !== undefined && eventIdOfLine(record) !== eventId) {
    return `carries a record of another event than ${eventId}`;
  }
  if (message.hop === "entry" || sameTuple(origin, sent)) {
    return senderProblem(sent, origin, "writer it names");
  }
  if (membership === null) return "this peer is not in a DHT";
  return membership.tuples.some((tuple) => sameTuple(tuple, sent))
    ? null
    : `sent by ${describeTuple(sent)}, not a member`;
}

export function checkWriteResult(
  state: PeerState,
  message: PeerMessageOf<"write-result">,
): string | null {
  const write = state.writes.find((pending) => pending.writeId === message.writeId);
  if (write === undefined) return `no write ${message.writeId} is waiting for an answer`;
  if (write.nonce !== message.nonce) return `does not echo write ${message.writeId}'s nonce`;
  if (write.eventId !== message.eventId) {
    return `answers event ${message.eventId}, but write ${message.writeId} was for ${write.eventId}`;
  }
  return null;
}
