/**
 * The ring's query replay: how far a replay has got, and the
 * hashing arithmetic (PROTOCOL.md section 3) that says which node owns the event. On
 * loopback a walk takes a millisecond, so the ring redraws it one hop per step.
 */
import { ownerOf, positionOf, tableSizeFor } from "../../../daemons/src/data/hashing.ts";
import type { Dht } from "../api/types.ts";
import type { QueryHop, QueryRun } from "./queries.ts";

/** How long each hop stays the newest one at speed 1. */
export const HOP_STEP_MS = 700;

export function hopStepMs(speed: number): number {
  return HOP_STEP_MS / (speed > 0 ? speed : 1);
}

/** Steps a replay takes: one per hop, plus one for the answer if it came. */
export function replaySteps(run: QueryRun): number {
  return run.hops.length + (run.answer === null ? 0 : 1);
}

export interface ReplayFrame {
  hops: QueryHop[];
  /** Whether the answer arrow is drawn. */
  answered: boolean;
  /** Still stepping: the diagram dims what the walk does not touch. */
  replaying: boolean;
  /** Names of the peers the drawn part of the walk touched. */
  touched: Set<string>;
}

/** What a replay shows after `step` steps: hop 1 from the start, then one more per step. */
export function replayFrame(run: QueryRun, step: number): ReplayFrame {
  const hops = run.hops.slice(0, Math.min(run.hops.length, step + 1));
  const answered = run.answer !== null && step >= run.hops.length;
  const touched = new Set<string>(hops.flatMap((hop) => [hop.from, hop.to]));
  if (answered && run.answer !== null) touched.add(run.answer.answeredBy).add(run.origin);
  return { hops, answered, replaying: step < replaySteps(run), touched };
}

export interface QueryArithmetic {
  eventId: number;
  /** Records of the year (l); null if no build was seen in the log. */
  records: number | null;
  tableSize: number | null;
  position: number | null;
  ringSize: number;
  owner: number | null;
  ownerName: string | null;
}

/** s = first prime > 2l, pos = event id mod s, owner = pos mod n over the walk's ring. */
export function queryArithmetic(run: QueryRun, records: number | null): QueryArithmetic {
  const ringSize = run.members.length;
  const known = records !== null && records > 0;
  const tableSize = known ? tableSizeFor(records) : null;
  const position = tableSize === null ? null : positionOf(run.eventId, tableSize);
  const owner =
    tableSize === null || ringSize === 0 ? null : ownerOf(run.eventId, tableSize, ringSize);
  return {
    eventId: run.eventId,
    records: known ? records : null,
    tableSize,
    position,
    ringSize,
    owner,
    ownerName: owner === null ? null : (run.members[owner] ?? null),
  };
}

/** The caption shown while the DHT changes shape; null when it is ready. */
export function phaseCaption(phase: Dht["phase"] | undefined): string | null {
  if (phase === "building") return "Building the DHT: assigning ids and storing records…";
  if (phase === "rebuilding") return "Rebuilding the ring after a leave or join…";
  if (phase === "tearing-down") return "Tearing the DHT down…";
  return null;
}

export interface Lingering<T> {
  item: T;
  /** Gone from the current list; drawn fading out until dropped. */
  leaving: boolean;
}

/** The current items, plus the previous ones that disappeared, marked as leaving. */
export function withLeaving<T extends { key: string }>(
  previous: readonly Lingering<T>[],
  current: readonly T[],
): Lingering<T>[] {
  const keys = new Set(current.map((item) => item.key));
  const gone = previous
    .filter(({ item }) => !keys.has(item.key))
    .map(({ item }) => ({ item, leaving: true }));
  return [...current.map((item) => ({ item, leaving: false })), ...gone];
}
