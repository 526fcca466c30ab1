/**
 * The sending half of a floor link to one port, by stormring's rules
 * (daemons/src/transport/outgoing-link.ts) so that the floor recovers from loss as well
 * as stormring does and no better: a window of WINDOW seqs; one timer for the link, due at
 * the RTO (RFC 6298, clamped to 20..1,000 ms, doubled on each timeout without progress) or
 * when an overtaken hole is, whichever comes first; a hole is a message sent before one
 * that has arrived, resent an SRTT (and a quarter, at least 1 ms) after its last send.
 */

/** Stormring's link window (daemons/src/transport/link.ts DEFAULT_SETTINGS.window). */
export const WINDOW = 32;
const MIN_RTO_MS = 20;
const MAX_RTO_MS = 1_000;
const INITIAL_RTO_MS = 200;

interface InFlight {
  bytes: Buffer;
  sentAt: number;
  resent: boolean;
}

export class FloorOutgoing {
  private nextSeq = 0;
  /** The lowest seq not yet acknowledged cumulatively. */
  private base = 0;
  private readonly waiting: Buffer[] = [];
  private waitingHead = 0;
  /** Sent and neither acknowledged nor held by the receiver, in seq order. */
  private readonly inFlight = new Map<number, InFlight>();
  private hasRttSample = false;
  private srtt = 0;
  private rttVariation = 0;
  private estimatedRto = INITIAL_RTO_MS;
  private backoff = 1;
  private rtoDeadline = Number.POSITIVE_INFINITY;
  private holeDueAt = Number.POSITIVE_INFINITY;
  /** When the newest transmission known to have arrived was sent: holes were sent before. */
  private latestArrivedSentAt = -1;
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = Number.POSITIVE_INFINITY;

  constructor(
    /** Sends one datagram (with the link header already in it). */
    private readonly transmit: (bytes: Buffer) => void,
    /** Writes the link header for `seq` in front of `payload`. */
    private readonly frame: (seq: number, payload: Buffer) => Buffer,
  ) {}

  private get rto(): number {
    return Math.min(this.estimatedRto * this.backoff, MAX_RTO_MS);
  }

  send(payload: Buffer): void {
    this.waiting.push(payload);
    this.pump(performance.now());
  }

  /** An ack: everything below `next` arrived, and so did the `held` seqs beyond it. */
  acknowledge(next: number, held: readonly number[]): void {
    if (next > this.nextSeq) return;
    const now = performance.now();
    let newest: InFlight | undefined;
    const settle = (seq: number, sent: InFlight) => {
      this.inFlight.delete(seq);
      if (newest === undefined || sent.sentAt > newest.sentAt) newest = sent;
      this.latestArrivedSentAt = Math.max(this.latestArrivedSentAt, sent.sentAt);
    };
    // The Map keeps seq order, so the cumulative part ends at the first seq >= next.
    for (const [seq, sent] of this.inFlight) {
      if (seq >= next) break;
      settle(seq, sent);
    }
    for (const seq of held) {
      const sent = this.inFlight.get(seq);
      if (sent !== undefined) settle(seq, sent);
    }
    // Karn's rule: a resent message's ack says nothing about the round trip.
    if (newest !== undefined && !newest.resent) this.sampleRtt(now - newest.sentAt);
    if (next > this.base) {
      this.base = next;
      this.backoff = 1;
      this.rtoDeadline = this.inFlight.size > 0 ? now + this.rto : Number.POSITIVE_INFINITY;
    }
    this.holeDueAt = this.retransmitOvertaken(now);
    this.pump(now);
  }

  close(): void {
    clearTimeout(this.timer);
  }

  private pump(now: number): void {
    // The window is a span of seqs, held ones included, as in stormring's outgoing link.
    while (this.nextSeq - this.base < WINDOW && this.waitingHead < this.waiting.length) {
      const bytes = this.frame(this.nextSeq, this.waiting[this.waitingHead] as Buffer);
      this.waitingHead += 1;
      if (this.inFlight.size === 0) this.rtoDeadline = now + this.rto;
      this.inFlight.set(this.nextSeq, { bytes, sentAt: now, resent: false });
      this.nextSeq += 1;
      this.transmit(bytes);
    }
    // The queue empties now and then: drop what was sent, so it does not grow for ever.
    if (this.waitingHead === this.waiting.length) {
      this.waiting.length = 0;
      this.waitingHead = 0;
    }
    this.schedule();
  }

  private schedule(): void {
    const due =
      this.inFlight.size === 0
        ? Number.POSITIVE_INFINITY
        : Math.min(this.rtoDeadline, this.holeDueAt);
    if (due === this.timerDueAt) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAt = due;
    if (due === Number.POSITIVE_INFINITY) return;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, due - performance.now()));
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerDueAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    if (now >= this.rtoDeadline) {
      // Nothing acknowledged for an RTO: the head, and whatever has waited as long, again.
      const waited = this.rto;
      let head = true;
      for (const sent of this.inFlight.values()) {
        if (head || now - sent.sentAt >= waited) this.resend(sent, now);
        head = false;
      }
      this.backoff *= 2;
      this.rtoDeadline = now + this.rto;
    }
    this.holeDueAt = this.retransmitOvertaken(now);
    this.schedule();
  }

  /** Resends the holes that are due; returns when the next one will be. */
  private retransmitOvertaken(now: number): number {
    if (!this.hasRttSample) return Number.POSITIVE_INFINITY;
    const lossDelay = this.srtt + Math.max(this.srtt / 4, 1);
    let nextDue = Number.POSITIVE_INFINITY;
    for (const sent of this.inFlight.values()) {
      if (sent.sentAt >= this.latestArrivedSentAt) continue;
      const due = sent.sentAt + lossDelay;
      if (due <= now) this.resend(sent, now);
      else nextDue = Math.min(nextDue, due);
    }
    return nextDue;
  }

  private resend(sent: InFlight, now: number): void {
    sent.sentAt = now;
    sent.resent = true;
    this.transmit(sent.bytes);
  }

  private sampleRtt(rtt: number): void {
    if (!this.hasRttSample) {
      this.hasRttSample = true;
      this.srtt = rtt;
      this.rttVariation = rtt / 2;
    } else {
      this.rttVariation = 0.75 * this.rttVariation + 0.25 * Math.abs(this.srtt - rtt);
      this.srtt = 0.875 * this.srtt + 0.125 * rtt;
    }
    const estimate = this.srtt + Math.max(1, 4 * this.rttVariation);
    this.estimatedRto = Math.min(Math.max(estimate, MIN_RTO_MS), MAX_RTO_MS);
  }
}
