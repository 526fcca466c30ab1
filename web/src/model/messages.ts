/**
 * The time-space diagram as data: one lane per daemon, one arrow per message from its send
 * to its receipt. Rows follow causal order, not wall-clock time: each event is placed by
 * its Lamport clock (a send by the clock the datagram carries, which every receipt of it
 * exceeds), so an arrow always points down, whatever order the server heard them in.
 */
import type { DaemonEvent, TimelineEntry } from "../api/types.ts";
import { type EventLog, entriesUpTo } from "./log.ts";
import { classOf, gatheredStores, type MessageClass } from "./message-classes.ts";

type MessageEvent = Extract<DaemonEvent, { kind: "message" }>;

export interface DiagramArrow {
  key: string;
  messageType: string;
  messageClass: MessageClass;
  from: string;
  to: string;
  summary: string;
  /** Rows of the send and the receipt among the rows drawn; receipt null if none was seen. */
  sendRow: number;
  receiveRow: number | null;
  retransmission: boolean;
  /** A manager reply refusing a request. */
  failure: boolean;
  /** A store of a replicated ring's rebuild: records a member gathers at the new leader. */
  gather: boolean;
  /** Bulk stores summarised as one band: how many records and datagrams it carried. */
  band: { records: number; datagrams: number } | null;
  sendEntry: TimelineEntry;
  receiveEntry: TimelineEntry | null;
}

export interface Diagram {
  /** Lane names: the manager, the daemons' names given, then any other name seen. */
  lanes: string[];
  /** Oldest first; rows are numbered densely over the arrows kept, so the cap bounds them. */
  arrows: DiagramArrow[];
  rows: number;
  /** Arrows matching the filter that were left out by the cap (the oldest). */
  hidden: number;
  /** Arrows newer than those kept, left out when paging back (`skipNewest`). */
  newer: number;
  /** Every message type seen, for the filter. */
  messageTypes: string[];
}

export interface DiagramOptions {
  /** Types to leave out. */
  excludedTypes?: ReadonlySet<string>;
  /** The most arrows drawn; the newest are kept. */
  cap?: number;
  /** Arrows to leave out at the new end first: `Show older messages` pages back by a cap. */
  skipNewest?: number;
  /** Lanes to show even before they send anything (the daemons' names). */
  lanes?: readonly string[];
}

interface Placed {
  entry: TimelineEntry;
  event: MessageEvent;
  /** The Lamport clock the event is ranked by. */
  clock: number;
  /** A send's receipt, if seen. */
  receipt: Placed | null;
  /** A store summary of records gathered for a rebuild (`gatheredStores`). */
  gather: boolean;
}

export function diagramAt(log: EventLog, cursor: number, options: DiagramOptions = {}): Diagram {
  const placed: Placed[] = [];
  for (const entry of entriesUpTo(log, cursor)) {
    const { event } = entry;
    if (event.kind !== "message") continue;
    const clock = event.direction === "sent" ? (event.messageClock ?? entry.clock) : entry.clock;
    placed.push({ entry, event, clock, receipt: null, gather: false });
  }
  for (const store of gatheredStores(placed)) store.gather = true;
  pairReceipts(placed);
  // Receipts after sends at equal clocks; then the order the server heard them.
  placed.sort(
    (left, right) =>
      left.clock - right.clock ||
      Number(left.event.direction === "received") - Number(right.event.direction === "received") ||
      left.entry.seq - right.entry.seq,
  );
  const rankOf = new Map<Placed, number>(placed.map((each, rank) => [each, rank]));
  const excluded = options.excludedTypes ?? new Set<string>();
  const shown = placed.filter(
    (each) => each.event.direction === "sent" && !excluded.has(each.event.messageType),
  );
  const cap = options.cap ?? Number.POSITIVE_INFINITY;
  const end = Math.max(0, shown.length - Math.max(0, options.skipNewest ?? 0));
  const kept = shown.slice(Math.max(0, end - cap), end);
  const ranks = [
    ...new Set(kept.flatMap((send) => [send, ...(send.receipt === null ? [] : [send.receipt])])),
  ]
    .map((each) => rankOf.get(each) ?? 0)
    .sort((left, right) => left - right);
  const rowOfRank = new Map(ranks.map((rank, row) => [rank, row]));
  const rowOf = (each: Placed) => rowOfRank.get(rankOf.get(each) ?? 0) ?? 0;
  return {
    lanes: lanesOf(placed, options.lanes ?? []),
    arrows: kept.map((send) => arrowOf(send, rowOf)),
    rows: ranks.length,
    hidden: end - kept.length,
    newer: shown.length - end,
    messageTypes: [...new Set(placed.map((each) => each.event.messageType))].sort(),
  };
}

/**
 * Matches each receipt to a send of the same datagram (sender, receiver, type, clock).
 * Copies are resent only after a loss or a timeout, so when fewer copies arrived than were
 * sent, the last ones sent are taken as the ones that arrived. Store summaries carry no
 * clock and are not resent: the i-th received on a link matches the i-th sent, and the send
 * is ranked no later than its receipt (the sender writes its summary when the link goes
 * quiet, often after the receiver has written its own).
 */
