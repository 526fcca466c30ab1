/**
 * The dashboard's event log: every timeline entry the server pushed, in seq order, and
 * the API states (process facts: alive, pid, addresses) marked with the last seq known
 * when each arrived. The log is the single source of truth: every view is derived from
 * it at a cursor (a seq), so pausing, stepping and scrubbing are just moving the cursor.
 */
import type { ApiState, TimelineEntry } from "../api/types.ts";

export interface StateMark {
  /** The last entry seq the dashboard held when this state arrived. */
  afterSeq: number;
  state: ApiState;
}

export interface EventLog {
  readonly entries: readonly TimelineEntry[];
  readonly states: readonly StateMark[];
}

export const EMPTY_LOG: EventLog = { entries: [], states: [] };

/** Entries kept; the oldest go first (the server keeps 20,000 too). */
export const LOG_LIMIT = 20_000;
/** State marks kept: enough for scrubbing back over a long session. */
const STATE_LIMIT = 2_000;

export function lastSeq(log: EventLog): number {
  return log.entries.at(-1)?.seq ?? 0;
}

export function firstSeq(log: EventLog): number {
  return log.entries[0]?.seq ?? 0;
}

/** Appends entries newer than the last one held (a reconnect may resend some). */
export function appendEntries(log: EventLog, entries: readonly TimelineEntry[]): EventLog {
  const after = lastSeq(log);
  const fresh = entries.filter((entry) => entry.seq > after);
  if (fresh.length === 0) return log;
  const all = [...log.entries, ...fresh];
  return { ...log, entries: all.length > LOG_LIMIT ? all.slice(all.length - LOG_LIMIT) : all };
}

/**
 * The log of a server that restarted (its seqs began again from 1): its old entries
 * describe processes that are gone, so only the newest API state is kept.
 */
export function restartLog(log: EventLog): EventLog {
  const newest = log.states.at(-1);
  return { entries: [], states: newest === undefined ? [] : [{ ...newest, afterSeq: 0 }] };
}

/** Whether `entries` pushed live come from a restarted server: seqs only grow on one. */
export function isRestart(log: EventLog, entries: readonly TimelineEntry[]): boolean {
  const first = entries[0];
  return first !== undefined && lastSeq(log) > 0 && first.seq <= lastSeq(log);
}

/**
 * Marks `state` as holding from `seq` on (the newest entry the server had sent when it
 * took it), or from the last entry held: on a first connect the state comes before the
 * entries it follows, and marking it at 0 would show the present at every past cursor.
 */
export function appendState(log: EventLog, state: ApiState, seq = lastSeq(log)): EventLog {
  const afterSeq = Math.max(seq, log.states.at(-1)?.afterSeq ?? 0);
  const states = [...log.states, { afterSeq, state }];
  return { ...log, states: states.length > STATE_LIMIT ? states.slice(1) : states };
}

/** Index of the first entry with seq above `seq` (binary search: entries are sorted). */
export function indexAfter(entries: readonly TimelineEntry[], seq: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((entries[middle]?.seq ?? 0) <= seq) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The entries up to and including `cursor`. */
export function entriesUpTo(log: EventLog, cursor: number): readonly TimelineEntry[] {
  return log.entries.slice(0, indexAfter(log.entries, cursor));
}

/** The log as it stood at `cursor`: its entries and the API states marked by then. */
export function logUpTo(log: EventLog, cursor: number): EventLog {
  if (cursor >= lastSeq(log)) return log;
  return {
    entries: entriesUpTo(log, cursor),
    states: log.states.filter((mark) => mark.afterSeq <= cursor),
  };
}

/** The API state in force at `cursor`: the last one marked at or before it, else the first. */
export function stateAt(log: EventLog, cursor: number): ApiState | null {
  return markAt(log, cursor)?.state ?? null;
}

/** The mark of the API state in force at `cursor` (see `stateAt`). */
export function markAt(log: EventLog, cursor: number): StateMark | null {
  let chosen: StateMark | undefined = log.states[0];
  for (const mark of log.states) {
    if (mark.afterSeq > cursor) break;
    chosen = mark;
  }
  return chosen ?? null;
}

/** Entries a step stops at: console lines only repeat what the other events show. */
function isStep(entry: TimelineEntry): boolean {
  return entry.event.kind !== "console";
}

/**
 * The seq one step from `cursor`: the next (or previous) entry that is not a console
 * line; past the last one, the end of the log; before the first, the empty start.
 */
export function stepFrom(log: EventLog, cursor: number, direction: 1 | -1): number {
  const { entries } = log;
  const start = indexAfter(entries, cursor);
  if (direction > 0) {
    for (let index = start; index < entries.length; index++) {
      const entry = entries[index];
      if (entry !== undefined && isStep(entry)) return entry.seq;
    }
    return Math.max(cursor, lastSeq(log));
  }
  for (let index = start - 1; index >= 0; index--) {
    const entry = entries[index];
    if (entry !== undefined && entry.seq < cursor && isStep(entry)) return entry.seq;
  }
  return Math.max(0, firstSeq(log) - 1);
}
