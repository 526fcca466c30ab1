/**
 * Judges a recorded history of client operations against what replication promises:
 * per-key linearizability (chain replication), how many reads were stale (eventual
 * replication), and whether the copies agree once writes stop. Pure: no I/O, no clock.
 *
 * Times are closed intervals: an operation invoked at the very millisecond another
 * completed counts as concurrent with it, so clock granularity never invents a violation.
 */

/** One client operation on one key (a storm event id), as a client saw it. */
export type Operation = {
  client: string; // which client ran it
  kind: "write" | "read"; // a delete is a write of value null
  key: number; // event id
  /** Write: value written (null = delete); read: value returned (null = not found); unknown for a read that failed. */
  value: string | null;
  invokedAt: number; // ms, monotonic, when the client sent it
  completedAt: number | null; // when the client got the answer; null if never
  /** ok: done; fail: definitely did not take effect; info: unknown (timed out), may take effect at any time after invoke. */
  outcome: "ok" | "fail" | "info";
};
export type History = Operation[];

export type LinearizabilityVerdict =
  | { ok: true }
  | { ok: false; key: number; reason: string; operations: Operation[] };

export type StaleReadCount = { reads: number; stale: number; share: number; examples: Operation[] };

export type Copy = { holder: string; value: string | null };
export type ConvergenceVerdict = { ok: true } | { ok: false; key: number; values: Copy[] };

/** How many stale reads `staleReads` hands back as examples; `stale` counts them all. */
export const STALE_EXAMPLE_LIMIT = 10;

type Failure = Extract<LinearizabilityVerdict, { ok: false }>;

/** An operation the search has to place (or, for a write not known to be done, may place). */
type Entry = {
  isWrite: boolean;
  value: number; // interned, so register states compare as numbers
  invokedAt: number;
  deadline: number; // latest instant it can take effect; Infinity if it need not be placed
  required: boolean;
};

/** Where the search stands: what is placed, what the register holds, where to scan from. */
type Position = {
  placed: number;
  mask: bigint;
  value: number;
  invokeFrom: number;
  deadlineFrom: number;
};
/** A point of the depth-first search where several writes could go next. */
type ChoicePoint = { at: Position; writes: number[]; next: number };

/**
 * Per key (ascending), a WGL search for an order of the operations that one register explains,
 * each taking effect inside its interval. A failure names the first read, by completion, that
 * no order explains, with what had been written and seen around it.
 */
export function checkLinearizable(
  history: History,
  initial?: Map<number, string | null>,
): LinearizabilityVerdict {
  for (const [key, ops] of byKey(history)) {
    const failure = checkKey(key, ops, initial?.get(key) ?? null);
    if (failure !== null) return failure;
  }
  return { ok: true };
}

function checkKey(key: number, ops: Operation[], initialValue: string | null): Failure | null {
  const reads = ops
    .filter((op) => op.kind === "read" && op.outcome === "ok")
    .sort((a, b) => end(a) - end(b) || a.invokedAt - b.invokedAt);
  const readValues = new Set(reads.map((op) => op.value));
  // A failed write never took effect. An info write whose value nobody read can always be
  // dropped from an order without changing any read, so leaving it out keeps the search small.
  const writes = ops.filter(
    (op) =>
      op.kind === "write" &&
      (op.outcome === "ok" || (op.outcome === "info" && readValues.has(op.value))),
  );
  const written = new Set<string | null>([initialValue, ...writes.map((op) => op.value)]);
  for (const read of reads) {
    if (written.has(read.value)) continue;
    const failed = ops.filter((op) => op.kind === "write" && op.value === read.value);
    const source = failed.length > 0 ? "only a write that failed wrote" : "no write to it wrote";
    const reason = `${describe(read)} returned ${show(read.value)}, which ${source}`;
    return { ok: false, key, reason, operations: [read, ...failed] };
  }

  const ids = new Map<string | null, number>();
  const intern = (value: string | null): number => {
    if (!ids.has(value)) ids.set(value, ids.size);
    return ids.get(value) ?? 0;
  };
  const initialId = intern(initialValue);
  for (const op of [...writes, ...reads]) intern(op.value);
  // The history as it stood when the first `count` reads (by completion) had answered: writes
  // still running then may or may not have taken effect, later operations are not there yet.
  const fitsUpTo = (count: number): boolean => {
    const horizon = count === reads.length ? Infinity : end(reads[count - 1] as Operation);
    const present = [...writes.filter((op) => op.invokedAt <= horizon), ...reads.slice(0, count)];
    const entries = present.map((op): Entry => {
      const required = op.outcome === "ok" && end(op) <= horizon;
      const [deadline, value] = [required ? end(op) : Infinity, ids.get(op.value) ?? 0];
      return { isWrite: op.kind === "write", value, invokedAt: op.invokedAt, deadline, required };
    });
    return linearizable(entries, ids.size, initialId);
  };
  if (fitsUpTo(reads.length)) return null;
  // Fitting is monotone in the prefix, so halving finds the first read nothing explains.
  let low = 1;
  let high = reads.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (fitsUpTo(middle)) low = middle + 1;
    else high = middle;
  }
  return explain(key, reads[low - 1] as Operation, writes, reads, initialValue);
}

