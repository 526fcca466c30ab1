/**
 * The aggregator's merged timeline: every daemon's events numbered from 1 in the order the
 * aggregator received them, the latest `limit` kept (the oldest are dropped), paged by seq.
 */
import type { DaemonEvent } from "../../daemons/src/observe/events.ts";

export interface TimelineEntry {
  /** Global, from 1, in the order the aggregator received the events. */
  seq: number;
  daemonId: string;
  at: number;
  clock: number;
  event: DaemonEvent;
}

export class Timeline {
  private readonly limit: number;
  /** Entries from index `start` on are live; the dead prefix is cut in chunks (amortised). */
  private entries: TimelineEntry[] = [];
  private start = 0;
  private lastSeq = 0;

  constructor(limit: number) {
    this.limit = Math.max(1, limit);
  }

  /** Numbers the event and keeps it, dropping the oldest entry past the limit. */
  append(daemonId: string, at: number, clock: number, event: DaemonEvent): TimelineEntry {
    this.lastSeq += 1;
    const entry: TimelineEntry = { seq: this.lastSeq, daemonId, at, clock, event };
    this.entries.push(entry);
    if (this.entries.length - this.start > this.limit) this.start += 1;
    if (this.start >= this.limit) {
      this.entries = this.entries.slice(this.start);
      this.start = 0;
    }
    return entry;
  }

  /** Entries with seq above `after`, at most `limit`; `next` is the `after` to ask next. */
  page(after: number, limit: number): { entries: TimelineEntry[]; next: number } {
    const first = this.entries[this.start]?.seq ?? this.lastSeq + 1;
    const from = this.start + Math.max(0, after + 1 - first);
    const entries = this.entries.slice(from, from + Math.max(0, limit));
    return { entries, next: entries.at(-1)?.seq ?? Math.min(after, this.lastSeq) };
  }
}
