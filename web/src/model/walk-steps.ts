/**
 * A query walk as a lecture tells it, one step per hop: hop 0 is the manager picking the
 * first member for the asking peer, hop k the k-th find-event, each with a one-line
 * caption of what the node it reached decided (PROTOCOL.md section 5), and the log
 * entries it is made of, so `Next hop` and `Previous hop` move one whole hop.
 */
import type { QueryHop, QueryRun } from "./queries.ts";
import { copyPhrase, type Replication, readersOf } from "./replicas.ts";
import { type QueryArithmetic, queryArithmetic } from "./ring-replay.ts";

export interface WalkStep {
  /** 0: the manager's choice; k: the k-th find-event. */
  number: number;
  from: string;
  /** The node the step reached; null while the manager's choice is not known. */
  to: string | null;
  caption: string;
  /** The log entries of the step, ascending; the last step's include the answer's. */
  seqs: number[];
}

/**
 * The steps of `run`, hop 0 first; `records` is l of the walk's year (null: unknown), and
 * `replication` the ring's (null: one copy of each record).
 */
export function walkSteps(
  run: QueryRun,
  records: number | null,
  replication: Replication | null = null,
): WalkStep[] {
  const numbers = queryArithmetic(run, records, replication);
  const choice = run.hops.find((hop) => hop.number === 1)?.to ?? null;
  const last = run.hops.length - 1;
  const steps: WalkStep[] = [
    {
      number: 0,
      from: "manager",
      to: choice,
      caption: choiceCaption(run, choice),
      seqs: run.hops.length === 0 ? [...run.choiceSeqs, ...run.resultSeqs] : run.choiceSeqs,
    },
  ];
  run.hops.forEach((hop, index) => {
    steps.push({
      number: hop.number,
      from: hop.from,
      to: hop.to,
      caption: hopCaption(run, hop, run.hops[index + 1] ?? null, numbers),
      seqs: index === last ? [...hop.seqs, ...run.resultSeqs] : hop.seqs,
    });
  });
  return steps;
}

/** "node 3 (delta)", or the bare name of a peer not in the walk's ring. */
export function nodeName(run: QueryRun, name: string): string {
  const id = run.members.indexOf(name);
  return id < 0 ? name : `node ${id} (${name})`;
}

function choiceCaption(run: QueryRun, choice: string | null): string {
  const asked = `manager: ${run.origin} asks for a member`;
  if (choice === null) return `${asked}…`;
  return `${asked}; it picks ${nodeName(run, choice)} at random`;
}

/**
 * On a replicated ring, who answered and which copy it holds: "node 3 (delta), the tail
 * of 3 copies", "node 2 (gamma), copy 2 of 3" (a node holding none says so); null with one
 * copy of each record, or no answer yet.
 */
export function answeringCopy(run: QueryRun, numbers: QueryArithmetic): string | null {
  const { answer } = run;
  const { copies } = numbers;
  if (answer === null || copies === null) return null;
  const node = nodeName(run, answer.answeredBy);
  const phrase = copyPhrase(copies, run.members.indexOf(answer.answeredBy));
  return `${node}, ${phrase ?? "which holds no copy"}`;
}

/**
 * What a node is to the walk's event: whether it answers the read (`mine`), and how it
 * says so and otherwise. With one copy: "mine" / "not mine"; on a replicated ring, which
 * copy it holds ("the tail of 2 copies") or "holds no copy".
 */
function standingOf(numbers: QueryArithmetic, id: number) {
  const { copies } = numbers;
  if (copies === null) {
    const mine = numbers.owner !== null && numbers.owner === id;
    return { mine, held: mine, self: "mine", other: "not mine" };
  }
  const held = copyPhrase(copies, id);
  const mine = readersOf(copies).includes(id);
  return { mine, held: held !== null, self: held ?? "", other: held ?? "holds no copy" };
}

/** What the node `hop` reached decided: forward, answer, refuse, or (live) not yet known. */
function hopCaption(
  run: QueryRun,
  hop: QueryHop,
  next: QueryHop | null,
  numbers: QueryArithmetic,
): string {
  const node = nodeName(run, hop.to);
  const sum =
    numbers.position === null || numbers.owner === null
      ? ""
      : `pos ${numbers.position} mod ${numbers.ringSize} = ${numbers.owner}, `;
  const { mine, held, self, other } = standingOf(numbers, run.members.indexOf(hop.to));
  const { copies } = numbers;
  if (next !== null) {
    const tail = run.members[copies?.holders.at(-1) ?? -1];
    if (held && copies?.consistency === "chain" && next.to === tail) {
      return `${node}: ${sum}${other}, not the tail: forward to the tail, ${next.to}`;
    }
    return `${node}: ${sum}${other}: forward to an unvisited node, ${next.to}`;
  }
  const { answer } = run;
  const asker = run.origin;
  if (answer === null) {
    if (numbers.owner === null) return `${node}: deciding…`;
    return `${node}: ${sum}${mine ? `${self}: looking it up…` : `${other}: forwarding…`}`;
  }
  if (answer.status === "gave-up") {
    return `${node}: no answer reached ${asker} in time: ${asker} gave up`;
  }
  if (answer.reason === "BUSY") return `${node}: not ready (BUSY): refuses, tells ${asker}`;
  if (answer.reason !== null) {
    const silent = copies === null ? "the owner does not answer" : "no copy answers";
    return `${node}: ${sum}${other}, ${silent}: tells ${asker} (${answer.reason})`;
  }
  // The node that answered is taken to hold it (with l unknown, to own it); a copy of a
  // chain answers before the tail only when the walk found the tail dead.
  const answering =
    copies === null ? self : !held ? other : mine ? self : `${self}, the tail did not answer`;
  if (answer.status === "found") return `${node}: ${sum}${answering}: found it, answers ${asker}`;
  if (copies === null ? mine || numbers.owner === null : held) {
    return `${node}: ${sum}${answering}: not in its table, answers ${asker} "not found"`;
  }
  return `${node}: ${sum}${other}, no unvisited node left: answers ${asker} "not found"`;
}

/** Where a hop button takes the replay: a step, and a cursor to move to first (or null). */
export interface HopMove {
  step: number;
  seekTo: number | null;
}

/**
 * `Next hop`: the next step drawn at the cursor; past the last one (the cursor pinned in
 * the past), the next step of the whole log's walk, `later`, with the cursor moved to its
 * last entry, so the hop is there whole; or, at the last hop, the answer still to come.
 * Null when the walk has nothing more to show.
 */
export function nextHop(
  step: number,
  atCursor: readonly WalkStep[],
  later: readonly WalkStep[],
  cursor: number,
): HopMove | null {
  // Hop 0 of a walk not begun at the cursor: on to where its first hop names the choice.
  const firstHop = later[1];
  if (atCursor[step]?.to === null && firstHop !== undefined) {
    const end = Math.max(...firstHop.seqs);
    if (end > cursor) return { step, seekTo: end };
  }
  if (step + 1 < atCursor.length) return { step: step + 1, seekTo: null };
  for (const target of [step + 1, step]) {
    const end = Math.max(...(later[target]?.seqs ?? []));
    if (end > cursor) return { step: target, seekTo: end };
  }
  return null;
}

/** `Previous hop`: one step back, down to hop 0; the cursor stays. */
export function previousHop(step: number): HopMove | null {
  return step > 0 ? { step: step - 1, seekTo: null } : null;
}