function pairReceipts(placed: Placed[]): void {
  const sends = new Map<string, Placed[]>();
  const receipts = new Map<string, Placed[]>();
  for (const each of placed) {
    const byKey = each.event.direction === "sent" ? sends : receipts;
    const key = pairKey(each.event);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [each]);
    else list.push(each);
  }
  for (const [key, sent] of sends) {
    const received = receipts.get(key) ?? [];
    const bulk = sent[0]?.event.messageClock === undefined;
    const skipped = bulk ? 0 : Math.max(0, sent.length - received.length);
    received.forEach((receipt, index) => {
      const send = sent[skipped + index];
      if (send === undefined) return;
      send.receipt = receipt;
      if (bulk) send.clock = Math.min(send.clock, receipt.clock);
    });
  }
}

function arrowOf(send: Placed, rowOf: (each: Placed) => number): DiagramArrow {
  const { event, entry, receipt } = send;
  return {
    key: `${entry.seq}`,
    messageType: event.messageType,
    messageClass: send.gather ? "churn" : classOf(event.messageType),
    from: event.from,
    to: event.to,
    summary: event.summary,
    sendRow: rowOf(send),
    receiveRow: receipt === null ? null : rowOf(receipt),
    retransmission: event.retransmission === true,
    failure: event.status === "FAILURE",
    gather: send.gather,
    band:
      event.records === undefined
        ? null
        : { records: event.records, datagrams: event.datagrams ?? 0 },
    sendEntry: entry,
    receiveEntry: receipt?.entry ?? null,
  };
}

function pairKey(event: MessageEvent): string {
  return `${event.from}>${event.to}|${event.messageType}|${event.messageClock ?? "bulk"}`;
}

function lanesOf(placed: Placed[], known: readonly string[]): string[] {
  const names = new Set<string>(["manager", ...known]);
  for (const { event } of placed) {
    names.add(event.from);
    names.add(event.to);
  }
  return [...names];
}

/** Which way from a message its causally related messages are sought. */
export type CausalDirection = "history" | "future";

/** An event of a drawn message: its send (even index) or its receipt (odd index). */
interface CausalEvent {
  lane: string;
  row: number;
  arrow: number;
}

/**
 * The keys of the drawn messages causally related to the one keyed, by Lamport's
 * happened-before over the diagram's events: each lane's events in row order, and each send
 * before its receipt. A message counts by the last of its events that was seen: its receipt,
 * or its send when no receipt was seen (lost, or still in flight at the cursor), which
 * can then reach later events only through its sender's lane. So:
 * - history: every message whose receipt (or unreceived send) happened before this send;
 *   the lost copies of a resent request are in the history of the resend and of its reply.
 * - future: every message sent after this message's receipt (or, unreceived, after its send).
 * A message sent before but received only afterwards, elsewhere, is in neither. Only the drawn
 * messages are events, so a type filtered out, or messages beyond the cap, break chains.
 */
export function causallyRelated(
  arrows: readonly DiagramArrow[],
  key: string,
  direction: CausalDirection,
): Set<string> {
  const index = arrows.findIndex((arrow) => arrow.key === key);
  const related = new Set<string>();
  if (index < 0) return related;
  const events: (CausalEvent | null)[] = arrows.flatMap((arrow, at) => [
    { lane: arrow.from, row: arrow.sendRow, arrow: at },
    arrow.receiveRow === null ? null : { lane: arrow.to, row: arrow.receiveRow, arrow: at },
  ]);
  // Each event's neighbours on its lane, as event indices.
  const before = new Map<number, number>();
  const after = new Map<number, number>();
  const lanes = new Map<string, number[]>();
  events.forEach((event, at) => {
    if (event === null) return;
    const lane = lanes.get(event.lane);
    if (lane === undefined) lanes.set(event.lane, [at]);
    else lane.push(at);
  });
  for (const lane of lanes.values()) {
    lane.sort((left, right) => (events[left]?.row ?? 0) - (events[right]?.row ?? 0));
    lane.forEach((at, position) => {
      const next = lane[position + 1];
      if (next === undefined) return;
      after.set(at, next);
      before.set(next, at);
    });
  }
  const lastSeen = (arrow: number) => (events[2 * arrow + 1] === null ? 2 * arrow : 2 * arrow + 1);
  // A receipt (odd) follows its send; a send (even) leads to its receipt, if seen.
  const linked = (at: number) =>
    direction === "history"
      ? [before.get(at), at % 2 === 1 ? at - 1 : undefined]
      : [after.get(at), at % 2 === 0 && events[at + 1] !== null ? at + 1 : undefined];
  const reached = new Set<number>();
  const pending = [direction === "history" ? 2 * index : lastSeen(index)];
  for (let at = pending.pop(); at !== undefined; at = pending.pop()) {
    for (const next of linked(at)) {
      if (next === undefined || reached.has(next)) continue;
      reached.add(next);
      pending.push(next);
    }
  }
  arrows.forEach((arrow, at) => {
    const counted = direction === "history" ? lastSeen(at) : 2 * at;
    if (at !== index && reached.has(counted)) related.add(arrow.key);
  });
  return related;
}
