/**
 * Queries as the log tells them: the hot-potato hops of each find-event walk, and the
 * answer the asking peer received (its status and record, from the event itself). Hops are numbered by the
 * id-seq they carried (hop k carried k-1 ids), not by arrival order, because hops reach
 * the server over different daemons' channels. Each hop groups the log entries it is made
 * of (the find-event sent and received, as messages and as query hops), so the page can
 * move one whole hop at a time; so do the manager's choice of the first member (the
 * query-dht exchange, "hop 0") and the answer.
 */
import { FIELD_LABELS } from "../../../daemons/src/data/field-labels.ts";
import type { QueryStatus, TimelineEntry } from "../api/types.ts";
import { type EventLog, entriesUpTo } from "./log.ts";

export interface QueryHop {
  /** 1 for the asking peer's find-event, then one per forward. */
  number: number;
  from: string;
  to: string;
  /** The first entry of the hop. */
  seq: number;
  /** Every entry of the hop, ascending: its find-event sent and received. */
  seqs: number[];
}

export interface QueryAnswer {
  /** How the query ended, as the asking peer's event says. */
  status: QueryStatus;
  /** BUSY and the like: the member asked was not ready. */
  reason: string | null;
  idSeq: number[];
  /** The member that answered (the owner, or the last one the walk reached). */
  answeredBy: string;
  /** The record's labelled fields; empty when not found. */
  fields: [label: string, value: string][];
  seq: number;
}

export interface QueryRun {
  key: string;
  origin: string;
  originDaemonId: string | null;
  queryId: number;
  eventId: number;
  /** The ring (member names by id) when the walk started. */
  members: string[];
  hops: QueryHop[];
  answer: QueryAnswer | null;
  startSeq: number;
  /** The entries of the query-dht exchange in which the manager picked the first member. */
  choiceSeqs: number[];
  /** The entries of the find-result, sent and received. */
  resultSeqs: number[];
}

/** Every query walk seen up to `cursor`, oldest first. */
export function queriesAt(log: EventLog, cursor: number): QueryRun[] {
  const runs = new Map<string, QueryRun>();
  const groups = new EntryGroups();
  let members: string[] = [];
  for (const entry of entriesUpTo(log, cursor)) {
    const { event } = entry;
    if (event.kind === "state") members = membersIn(event.state) ?? members;
    else if (event.kind === "message") groups.message(entry, event);
    else if (event.kind === "query-hop") {
      const run = runFor(runs, event.origin, event.queryId, event.eventId, members, entry);
      if (run.choiceSeqs.length === 0) run.choiceSeqs = groups.claimChoice(event.origin);
      addHop(run, {
        number: event.idSeq.length + 1,
        from: event.from,
        to: event.to,
        seq: entry.seq,
        seqs: groups.claimMessage(entry, event, "find-event"),
      });
    } else if (event.kind === "query-result") {
      // Sent by the owner to the asking peer, received by it: `to` is the asking peer.
      const run = runFor(runs, event.to, event.queryId, event.eventId, members, entry);
      run.resultSeqs = ascending([
        ...run.resultSeqs,
        ...groups.claimMessage(entry, event, "find-result"),
      ]);
      if (event.direction !== "received") continue;
      run.originDaemonId = entry.daemonId;
      run.answer = {
        status: event.status,
        reason: event.reason ?? null,
        idSeq: [...event.idSeq],
        answeredBy: event.from,
        fields: fieldsOf(event.record),
        seq: entry.seq,
      };
    }
  }
  return [...runs.values()].sort((left, right) => left.startSeq - right.startSeq);
}

/** A hop joins the one of its number already seen (its other end, a resend), else is added. */
function addHop(run: QueryRun, hop: QueryHop): void {
  const same = run.hops.find((each) => each.number === hop.number);
  if (same === undefined) {
    run.hops.push(hop);
    run.hops.sort((left, right) => left.number - right.number);
    return;
  }
  same.seqs = ascending([...same.seqs, ...hop.seqs]);
  same.seq = same.seqs[0] ?? same.seq;
}

function ascending(seqs: number[]): number[] {
  return [...new Set(seqs)].sort((left, right) => left - right);
}

type MessageEvent = Extract<TimelineEntry["event"], { kind: "message" }>;

/**
 * The message entries a query's events belong with. A daemon publishes a find-event (or
 * find-result) message just before the query event of the same datagram, on the same
 * channel; an asking peer's query-dht and the manager's reply to it come before its walk.
 */
class EntryGroups {
  private readonly messages = new Map<string, number>();
  /** Per asking peer: the entries of its latest query-dht exchange, and if it was answered. */
  private readonly choices = new Map<string, { seqs: number[]; replied: boolean }>();

  message(entry: TimelineEntry, event: MessageEvent): void {
    if (event.messageType === "find-event" || event.messageType === "find-result") {
      this.messages.set(messageKey(entry.daemonId, event), entry.seq);
    } else if (event.messageType === "query-dht") {
      const open = this.choices.get(event.from);
      if (open === undefined || open.replied) {
        this.choices.set(event.from, { seqs: [entry.seq], replied: false });
      } else open.seqs.push(entry.seq);
    } else if (event.messageType === "reply") {
      const open = this.choices.get(event.to);
      if (open === undefined) return;
      open.seqs.push(entry.seq);
      open.replied = true;
    }
  }

