/**
 * The sending half of a link to one remote address: a queue of messages numbered from 0,
 * a window of unacknowledged ones on the wire, one retransmission timer for the whole link
 * (RTT estimate per RFC 6298 with Karn's rule, backoff on consecutive timeouts), and fast
 * retransmission of a hole that acks show was overtaken (RACK-style: a message is lost
 * once one sent after it has arrived and an RTT plus a reordering allowance has passed).
 */
import { encode } from "../protocol/codec.ts";
import { MAX_ACCEPTED_DATAGRAM, type PeerBody, type PeerMessage } from "../protocol/messages.ts";
import { LinkFailedError } from "./errors.ts";
import type { Identity } from "./identity.ts";
import { SeqRing } from "./seq-ring.ts";
import type { Address } from "./udp.ts";

export type LinkSettings = {
  window: number;
  minRtoMs: number;
  maxRtoMs: number;
  initialRtoMs: number;
  maxRetransmissions: number;
  /**
   * Gives up once messages have waited this long without any being acknowledged: the peer
   * is taken for dead, whatever the retransmission count (which at the largest RTO would
   * take many seconds more).
   */
  deadAfterMs: number;
};

type QueuedMessage = {
  message: PeerMessage;
  bytes: Buffer;
  lastSentAt: number;
  /** Karn's rule: the ack of a retransmitted message gives no RTT sample. */
  retransmitted: boolean;
  /** The receiver holds it (selective ack); it only waits for the gap before it to fill. */
  sacked: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
};

/** What a link needs from its endpoint. */
export type OutgoingLinkHost = {
  identity: Identity;
  settings: LinkSettings;
  transmit(message: PeerMessage, bytes: Buffer, to: Address, retransmission: boolean): void;
  /** Called once when the link gives up; the endpoint forgets it. */
  failed(link: OutgoingLink): void;
};

/** RFC 6298 clock granularity term; sub-millisecond loopback RTTs would make RTO ~0. */
const CLOCK_GRANULARITY_MS = 1;

export class OutgoingLink {
  private readonly queue = new SeqRing<QueuedMessage>();
  /** Messages below this seq have been sent at least once. */
  private transmitEnd = 0;
  private smoothedRtt = 0;
  private rttVariation = 0;
  private hasRttSample = false;
  /** RTO from the RTT estimate; the timer backs off from it while no progress is made. */
  private estimatedRto: number;
  private consecutiveTimeouts = 0;
  private lastProgressAt = performance.now();
  /** When the newest transmission known to have arrived was sent; holes sent before it. */
  private latestArrivedSentAt = -1;
  private timer: NodeJS.Timeout | undefined;
  /** When the timer fires; it may fire early and re-arm, instead of being re-armed per ack. */
  private timerDueAt = 0;
  /** When the head of the window times out, absent progress. */
  private rtoDeadline = 0;
  /** When the next overtaken hole becomes due for fast retransmission. */
  private holeDueAt = Number.POSITIVE_INFINITY;
  private pumpScheduled = false;

  constructor(
    readonly to: Address,
    /** The incarnation this link numbers its seqs in; the receiver acks per sess. */
    readonly sess: number,
    private readonly host: OutgoingLinkHost,
  ) {
    const { initialRtoMs, minRtoMs, maxRtoMs } = host.settings;
    this.estimatedRto = Math.min(Math.max(initialRtoMs, minRtoMs), maxRtoMs);
  }

  /** The current RTO: doubled for each consecutive timeout, back to the estimate on progress. */
  private get rto(): number {
    return Math.min(this.estimatedRto * 2 ** this.consecutiveTimeouts, this.host.settings.maxRtoMs);
  }

  /** Queues a message; resolves once the receiver acknowledges it. */
  enqueue(body: PeerBody): Promise<void> {
    const message = this.host.identity.stamp({ ...body, seq: this.queue.end }) as PeerMessage;
    // After a reset the link counts in a fresh sess, so the receiver starts again at 0.
    message.sess = this.sess;
    const bytes = encode(message);
    if (bytes.length > MAX_ACCEPTED_DATAGRAM) {
      return Promise.reject(
        new RangeError(
          `${message.type} of ${bytes.length} bytes exceeds the ${MAX_ACCEPTED_DATAGRAM}-byte ` +
            "datagram limit; pack fewer records per datagram",
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({
        message,
        bytes,
        lastSentAt: 0,
        retransmitted: false,
        sacked: false,
        resolve,
        reject,
      });
      this.schedulePump();
    });
  }

  /** Applies an ack from the receiver: cumulative `ack`, then the selective `sack`. */
  acknowledge(ack: number, sack: readonly number[]): void {
    // An ack for something never sent is not about this link incarnation.
    if (ack > this.transmitEnd || ack < this.queue.base) return;
    const now = performance.now();
    // The RTT sample comes from the most recently sent of the newly acknowledged messages;
    // if that one was retransmitted, the ack is ambiguous and gives none (Karn's rule).
    let freshest: QueuedMessage | undefined;
    const acknowledgeOne = (queued: QueuedMessage) => {
      this.latestArrivedSentAt = Math.max(this.latestArrivedSentAt, queued.lastSentAt);
      if (freshest === undefined || queued.lastSentAt >= freshest.lastSentAt) freshest = queued;
    };
    if (ack > this.queue.base) {
      while (this.queue.base < ack) {
        const acknowledged = this.queue.shift() as QueuedMessage;
        if (!acknowledged.sacked) acknowledgeOne(acknowledged);
        acknowledged.resolve();
      }
      this.consecutiveTimeouts = 0;
      this.lastProgressAt = now;
      this.rtoDeadline = now + this.rto;
    }
    for (const seq of sack) {
      const held = seq > ack && seq < this.transmitEnd ? this.queue.at(seq) : undefined;
      if (held === undefined || held.sacked) continue;
      held.sacked = true;
      acknowledgeOne(held);
    }
    if (freshest !== undefined && !freshest.retransmitted) {
      this.sampleRtt(now - freshest.lastSentAt);
    }
    this.holeDueAt = this.retransmitOvertaken(now);
    this.pump(now);
  }

  /** Rejects every queued message and stops the timer; the link is dead afterwards. */
  abandon(errorFor: (message: PeerMessage) => Error): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (let queued = this.queue.shift(); queued !== undefined; queued = this.queue.shift()) {
      queued.reject(errorFor(queued.message));
    }
  }

