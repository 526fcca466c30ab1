/**
 * Queries as the log tells them: the hot-potato hops of each find-event walk, and the
 * answer the asking peer received (its status and record, from the event itself). Hops are numbered by the
 * id-seq they carried (hop k carried k-1 ids), not by arrival order, because hops reach
 * the server over different daemons' channels.
 */
import { FIELD_LABELS } from "../../../daemons/src/data/field-labels.ts";
import type { QueryStatus, TimelineEntry } from "../api/types.ts";
import { type EventLog, entriesUpTo } from "./log.ts";

export interface QueryHop {
  /** 1 for the asking peer's find-event, then one per forward. */
  number: number;
  from: string;
  to: string;
  seq: number;
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
}

/** Every query walk seen up to `cursor`, oldest first. */
export function queriesAt(log: EventLog, cursor: number): QueryRun[] {
  const runs = new Map<string, QueryRun>();
  let members: string[] = [];
  for (const entry of entriesUpTo(log, cursor)) {
    const { event } = entry;
    if (event.kind === "state") members = membersIn(event.state) ?? members;
    else if (event.kind === "query-hop" && event.direction === "sent") {
      const run = runFor(runs, event.origin, event.queryId, event.eventId, members, entry);
      run.hops.push({
        number: event.idSeq.length + 1,
        from: event.from,
        to: event.to,
        seq: entry.seq,
      });
      run.hops.sort((left, right) => left.number - right.number);
    } else if (event.kind === "query-result" && event.direction === "received") {
      const run = runFor(runs, event.to, event.queryId, event.eventId, members, entry);
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
      originDaemonId: entry.event.kind === "query-hop" ? null : entry.daemonId,
      queryId,
      eventId,
      members,
      hops: [],
      answer: null,
      startSeq: entry.seq,
    };
    runs.set(key, run);
  }
  // The origin's own first hop may arrive after later ones (other daemons' channels).
  if (run.originDaemonId === null && entry.event.kind === "query-hop") {
    if (entry.event.from === origin) run.originDaemonId = entry.daemonId;
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
 * yet would be drawn as nothing), else the newest.
 */
export function shownQuery(
  queries: readonly QueryRun[],
  replayedKey: string | null,
): QueryRun | null {
  const chosen = replayedKey === null ? undefined : queries.find((run) => run.key === replayedKey);
  return chosen ?? queries.findLast((run) => run.hops.length > 0) ?? queries.at(-1) ?? null;
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
