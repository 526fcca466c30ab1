/**
 * What waits to go out on the link to one neighbour, in order: record lines bound for it
 * and the messages queued behind them. Lines are packed into `store` bodies that fit a
 * datagram of at most `maxDatagram` bytes (so bulk stores cross an Ethernet path without
 * IP fragmentation), but only as the link takes them: at most MAX_IN_FLIGHT messages are
 * handed to the link and not yet acknowledged. A leader of a million records so holds its
 * year once, as lines, instead of every encoded datagram of it at once as well.
 *
 * Lines added in one event-loop turn share datagrams; a message queued behind lines
 * leaves after them, so nothing overtakes the records (the count barrier relies on it).
 */
import type { PeerBody } from "../protocol/messages.ts";
import { encodedLineBytes, type RecordLine } from "../protocol/record-line.ts";

/** Room for the envelope and the store's own fields around the records. */
const ENVELOPE_BYTES = 200;
/** Two of the link's windows (32): the link always has a full window to send. */
export const MAX_IN_FLIGHT = 64;

type Waiting =
  | {
      kind: "records";
      lines: readonly RecordLine[];
      next: number;
      tableSize: number;
      /** Gathered for a replicated ring's rebuild (store.gather) rather than stored on. */
      gather: boolean;
    }
  | { kind: "message"; body: PeerBody; notify: boolean };

/** Hands one message to the link; `done` runs once it is acknowledged or has failed. */
export type Transmit = (
  body: PeerBody,
  notify: boolean,
  done: (error: string | null) => void,
) => void;

export class LinkOutbox {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private pumpScheduled = false;
  private readonly budget: number;

  constructor(
    maxDatagram: number,
    senderName: string,
    /** Runs a function once the current burst of work is done (Clock.soon). */
    private readonly soon: (run: () => void) => void,
    private readonly transmit: Transmit,
    /** A message that waited behind one the link gave up on fails with the same error. */
    private readonly failedBehind: (body: PeerBody, error: string) => void,
  ) {
    this.budget = maxDatagram - ENVELOPE_BYTES - Buffer.byteLength(senderName);
  }

  /** True while something waits here: a message for this link must queue behind it. */
  get busy(): boolean {
    return this.waiting.length > 0;
  }

  add(lines: readonly RecordLine[], tableSize: number, gather = false): void {
    if (lines.length === 0) return;
    this.waiting.push({ kind: "records", lines, next: 0, tableSize, gather });
    // On the next turn, so what else this turn adds shares the datagrams.
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    this.soon(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Queues a message behind the waiting records. */
  queue(body: PeerBody, notify: boolean): void {
    this.waiting.push({ kind: "message", body, notify });
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length > 0) {
      const head = this.waiting[0] as Waiting;
      if (head.kind === "message") {
        this.waiting.shift();
        this.send(head.body, head.notify);
      } else {
        this.send(this.nextStore(), false);
      }
    }
  }

  /** Packs the next store from the waiting lines of one table size and purpose, in order. */
  private nextStore(): PeerBody {
    const { tableSize, gather } = this.waiting[0] as Extract<Waiting, { kind: "records" }>;
    const records: RecordLine[] = [];
    let bytes = 0;
    for (
      let head = this.waiting[0];
      head?.kind === "records" && head.tableSize === tableSize && head.gather === gather;
    ) {
      const line = head.lines[head.next] as RecordLine;
      const size = encodedLineBytes(line);
      if (records.length > 0 && bytes + size > this.budget) break;
      records.push(line);
      bytes += size;
      head.next += 1;
      if (head.next === head.lines.length) {
        this.waiting.shift();
        head = this.waiting[0];
      }
    }
    return { type: "store", tableSize, records, ...(gather ? { gather: true as const } : {}) };
  }

  private send(body: PeerBody, notify: boolean): void {
    this.inFlight += 1;
    this.transmit(body, notify, (error) => {
      this.inFlight -= 1;
      // The link gave up: what waits behind would only fail the same way, later. Its
      // records are dropped (the failed store already says so); its messages fail now.
      if (error !== null) {
        const behind = this.waiting.splice(0);
        for (const item of behind) if (item.kind === "message") this.failedBehind(item.body, error);
      }
      this.pump();
    });
  }
}