/** Whether some order of the entries, each between its invoke and deadline, a register explains. */
function linearizable(unsorted: Entry[], valueCount: number, initialId: number): boolean {
  const entries = unsorted.sort((a, b) => a.invokedAt - b.invokedAt);
  const byDeadline = entries
    .map((_, index) => index)
    .filter((index) => entries[index]?.required)
    .sort((a, b) => (entries[a]?.deadline ?? 0) - (entries[b]?.deadline ?? 0));
  const bits = entries.map((_, index) => 1n << BigInt(index));
  // Per value: reads still to place and writes still able to produce it. A value with reads
  // waiting and no write left to produce it again is orphaned: the next write dooms them.
  const readsWaiting = new Int32Array(valueCount);
  const writesLeft = new Int32Array(valueCount);
  let orphaned = 0;
  const count = (index: number, delta: 1 | -1): void => {
    const { isWrite, value: id } = entries[index] as Entry;
    const wasOrphaned = (readsWaiting[id] ?? 0) > 0 && writesLeft[id] === 0;
    if (isWrite) writesLeft[id] = (writesLeft[id] ?? 0) - delta;
    else readsWaiting[id] = (readsWaiting[id] ?? 0) - delta;
    orphaned += Number((readsWaiting[id] ?? 0) > 0 && writesLeft[id] === 0) - Number(wasOrphaned);
  };
  for (let index = 0; index < entries.length; index += 1) count(index, -1);

  // The current partial order: which entries are placed, in what order, and the register.
  const placed = new Uint8Array(entries.length);
  const order: number[] = [];
  const at: Position = { placed: 0, mask: 0n, value: initialId, invokeFrom: 0, deadlineFrom: 0 };
  const seen = new Map<number, Set<bigint>>();

  const place = (index: number): void => {
    const entry = entries[index] as Entry;
    placed[index] = 1;
    at.placed = order.push(index);
    count(index, 1);
    at.mask |= bits[index] ?? 0n;
    if (entry.isWrite) at.value = entry.value;
  };
  const undoTo = (point: ChoicePoint): void => {
    while (order.length > point.at.placed) {
      const index = order.pop() ?? 0;
      placed[index] = 0;
      count(index, -1);
    }
    Object.assign(at, point.at);
  };

  // Places every read the register explains right now (placing such a read first never
  // rules out an order that works), then lists the writes that could go next. null: a dead
  // end or a state already explored; "done": every required entry is placed.
  const settle = (): ChoicePoint | null | "done" => {
    for (;;) {
      while (placed[byDeadline[at.deadlineFrom] ?? -1] === 1) at.deadlineFrom += 1;
      while (placed[at.invokeFrom] === 1) at.invokeFrom += 1;
      const first = byDeadline[at.deadlineFrom];
      const firstEntry = entries[first ?? -1];
      if (first === undefined || firstEntry === undefined) return "done";
      // Nothing unplaced may start after the earliest unplaced deadline: that one came first.
      const writes: number[] = [];
      let placedRead = false;
      for (let index = at.invokeFrom; index < entries.length; index += 1) {
        const entry = entries[index] as Entry;
        if (entry.invokedAt > firstEntry.deadline) break;
        if (placed[index] === 1) continue;
        if (entry.isWrite) writes.push(index);
        else if (entry.value === at.value) {
          place(index);
          placedRead = true;
        }
      }
      if (placedRead) continue;
      // Only a write can come next, and it would strand an orphaned value's reads for good.
      if (orphaned > 0 || writes.length === 0) return null;
      const states = seen.get(at.value) ?? new Set<bigint>();
      if (states.has(at.mask)) return null;
      seen.set(at.value, states.add(at.mask));
      // Try first the writes that let the most urgent read through, then earliest deadline.
      const urgent = (index: number): number =>
        firstEntry.isWrite
          ? Number(index !== first)
          : Number(entries[index]?.value !== firstEntry.value);
      writes.sort(
        (a, b) =>
          urgent(a) - urgent(b) || (entries[a]?.deadline ?? 0) - (entries[b]?.deadline ?? 0),
      );
      return { at: { ...at }, writes, next: 0 };
    }
  };

  // Depth first without recursion, so a long history cannot overflow the stack.
  const root = settle();
  if (root === "done") return true;
  const stack = root === null ? [] : [root];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as ChoicePoint;
    const write = top.writes[top.next];
    if (write === undefined) {
      stack.pop();
      continue;
    }
    top.next += 1;
    undoTo(top);
    place(write);
    const next = settle();
    if (next === "done") return true;
    if (next !== null) stack.push(next);
  }
  return false;
}

