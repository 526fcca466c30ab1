/**
 * Queries and faults on one clock, for the chart of query latency and hop counts over
 * time: each answered query at the moment it was asked, how long its answer took and how
 * many members its walk visited; each fault as a span of seconds. Times are the daemons'
 * own (each event's `at`), in seconds since the log's first entry.
 */
import type { FaultInterval } from "./faults.ts";
import { type EventLog, indexAfter } from "./log.ts";
import type { QueryRun } from "./queries.ts";

export interface QueryTiming {
  key: string;
  eventId: number;
  /** When it was asked, in seconds since the log began. */
  at: number;
  latencyMs: number;
  /** Members visited: the id-seq's length. */
  hops: number;
  status: string;
}

export interface FaultSpan {
  label: string;
  kind: FaultInterval["kind"];
  from: number;
  /** The end, or the last entry's time while it lasts. */
  to: number;
  /** It lasts still, at the log's end. */
  ongoing: boolean;
}

/** The time of the last entry at or before `seq`, in ms since the epoch. */
export function atOf(log: EventLog, seq: number): number | null {
  const index = indexAfter(log.entries, seq) - 1;
  return log.entries[Math.max(0, index)]?.at ?? null;
}

function origin(log: EventLog): number {
  return log.entries[0]?.at ?? 0;
}

/** Every answered query, from the query-dht that began it to the answer its asker got. */
export function queryTimings(log: EventLog, runs: readonly QueryRun[]): QueryTiming[] {
  const start = origin(log);
  return runs.flatMap((run) => {
    if (run.answer === null) return [];
    const asked = atOf(log, run.choiceSeqs[0] ?? run.startSeq);
    const answered = atOf(log, run.answer.seq);
    if (asked === null || answered === null) return [];
    return [
      {
        key: run.key,
        eventId: run.eventId,
        at: (asked - start) / 1000,
        latencyMs: Math.max(0, answered - asked),
        hops: run.answer.idSeq.length,
        status: run.answer.status,
      },
    ];
  });
}

/** Each fault as seconds since the log began; one that lasts runs to the log's end. */
export function faultSpans(log: EventLog, faults: readonly FaultInterval[]): FaultSpan[] {
  const start = origin(log);
  const end = log.entries.at(-1)?.at ?? start;
  return faults.map((fault) => {
    const from = atOf(log, fault.fromSeq) ?? start;
    const to = fault.toSeq === null ? end : (atOf(log, fault.toSeq) ?? end);
    return {
      label: fault.label,
      kind: fault.kind,
      from: (from - start) / 1000,
      to: (to - start) / 1000,
      ongoing: fault.toSeq === null,
    };
  });
}

/**
 * The spans to shade: overlapping ones of a kind drawn as one band (five peers losing 25%
 * at once would otherwise stack into a solid block), drops kept as they are.
 */
export function shadedBands(spans: readonly FaultSpan[]): FaultSpan[] {
  const bands: FaultSpan[] = [];
  const sorted = [...spans].sort((left, right) => left.from - right.from);
  for (const span of sorted) {
    const open = bands.findLast((band) => band.kind === span.kind && span.kind !== "drop");
    if (open !== undefined && span.from <= open.to) {
      open.to = Math.max(open.to, span.to);
      open.ongoing = open.ongoing || span.ongoing;
      open.label = `${open.label}, ${span.label}`;
    } else {
      bands.push({ ...span });
    }
  }
  return bands;
}
