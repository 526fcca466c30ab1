/**
 * The receiving half of a link from one remote address: delivers messages in seq order,
 * holds early arrivals until the gap before them fills, drops duplicates, and describes
 * what it holds in the next ack (PROTOCOL.md section 7).
 */
import type { Ack, PeerMessage } from "../protocol/messages.ts";
import type { Address } from "./udp.ts";

export type Arrival = "delivered" | "duplicate" | "buffered" | "beyond-buffer" | "stale-session";

export type AckBody = Pick<Ack, "type" | "ackSess" | "ack" | "sack">;

/** Old sessions remembered per address, so a late datagram of one cannot revive it. */
const RETIRED_SESSIONS_KEPT = 16;

export class IncomingLink {
  /** The sender incarnation whose seqs we are counting. */
  private sess: number;
  /** The next seq to deliver; everything below it was delivered. */
  private expectedSeq = 0;
  /** Arrivals beyond a gap, by seq, with their size in bytes. */
  private readonly heldBeyondGap = new Map<number, { message: PeerMessage; bytes: number }>();
  private heldBytesNow = 0;
  private readonly retiredSessions: number[] = [];
  /** When this link last delivered (or was created): its held arrivals expire from then. */
  progressedAt: number;

  constructor(
    readonly from: Address,
    sess: number,
    private readonly bufferLimit: number,
    private readonly sackLimit: number,
    now = 0,
  ) {
    this.sess = sess;
    this.progressedAt = now;
  }

  /** Bytes of the arrivals held beyond a gap. */
  get heldBytes(): number {
    return this.heldBytesNow;
  }

  /**
   * Takes one arrival and calls `deliver` for it and for every held message it unblocks,
   * in seq order. A new sess means the sender restarted (or reset its link): its old
   * state is dropped and counting starts again from 0. An early arrival is held only if
   * its `bytes` fit in `room` (the endpoint's budget across links); if not, the sender
   * retransmits it.
   */
  accept(
    message: PeerMessage,
    deliver: (message: PeerMessage) => void,
    bytes = 0,
    room = Number.POSITIVE_INFINITY,
  ): Arrival {
    if (message.sess !== this.sess) {
      if (this.retiredSessions.includes(message.sess)) return "stale-session";
      this.restart(message.sess);
    }
    const seq = message.seq;
    if (seq < this.expectedSeq || this.heldBeyondGap.has(seq)) return "duplicate";
    if (seq > this.expectedSeq) {
      // Bounded: the sender retransmits what we could not hold.
      if (seq >= this.expectedSeq + this.bufferLimit || bytes > room) return "beyond-buffer";
      this.heldBeyondGap.set(seq, { message, bytes });
      this.heldBytesNow += bytes;
      return "buffered";
    }
    // Advance before delivering, so a handler that throws cannot cause a second delivery.
    this.expectedSeq += 1;
    deliver(message);
    let next = this.heldBeyondGap.get(this.expectedSeq);
    while (next !== undefined) {
      this.heldBeyondGap.delete(this.expectedSeq);
      this.heldBytesNow -= next.bytes;
      this.expectedSeq += 1;
      deliver(next.message);
      next = this.heldBeyondGap.get(this.expectedSeq);
    }
    return "delivered";
  }

  /** The ack describing this link now: next seq expected, and the held seqs beyond it. */
  ackBody(): AckBody {
    let sack: number[] = [];
    if (this.heldBeyondGap.size > 0) {
      sack = [...this.heldBeyondGap.keys()].sort((a, b) => a - b).slice(0, this.sackLimit);
    }
    return { type: "ack", ackSess: this.sess, ack: this.expectedSeq, sack };
  }

  /**
   * Forgets the held arrivals; returns the bytes freed. Only for a link whose sender has
   * given up (no progress for longer than its dead-after time): a live sender does not
   * retransmit what an ack listed as held.
   */
  dropHeld(): number {
    const freed = this.heldBytesNow;
    this.heldBeyondGap.clear();
    this.heldBytesNow = 0;
    return freed;
  }

  private restart(sess: number): void {
    this.retiredSessions.push(this.sess);
    if (this.retiredSessions.length > RETIRED_SESSIONS_KEPT) this.retiredSessions.shift();
    this.sess = sess;
    this.expectedSeq = 0;
    this.dropHeld();
  }
}
