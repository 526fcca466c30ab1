/**
 * The sender's side of the envelope (PROTOCOL.md section 7), shared by every socket of one
 * process: its name, its incarnation (`sess`), a message id counter and a Lamport clock.
 */
import { PROTOCOL_VERSION } from "../protocol/messages.ts";

/** A source of uniform numbers in [0, 1), like Math.random; tests pass a seeded one. */
export type RandomSource = () => number;

/** The fields `stamp` adds to a message body. */
export type Envelope = {
  v: typeof PROTOCOL_VERSION;
  from: string;
  sess: number;
  id: number;
  clock: number;
};

const LARGEST_SESS = 2 ** 31;

/**
 * Remote clocks above this are ignored: a hostile or broken sender could otherwise push our
 * clock past Number.MAX_SAFE_INTEGER, and every message we send would then fail validation.
 */
const LARGEST_TRUSTED_CLOCK = 2 ** 48;

export class Identity {
  /** The sender name in every envelope; a peer learns its name when it registers. */
  name: string;
  /** Random per process start, so a restarted sender's ids are not taken for old ones. */
  readonly sess: number;
  private readonly random: RandomSource;
  private lastId = 0;
  private lamportClock = 0;

  constructor(name: string, random: RandomSource = Math.random) {
    this.name = name;
    this.random = random;
    this.sess = this.drawSess();
  }

  /** The current Lamport clock value. */
  get clock(): number {
    return this.lamportClock;
  }

  /** A fresh random incarnation number in 1..2^31 (links draw one when they start over). */
  drawSess(): number {
    return 1 + Math.floor(this.random() * LARGEST_SESS);
  }

  /** Adds the envelope to a body; sending is an event, so the clock and the id advance. */
  stamp<B extends object>(body: B): B & Envelope {
    this.lamportClock += 1;
    this.lastId += 1;
    return {
      ...body,
      v: PROTOCOL_VERSION,
      from: this.name,
      sess: this.sess,
      id: this.lastId,
      clock: this.lamportClock,
    };
  }

  /** Lamport receive rule: the clock moves past everything the sender had seen. */
  observe(remoteClock: number): void {
    if (remoteClock > LARGEST_TRUSTED_CLOCK) return;
    this.lamportClock = Math.max(this.lamportClock, remoteClock) + 1;
  }
}