/** Names the first read nothing explains and what had been written and seen around it. */
function explain(
  key: number,
  culprit: Operation,
  writes: Operation[],
  reads: Operation[],
  initialValue: string | null,
): Failure {
  const sources = writes.filter((op) => op.value === culprit.value);
  const done = (op: Operation): boolean => finished(op) && end(op) < culprit.invokedAt;
  const latest = (limit: number, ops: Operation[]): Operation[] =>
    ops
      .filter(done)
      .sort((a, b) => end(a) - end(b))
      .slice(-limit);
  const before = latest(3, writes);
  const during = writes.filter((op) => !done(op) && op.invokedAt <= end(culprit)).slice(0, 4);
  const otherValue = (op: Operation): boolean => op.value !== culprit.value;
  const seenOther = latest(2, reads.filter(otherValue));
  const fromInitial = culprit.value === initialValue ? ["the initial value"] : [];
  const origin = [...fromInitial, ...sources.map((op) => `written by ${span(op)}`)].join(" or ");
  const saw = seenOther.map((op) => `${describe(op)} saw ${show(op.value)}`);
  const reason = [
    `${describe(culprit)} returned ${show(culprit.value)} (${origin}), which no order explains`,
    `writes completed before it: ${list(before.map(describe))}`,
    `writes during it: ${list(during.map(describe))}`,
    `reads completed before it that saw other values: ${list(saw)}`,
  ].join("; ");
  const operations = [...new Set([culprit, ...sources, ...before, ...during, ...seenOther])];
  return { ok: false, key, reason, operations };
}

/**
 * A read is stale when every write that could have produced its value (and the initial
 * value, if it matches) had been overwritten, in real time, before the read began: an ok
 * write began after it completed and itself completed before the read was invoked.
 * Overlapping writes may take effect in either order, so neither makes the other stale; a
 * value from an info write might have landed late, and a value nobody wrote is a
 * linearizability failure rather than staleness, so neither counts here.
 */
export function staleReads(history: History, initial?: Map<number, string | null>): StaleReadCount {
  let reads = 0;
  const stale: Operation[] = [];
  for (const [key, ops] of byKey(history)) {
    const okWrites = ops.filter((op) => op.kind === "write" && op.outcome === "ok");
    const effective = ops.filter((op) => op.kind === "write" && op.outcome !== "fail");
    const initialValue = initial?.get(key) ?? null;
    for (const read of ops) {
      if (read.kind !== "read" || read.outcome !== "ok") continue;
      reads += 1;
      const overwrittenAfter = (time: number): boolean =>
        okWrites.some((op) => op.invokedAt > time && (op.completedAt ?? Infinity) < read.invokedAt);
      const sources = effective.filter((op) => op.value === read.value);
      const fromInitial = read.value === initialValue;
      if (sources.length === 0 && !fromInitial) continue;
      const initialGone = !fromInitial || overwrittenAfter(-Infinity);
      const writesGone = sources.every((op) => finished(op) && overwrittenAfter(end(op)));
      if (initialGone && writesGone) stale.push(read);
    }
  }
  stale.sort((a, b) => a.invokedAt - b.invokedAt);
  const share = reads === 0 ? 0 : stale.length / reads;
  return { reads, stale: stale.length, share, examples: stale.slice(0, STALE_EXAMPLE_LIMIT) };
}

/** Once writes have stopped, every holder of every key has the same value (no holders agree). */
export function checkConverged(copies: Map<number, Copy[]>): ConvergenceVerdict {
  for (const key of [...copies.keys()].sort((a, b) => a - b)) {
    const values = copies.get(key) ?? [];
    if (values.some((copy) => copy.value !== values[0]?.value)) return { ok: false, key, values };
  }
  return { ok: true };
}

/** The history split per key, keys in ascending order so verdicts are reproducible. */
function byKey(history: History): Map<number, Operation[]> {
  const keys = new Map<number, Operation[]>();
  for (const op of history) {
    const ops = keys.get(op.key);
    if (ops === undefined) keys.set(op.key, [op]);
    else ops.push(op);
  }
  return new Map([...keys].sort(([a], [b]) => a - b));
}

function finished(op: Operation): boolean {
  return op.outcome === "ok" && op.completedAt !== null;
}

/** When an operation's effect is over; an ok one missing its time sorts last but still counts. */
function end(op: Operation): number {
  return op.outcome === "ok" ? (op.completedAt ?? Number.MAX_VALUE) : Infinity;
}

function show(value: string | null): string {
  return value === null ? "null" : JSON.stringify(value);
}

function describe(op: Operation): string {
  const what =
    op.kind === "read" ? "read" : op.value === null ? "delete" : `write of ${show(op.value)}`;
  return `${what} by ${span(op)}`;
}

/** Who ran an operation and over which interval; "?" where it never completed. */
function span(op: Operation): string {
  const until = op.outcome === "info" ? "?" : String(op.completedAt ?? "?");
  const outcome = op.outcome === "ok" ? "" : ` (${op.outcome})`;
  return `${op.client} over [${op.invokedAt}, ${until}]${outcome}`;
}

function list(items: string[]): string {
  return items.length === 0 ? "none" : items.join(", ");
}
