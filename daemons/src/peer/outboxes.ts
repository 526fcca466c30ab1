/**
 * The runtime's outgoing side: one LinkOutbox per neighbour, made when records first go
 * there, and the rule that a message for a link with records waiting queues behind them.
 */
import type { PeerBody, PeerTuple } from "../protocol/messages.ts";
import type { RecordLine } from "../protocol/record-line.ts";
import { LinkOutbox, type Transmit } from "./link-outbox.ts";

export class Outboxes {
  private readonly byLink = new Map<string, LinkOutbox>();

  constructor(
    private readonly maxDatagram: number,
    /** Runs a function once the current burst of work is done (Clock.soon). */
    private readonly soon: (run: () => void) => void,
    /** Hands one message to the link to `to`. */
    private readonly transmit: (to: PeerTuple, ...rest: Parameters<Transmit>) => void,
    /** A message that waited behind one the link gave up on. */
    private readonly failedBehind: (to: PeerTuple, body: PeerBody, error: string) => void,
  ) {}

  send(to: PeerTuple, body: PeerBody, notify: boolean): void {
    // Records waiting for this link leave first, so nothing overtakes them.
    const outbox = this.byLink.get(keyOf(to));
    if (outbox?.busy) outbox.queue(body, notify);
    else this.transmit(to, body, notify, () => {});
  }

  /** `senderName` goes in every store's envelope: only a registered member sends records. */
  records(
    to: PeerTuple,
    senderName: string,
    lines: readonly RecordLine[],
    tableSize: number,
    gather = false,
  ): void {
    const key = keyOf(to);
    let outbox = this.byLink.get(key);
    if (outbox === undefined) {
      outbox = new LinkOutbox(
        this.maxDatagram,
        senderName,
        this.soon,
        (body, notify, done) => this.transmit(to, body, notify, done),
        (body, error) => this.failedBehind(to, body, error),
      );
      this.byLink.set(key, outbox);
    }
    outbox.add(lines, tableSize, gather);
  }

  clear(): void {
    this.byLink.clear();
  }
}

function keyOf(tuple: PeerTuple): string {
  return `${tuple.ip}:${tuple.port}`;
}