  /** The query-dht exchange of `origin` before its walk, taken once. */
  claimChoice(origin: string): number[] {
    const open = this.choices.get(origin);
    this.choices.delete(origin);
    return ascending(open?.seqs ?? []);
  }

  /** The query event's own entry and the message entry it goes with, if seen. */
  claimMessage(
    entry: TimelineEntry,
    event: { direction: "sent" | "received"; from: string; to: string },
    messageType: string,
  ): number[] {
    const key = messageKey(entry.daemonId, { ...event, messageType });
    const message = this.messages.get(key);
    this.messages.delete(key);
    return message === undefined ? [entry.seq] : [message, entry.seq];
  }
}

function messageKey(
  daemonId: string,
  event: { direction: string; messageType: string; from: string; to: string },
): string {
  return `${daemonId}|${event.direction}|${event.messageType}|${event.from}|${event.to}`;
}

function runFor(
  runs: Map<string, QueryRun>,
  origin: string,
  queryId: number,
  eventId: number,
  members: string[],
  entry: TimelineEntry,
): QueryRun {
  const key = `${origin}#${queryId}`;
  let run = runs.get(key);
  if (run === undefined) {
    run = {
      key,
      origin,
      originDaemonId:
        entry.event.kind === "query-result" && entry.event.direction === "received"
          ? entry.daemonId
          : null,
      queryId,
      eventId,
      members,
      hops: [],
      answer: null,
      startSeq: entry.seq,
      choiceSeqs: [],
      resultSeqs: [],
    };
    runs.set(key, run);
  }
  // The origin's own first hop may arrive after later ones (other daemons' channels).
  if (run.originDaemonId === null && entry.event.kind === "query-hop") {
    const { direction, from } = entry.event;
    if (direction === "sent" && from === origin) run.originDaemonId = entry.daemonId;
  }
  return run;
}

/** A found record's labelled fields, as the asking peer printed them. */
function fieldsOf(record: readonly string[] | undefined): [label: string, value: string][] {
  if (record === undefined) return [];
  return FIELD_LABELS.map((label, index) => [label, record[index] ?? ""]);
}

/** A manager snapshot's DHT members, or undefined if `state` is not a manager's. */
function membersIn(state: unknown): string[] | undefined {
  if (typeof state !== "object" || state === null || !("dht" in state)) return undefined;
  const { dht } = state as { dht: { members?: unknown } | null };
  if (dht === null) return [];
  return Array.isArray(dht.members) ? dht.members.map(String) : undefined;
}

/** The mean id-seq length of a walk over `ringSize` members: (n + 1) / 2. */
export function expectedIdSeqLength(ringSize: number): number {
  return (ringSize + 1) / 2;
}

/**
 * The one query the ring and the Queries panel both show: the replayed one if it exists at
 * the cursor, else the newest that has hops (a walk whose hops have not reached the server
 * yet would be drawn as nothing), else the newest. A replayed walk that starts only after
 * the cursor (a query command jumped to) is shown as it stood before its first hop, from
 * `later`, the queries of the whole log.
 */
export function shownQuery(
  queries: readonly QueryRun[],
  replayedKey: string | null,
  later: readonly QueryRun[] = [],
): QueryRun | null {
  const chosen = replayedKey === null ? undefined : queries.find((run) => run.key === replayedKey);
  const coming = replayedKey === null ? undefined : later.find((run) => run.key === replayedKey);
  if (chosen === undefined && coming !== undefined) return notStarted(coming);
  return chosen ?? queries.findLast((run) => run.hops.length > 0) ?? queries.at(-1) ?? null;
}

/** A walk as it stood before its first entry: asked for, nothing more. */
function notStarted(run: QueryRun): QueryRun {
  return { ...run, hops: [], answer: null, choiceSeqs: [], resultSeqs: [] };
}

/** The newest walk `origin` started for `eventId` after `afterSeq`: the one a click began. */
export function startedRun(
  queries: readonly QueryRun[],
  origin: string,
  eventId: number,
  afterSeq: number,
): QueryRun | undefined {
  return queries.findLast(
    (run) => run.origin === origin && run.eventId === eventId && run.startSeq > afterSeq,
  );
}

export interface IdSeqHistogram {
  /** One bin per length 1..ringSize. */
  bins: { length: number; count: number }[];
  /** Walks counted: answered (found or not, not refused) over a ring of `ringSize`. */
  count: number;
  mean: number | null;
}

/** How long the answered walks over a ring of `ringSize` were (id-seq length = hops). */
export function idSeqHistogram(queries: readonly QueryRun[], ringSize: number): IdSeqHistogram {
  const bins = Array.from({ length: ringSize }, (_, index) => ({ length: index + 1, count: 0 }));
  let count = 0;
  let total = 0;
  for (const run of queries) {
    const { answer } = run;
    if (answer === null || answer.reason !== null || run.members.length !== ringSize) continue;
    const bin = bins[answer.idSeq.length - 1];
    if (bin === undefined) continue;
    bin.count += 1;
    count += 1;
    total += answer.idSeq.length;
  }
  return { bins, count, mean: count === 0 ? null : total / count };
}
