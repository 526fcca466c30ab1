/**
 * The ring's query replay: how far a replay has got, and the
 * hashing arithmetic (PROTOCOL.md section 3) that says which node owns the event. On
 * loopback a walk takes a millisecond, so the ring redraws it one hop per step.
 */
import { ownerOf, positionOf, tableSizeFor } from "../../../daemons/src/data/hashing.ts";
import type { Dht, ManagerSnapshot } from "../api/types.ts";
import { type EventLog, indexAfter } from "./log.ts";
import type { QueryHop, QueryRun } from "./queries.ts";
import { copiesOf, type EventCopies, type Replication } from "./replicas.ts";

/** How long each hop stays the newest one at speed 1. */
export const HOP_STEP_MS = 700;

export function hopStepMs(speed: number): number {
  return HOP_STEP_MS / (speed > 0 ? speed : 1);
}

/**
 * The last step of a replay: step 0 draws the manager's choice of the first member
 * (hop 0), step k the walk's first k hops; the answer comes with the last hop.
 */
export function lastStep(run: QueryRun): number {
  return run.hops.length;
}

/** Steps a replay takes: hop 0, then one per hop. */
export function replaySteps(run: QueryRun): number {
  return lastStep(run) + 1;
}

/** Every hop the answer's id-seq speaks of has reached the log: the walk can be shown whole. */
export function walkComplete(run: QueryRun): boolean {
  return run.answer !== null && run.hops.length >= run.answer.idSeq.length;
}

export interface ReplayFrame {
  /** The step shown, 0 .. the last. */
  step: number;
  /** The member the manager picked for the asking peer (hop 0), when known. */
  choice: string | null;
  hops: QueryHop[];
  /**
   * The walk has reached its end: the answer arrow, the result, who found it and the
   * owner are shown only from here on.
   */
  answered: boolean;
  /** Still stepping: the diagram dims what the walk does not touch. */
  replaying: boolean;
  /** Names of the peers the drawn part of the walk touched. */
  touched: Set<string>;
}

/** What a replay shows at `step`: hop 0 from the start, then one more hop per step. */
export function replayFrame(run: QueryRun, step: number): ReplayFrame {
  const shown = Math.max(0, Math.min(lastStep(run), step));
  const hops = run.hops.slice(0, shown);
  const choice = run.hops.find((hop) => hop.number === 1)?.to ?? null;
  const answered = shown === lastStep(run) && walkComplete(run);
  const touched = new Set<string>(hops.flatMap((hop) => [hop.from, hop.to]));
  touched.add(run.origin);
  if (choice !== null) touched.add(choice);
  if (answered && run.answer !== null) touched.add(run.answer.answeredBy);
  return { step: shown, choice, hops, answered, replaying: shown < lastStep(run), touched };
}

/** The walk as the audience may see it at `frame`: no hop beyond it, no answer before the end. */
export function runAsShown(run: QueryRun, frame: ReplayFrame): QueryRun {
  return { ...run, hops: frame.hops, answer: frame.answered ? run.answer : null };
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
  /** A replicated ring: the owner is the primary, and these the nodes holding a copy. */
  copies: EventCopies | null;
  /** Their names, in the same order. */
  copyNames: (string | null)[];
}

/**
 * s = first prime > 2l, pos = event id mod s, owner = pos mod n over the walk's ring, and
 * on a replicated ring the owner's chain of copies.
 */
export function queryArithmetic(
  run: QueryRun,
  records: number | null,
  replication: Replication | null = null,
): QueryArithmetic {
  const ringSize = run.members.length;
  const known = records !== null && records > 0;
  const tableSize = known ? tableSizeFor(records) : null;
  const position = tableSize === null ? null : positionOf(run.eventId, tableSize);
  const owner =
    tableSize === null || ringSize === 0 ? null : ownerOf(run.eventId, tableSize, ringSize);
  const copies = copiesOf(run.eventId, tableSize, ringSize, replication);
  return {
    eventId: run.eventId,
    records: known ? records : null,
    tableSize,
    position,
    ringSize,
    owner,
    ownerName: owner === null ? null : (run.members[owner] ?? null),
    copies,
    copyNames: copies?.holders.map((holder) => run.members[holder] ?? null) ?? [],
  };
}

export interface ArithmeticLines {
  l: string;
  s: string;
  pos: string;
  owner: string;
  /** A replicated ring: its copies in chain order, e.g. "k = 2, chain: 3 delta → 4 beta (tail)". */
  copies: string | null;
}

/**
 * The arithmetic as the ring's aside writes it, products shown: "2 x l = 2 x 48534 =
 * 97068" (never "2l"). The owner's line waits for the walk to reach it (`ownerShown`).
 */
export function arithmeticLines(
  numbers: QueryArithmetic,
  year: string | null,
  ownerShown: boolean,
): ArithmeticLines | null {
  const { records, tableSize, position, owner, ownerName, eventId, ringSize, copies } = numbers;
  if (records === null || tableSize === null || position === null) return null;
  return {
    l: `${records} records${year === null ? "" : ` (${year})`}`,
    s: `first prime > 2 x l = 2 x ${records} = ${2 * records}: ${tableSize}`,
    pos: `${eventId} mod ${tableSize} = ${position}`,
    owner: !ownerShown
      ? `${position} mod ${ringSize} = ? (shown when the walk gets there)`
      : `${position} mod ${ringSize} = ${owner ?? "?"}${ownerName === null ? "" : ` → ${ownerName}`}${copies === null ? "" : " (primary)"}`,
    copies: copies === null ? null : copiesLine(numbers, copies, ownerShown),
  };
}

/** "k = 2, chain: 3 delta → 4 beta (tail)"; "k = 3, eventual: 3 delta, 4 beta, 0 alpha (any)". */
function copiesLine(numbers: QueryArithmetic, copies: EventCopies, shown: boolean): string {
  const head = `k = ${copies.holders.length}, ${copies.consistency}`;
  if (!shown) return `${head}: shown when the walk gets there`;
  const named = copies.holders.map((holder, index) =>
    `${holder} ${numbers.copyNames[index] ?? ""}`.trim(),
  );
  return copies.consistency === "chain"
    ? `${head}: ${named.join(" → ")} (tail)`
    : `${head}: ${named.join(", ")} (any answers)`;
}

/** The caption shown while the DHT changes shape; null when it is ready. */
export function phaseCaption(
  phase: Dht["phase"] | undefined,
  pending: ManagerSnapshot["pending"] = null,
): string | null {
  if (phase === "building") return "Building the DHT: assigning ids and storing records…";
  if (phase === "rebuilding" && pending?.kind === "repair") {
    return `Repairing the ring: ${pending.peer} reported ${pending.dead ?? "a member"} dead; the ring is rebuilt without it…`;
  }
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

/**
 * The hops of a walk that had to be sent again (a lost find-event, or its lost ack), as
 * "from>to": the ring marks them, so loss set at run time shows on the walk itself.
 */
export function resentHops(log: EventLog, run: QueryRun): Set<string> {
  const from = run.choiceSeqs[0] ?? run.startSeq;
  const to = run.answer?.seq ?? Number.POSITIVE_INFINITY;
  const resent = new Set<string>();
  for (let index = indexAfter(log.entries, from - 1); index < log.entries.length; index++) {
    const entry = log.entries[index];
    if (entry === undefined || entry.seq > to) break;
    const { event } = entry;
    if (event.kind === "message" && event.messageType === "find-event" && event.retransmission) {
      resent.add(`${event.from}>${event.to}`);
    }
  }
  return resent;
}
