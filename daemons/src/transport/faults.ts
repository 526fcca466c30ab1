/**
 * Fault injection for outgoing datagrams, so tests and demos can show the transport coping
 * with loss, duplication and reordering. Off unless STORMRING_FAULTS is set, for example
 * `STORMRING_FAULTS=drop=0.05,dup=0.05,delay=0.05,delayMs=50`.
 */

import { type Address, addressKey } from "./address.ts";
import type { RandomSource } from "./identity.ts";

export const FAULTS_ENV = "STORMRING_FAULTS";

/** Probabilities (0..1) per datagram, and the largest delay given to a delayed one. */
export type FaultSettings = { drop: number; dup: number; delay: number; delayMs: number };

/** Sends already-encoded bytes; the function the faults wrap. */
export type RawSend = (bytes: Buffer, to: Address) => void;

const DEFAULT_DELAY_MS = 50;
const PROBABILITY_KEYS = ["drop", "dup", "delay"] as const;

/** Parses `key=value,...`; throws an Error naming the bad part, so a typo is not ignored. */
export function parseFaults(spec: string): FaultSettings {
  const settings: FaultSettings = { drop: 0, dup: 0, delay: 0, delayMs: DEFAULT_DELAY_MS };
  for (const part of spec.split(",")) {
    const item = part.trim();
    if (item === "") continue;
    const [key, text, ...rest] = item.split("=");
    const value = Number(text);
    if (key === undefined || text === undefined || rest.length > 0 || text.trim() === "") {
      throw new Error(`${FAULTS_ENV}: "${item}" is not key=value`);
    }
    if (!Number.isFinite(value)) {
      throw new Error(`${FAULTS_ENV}: ${key} must be a number, got "${text}"`);
    }
    if (key === "delayMs") {
      if (value < 0) throw new Error(`${FAULTS_ENV}: delayMs must be >= 0, got ${value}`);
      settings.delayMs = value;
    } else if ((PROBABILITY_KEYS as readonly string[]).includes(key)) {
      if (value < 0 || value > 1) {
        throw new Error(`${FAULTS_ENV}: ${key} is a probability in 0..1, got ${value}`);
      }
      settings[key as (typeof PROBABILITY_KEYS)[number]] = value;
    } else {
      throw new Error(`${FAULTS_ENV}: unknown setting "${key}" (known: drop, dup, delay, delayMs)`);
    }
  }
  return settings;
}

/** The settings from the environment, or undefined when fault injection is off. */
export function faultsFromEnvironment(
  environment: NodeJS.ProcessEnv = process.env,
): FaultSettings | undefined {
  const spec = environment[FAULTS_ENV];
  return spec === undefined || spec.trim() === "" ? undefined : parseFaults(spec);
}

/** Wraps a send function so each datagram may be dropped, duplicated or delayed. */
export function withFaults(
  send: RawSend,
  settings: FaultSettings,
  random: RandomSource = Math.random,
): RawSend {
  const sendMaybeLater = (bytes: Buffer, to: Address): void => {
    if (random() < settings.delay) {
      // Unref'd: a datagram still held back must not keep a finished process alive.
      setTimeout(() => send(bytes, to), random() * settings.delayMs).unref();
    } else {
      send(bytes, to);
    }
  };
  return (bytes, to) => {
    if (random() < settings.drop) return;
    sendMaybeLater(bytes, to);
    if (random() < settings.dup) sendMaybeLater(bytes, to);
  };
}

/** A change of the run-time faults, as the control channel's `faults` frame asks it. */
export interface FaultChange {
  loss?: number;
  dropNext?: Address;
}

/** The most a peer may be told to lose at run time: past half, a ring only times out. */
export const MAX_RUN_TIME_LOSS = 0.5;

/**
 * Faults a lecturer sets while the daemon runs (the control channel's `faults` frame),
 * beside the fixed STORMRING_FAULTS: a share of every datagram sent that is lost, and
 * "drop the next message" on the link to one address. One object per daemon, shared by
 * its sockets and its links, so a setting outlives a re-register.
 */
export class RunTimeFaults {
  #loss = 0;
  readonly #dropNext = new Set<string>();

  constructor(private readonly random: RandomSource = Math.random) {}

  /** The share of outgoing datagrams lost on purpose, 0 to MAX_RUN_TIME_LOSS. */
  get loss(): number {
    return this.#loss;
  }

  /** Throws a RangeError outside 0..MAX_RUN_TIME_LOSS, changing nothing. */
  setLoss(loss: number): void {
    if (!Number.isFinite(loss) || loss < 0 || loss > MAX_RUN_TIME_LOSS) {
      throw new RangeError(`loss is a share in 0..${MAX_RUN_TIME_LOSS}, got ${loss}`);
    }
    this.#loss = loss;
  }

  /** The next message (not a probe) sent on the link to `to` is lost once. */
  dropNextTo(to: Address): void {
    this.#dropNext.add(addressKey(to));
  }

  /** Whether this datagram is lost to the run-time loss. */
  losesDatagram(): boolean {
    return this.#loss > 0 && this.random() < this.#loss;
  }

  /**
   * Whether a message of `type` sent on the link to `to` is the one to drop; it then no
   * longer waits. A probe goes on every second, so it is never the one: the lecturer means
   * the next message the diagram draws.
   */
  takesNextMessage(to: Address, type: string): boolean {
    if (type === "probe" || type === "ack") return false;
    return this.#dropNext.delete(addressKey(to));
  }
}