  /**
   * Sends after the caller's synchronous code: a loop queueing thousands of stores then
   * goes out in one go, and its own run time does not count into the first RTT samples.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      if (this.queue.size > 0) this.pump(performance.now());
    });
  }

  /** Sends queued messages while the window has room, then makes sure the timer runs. */
  private pump(now: number): void {
    if (this.transmitEnd === this.queue.base) {
      // An idle link starts afresh: its silence counts from now.
      this.rtoDeadline = now + this.rto;
      this.lastProgressAt = now;
    }
    const windowEnd = this.queue.base + this.host.settings.window;
    while (this.transmitEnd < this.queue.end && this.transmitEnd < windowEnd) {
      const queued = this.queue.at(this.transmitEnd) as QueuedMessage;
      queued.lastSentAt = now;
      this.host.transmit(queued.message, queued.bytes, this.to, false);
      this.transmitEnd += 1;
    }
    this.scheduleTimer(now);
  }

  private retransmit(queued: QueuedMessage, now: number): void {
    queued.retransmitted = true;
    queued.lastSentAt = now;
    this.host.transmit(queued.message, queued.bytes, this.to, true);
  }

  /**
   * Resends each message that something sent after it overtook, once an RTT plus a
   * reordering allowance has passed since it was sent; returns when the next one is due.
   * A resent message waits for new evidence, so this is at most once per RTT per seq.
   */
  private retransmitOvertaken(now: number): number {
    if (!this.hasRttSample) return Number.POSITIVE_INFINITY;
    const lossDelay = this.smoothedRtt + Math.max(this.smoothedRtt / 4, CLOCK_GRANULARITY_MS);
    let nextDue = Number.POSITIVE_INFINITY;
    for (let seq = this.queue.base; seq < this.transmitEnd; seq++) {
      const queued = this.queue.at(seq) as QueuedMessage;
      if (queued.sacked || queued.lastSentAt >= this.latestArrivedSentAt) continue;
      const due = queued.lastSentAt + lossDelay;
      if (due <= now) this.retransmit(queued, now);
      else nextDue = Math.min(nextDue, due);
    }
    return nextDue;
  }

  private sampleRtt(sample: number): void {
    if (this.hasRttSample) {
      this.rttVariation = 0.75 * this.rttVariation + 0.25 * Math.abs(this.smoothedRtt - sample);
      this.smoothedRtt = 0.875 * this.smoothedRtt + 0.125 * sample;
    } else {
      this.smoothedRtt = sample;
      this.rttVariation = sample / 2;
      this.hasRttSample = true;
    }
    const { minRtoMs, maxRtoMs } = this.host.settings;
    const estimate = this.smoothedRtt + Math.max(CLOCK_GRANULARITY_MS, 4 * this.rttVariation);
    this.estimatedRto = Math.min(Math.max(estimate, minRtoMs), maxRtoMs);
  }

  /** Keeps the one timer due at the earlier of the RTO deadline and the next hole. */
  private scheduleTimer(now: number): void {
    if (this.transmitEnd === this.queue.base) {
      clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    const due = Math.min(this.rtoDeadline, this.holeDueAt);
    // A timer due no later stays: when it fires early it finds nothing due and re-arms.
    if (this.timer !== undefined && this.timerDueAt <= due) return;
    clearTimeout(this.timer);
    this.timerDueAt = due;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, due - now));
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.transmitEnd === this.queue.base) return;
    const now = performance.now();
    if (now >= this.rtoDeadline - 0.5) {
      if (!this.onRetransmissionTimeout(now)) return;
    } else if (now >= this.holeDueAt - 0.5) {
      this.holeDueAt = this.retransmitOvertaken(now);
    }
    this.scheduleTimer(now);
  }

  /** Returns false if the link gave up. */
  private onRetransmissionTimeout(now: number): boolean {
    const waited = this.rto;
    this.consecutiveTimeouts += 1;
    const { maxRetransmissions, deadAfterMs } = this.host.settings;
    if (this.consecutiveTimeouts > maxRetransmissions || now - this.lastProgressAt >= deadAfterMs) {
      this.fail(now);
      return false;
    }
    // Everything unheld that has waited a full RTO is presumed lost, the head first.
    for (let seq = this.queue.base; seq < this.transmitEnd; seq++) {
      const queued = this.queue.at(seq) as QueuedMessage;
      if (!queued.sacked && (seq === this.queue.base || now - queued.lastSentAt >= waited)) {
        this.retransmit(queued, now);
      }
    }
    this.rtoDeadline = now + this.rto;
    this.holeDueAt = Number.POSITIVE_INFINITY;
    return true;
  }

  private fail(now: number): void {
    const retransmissions = this.consecutiveTimeouts - 1;
    const silentFor = ((now - this.lastProgressAt) / 1000).toFixed(1);
    this.abandon(
      (message) =>
        new LinkFailedError(
          this.to,
          message.type,
          message.seq,
          `not acknowledged: ${retransmissions} retransmissions, ${silentFor} s without progress`,
        ),
    );
    this.host.failed(this);
  }
}
