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
  /** Arrivals beyond a gap, by seq. */
  private readonly heldBeyondGap = new Map<number, PeerMessage>();
  private readonly retiredSessions: number[] = [];

  constructor(
    readonly from: Address,
    sess: number,
    private readonly bufferLimit: number,
    private readonly sackLimit: number,
  ) {
    this.sess = sess;
  }

  /**
   * Takes one arrival and calls `deliver` for it and for every held message it unblocks,
   * in seq order. A new sess means the sender restarted (or reset its link): its old
   * state is dropped and counting starts again from 0.
   */
  accept(message: PeerMessage, deliver: (message: PeerMessage) => void): Arrival {
    if (message.sess !== this.sess) {
      if (this.retiredSessions.includes(message.sess)) return "stale-session";
      this.restart(message.sess);
    }
    const seq = message.seq;
    if (seq < this.expectedSeq || this.heldBeyondGap.has(seq)) return "duplicate";
    if (seq > this.expectedSeq) {
      // Bounded: the sender retransmits what we could not hold.
      if (seq >= this.expectedSeq + this.bufferLimit) return "beyond-buffer";
      this.heldBeyondGap.set(seq, message);
      return "buffered";
    }
    // Advance before delivering, so a handler that throws cannot cause a second delivery.
    this.expectedSeq += 1;
    deliver(message);
    let next = this.heldBeyondGap.get(this.expectedSeq);
    while (next !== undefined) {
      this.heldBeyondGap.delete(this.expectedSeq);
      this.expectedSeq += 1;
      deliver(next);
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

  private restart(sess: number): void {
    this.retiredSessions.push(this.sess);
    if (this.retiredSessions.length > RETIRED_SESSIONS_KEPT) this.retiredSessions.shift();
    this.sess = sess;
    this.expectedSeq = 0;
    this.heldBeyondGap.clear();
  }
}
