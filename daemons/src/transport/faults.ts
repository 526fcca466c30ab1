/**
 * Fault injection for outgoing datagrams, so tests and demos can show the transport coping
 * with loss, duplication and reordering. Off unless STORMRING_FAULTS is set, for example
 * `STORMRING_FAULTS=drop=0.05,dup=0.05,delay=0.05,delayMs=50`.
 */

import type { Address } from "./address.ts";
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
