/** The query events a peer message becomes: a hop of the walk, or its result. */
import type { PeerMessage } from "../protocol/messages.ts";
import type { DaemonEvent } from "./events.ts";

/** The query event a find-event or find-result is, if it is one. */
export function queryEventOf(
  direction: "sent" | "received",
  message: PeerMessage,
  from: string,
  to: string,
): DaemonEvent | null {
  if (message.type === "find-event") {
    const { queryId, eventId, origin, idSeq } = message;
    return {
      kind: "query-hop",
      direction,
      queryId,
      eventId,
      origin: origin.name,
      from,
      to,
      idSeq: [...idSeq],
    };
  }
  if (message.type === "find-result") {
    const { queryId, eventId, idSeq, reason, record } = message;
    const status = record !== undefined ? "found" : reason !== undefined ? "refused" : "not-found";
    return {
      kind: "query-result",
      direction,
      queryId,
      eventId,
      status,
      ...(record === undefined ? {} : { record: [...record] }),
      ...(reason === undefined ? {} : { reason }),
      from,
      to,
      idSeq: [...idSeq],
    };
  }
  return null;
}

/** The asking peer's own end of a query that no answer reached (TIMEOUT, UNDELIVERED). */
export function gaveUpEvent(
  self: string,
  queryId: number,
  eventId: number,
  reason: string,
): DaemonEvent {
  return {
    kind: "query-result",
    direction: "received",
    queryId,
    eventId,
    status: "gave-up",
    reason,
    from: self,
    to: self,
    idSeq: [],
  };
}
