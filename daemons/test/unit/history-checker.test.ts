/**
 * The history checker the consistency benchmark and the replication tests lean on: hand-made
 * histories that are and are not linearizable, stale-read counting, convergence, and
 * histories simulated from a sequential register (which must always pass).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  checkConverged,
  checkLinearizable,
  type History,
  type Operation,
  STALE_EXAMPLE_LIMIT,
  staleReads,
} from "../support/history-checker.ts";

type Outcome = Operation["outcome"];

function write(
  client: string,
  value: string | null,
  invokedAt: number,
  completedAt: number | null,
  outcome: Outcome = "ok",
  key = 1,
): Operation {
  return { client, kind: "write", key, value, invokedAt, completedAt, outcome };
}

function read(
  client: string,
  value: string | null,
  invokedAt: number,
  completedAt: number | null,
  outcome: Outcome = "ok",
  key = 1,
): Operation {
  return { client, kind: "read", key, value, invokedAt, completedAt, outcome };
}

function assertFails(history: History, key = 1, initial?: Map<number, string | null>) {
  const verdict = checkLinearizable(history, initial);
  assert.equal(verdict.ok, false, "expected a violation");
  if (verdict.ok) throw new Error("unreachable");
  assert.equal(verdict.key, key);
  return verdict;
}

describe("checkLinearizable", () => {
  it("accepts an empty history and sequential writes and reads", () => {
    assert.deepEqual(checkLinearizable([]), { ok: true });
    const history = [
      read("c1", null, 0, 1),
      write("c1", "a", 2, 3),
      read("c2", "a", 4, 5),
      write("c2", "b", 6, 7),
      read("c1", "b", 8, 9),
    ];
    assert.deepEqual(checkLinearizable(history), { ok: true });
  });

  it("accepts either value for a read concurrent with a write", () => {
    const writeB = write("c1", "b", 10, 20);
    const before = [write("c1", "a", 0, 5), writeB];
    assert.deepEqual(checkLinearizable([...before, read("c2", "a", 12, 18)]), { ok: true });
    assert.deepEqual(checkLinearizable([...before, read("c2", "b", 12, 18)]), { ok: true });
    // Touching endpoints count as overlapping: a millisecond clock cannot order them.
    assert.deepEqual(checkLinearizable([...before, read("c2", "a", 20, 25)]), { ok: true });
  });

  it("rejects a read of a value never written, naming the value", () => {
    const bad = read("c2", "ghost", 10, 11);
    const verdict = assertFails([write("c1", "a", 0, 5), bad]);
    assert.deepEqual(verdict.operations, [bad]);
    assert.match(verdict.reason, /"ghost"/);
    assert.match(verdict.reason, /no write to it wrote/);
    assert.match(verdict.reason, /\[10, 11\]/);
  });

  it("rejects an older value read after a newer write completed, and counts it stale", () => {
    const writeA = write("c1", "a", 0, 5);
    const writeB = write("c1", "b", 10, 15);
    const bad = read("c2", "a", 20, 25);
    const history = [writeA, writeB, bad];
    const verdict = assertFails(history);
    assert.equal(verdict.operations[0], bad);
    assert.ok(verdict.operations.includes(writeA) && verdict.operations.includes(writeB));
    assert.match(verdict.reason, /read by c2 over \[20, 25\] returned "a"/);
    assert.match(verdict.reason, /"a" \(written by c1 over \[0, 5\]\)/);
    assert.match(verdict.reason, /completed before it: .*write of "b" by c1 over \[10, 15\]/);
    assert.deepEqual(staleReads(history), { reads: 1, stale: 1, share: 1, examples: [bad] });
  });

  it("rejects new-then-old reads during one write (the new/old inversion)", () => {
    const writeNew = write("c1", "new", 10, 100);
    const sawNew = read("c2", "new", 20, 30);
    const sawOld = read("c2", "old", 40, 50);
    const history = [write("c1", "old", 0, 5), writeNew, sawNew, sawOld];
    const verdict = assertFails(history);
    assert.equal(verdict.operations[0], sawOld);
    assert.ok(verdict.operations.includes(sawNew), "the read that saw the new value is evidence");
    assert.match(verdict.reason, /returned "old".*during it: write of "new".*\[20, 30\] saw "new"/);
    // No write had completed when either read began, so neither counts as stale.
    assert.equal(staleReads(history).stale, 0);
    // Old then new is fine.
    const fine = [write("c1", "old", 0, 5), writeNew, read("c2", "old", 20, 30), sawNew];
    assert.deepEqual(checkLinearizable(fine), { ok: true });
  });

  it("lets an info write take effect at any time after its invoke, or never", () => {
    const timedOut = write("c1", "late", 10, null, "info");
    assert.deepEqual(
      checkLinearizable([
        timedOut,
        read("c2", null, 50, 60),
        read("c2", "late", 500, 510),
        read("c3", "late", 600, 610),
      ]),
      { ok: true },
    );
    assert.deepEqual(checkLinearizable([timedOut, read("c2", null, 500, 510)]), { ok: true });
    // Seen before it was sent, or unseen after it was seen: impossible.
    assertFails([timedOut, read("c2", "late", 0, 5)]);
    assertFails([timedOut, read("c2", "late", 50, 60), read("c2", null, 70, 80)]);
  });

  it("rejects a read of a value only a failed write wrote, and ignores failed reads", () => {
    const failed = write("c1", "lost", 0, 5, "fail");
    const verdict = assertFails([failed, read("c2", "lost", 10, 15)]);
    assert.match(verdict.reason, /only a write that failed/);
    assert.ok(verdict.operations.includes(failed));
    assert.deepEqual(checkLinearizable([failed, read("c2", null, 10, 15)]), { ok: true });
    const noAnswer = [read("c2", "junk", 10, 15, "fail"), read("c3", "junk", 10, null, "info")];
    assert.deepEqual(checkLinearizable([failed, ...noAnswer]), { ok: true });
  });

  it("treats deletes as writes of null", () => {
    const history = [write("c1", "a", 0, 5), write("c1", null, 10, 15), read("c2", null, 20, 25)];
    assert.deepEqual(checkLinearizable(history), { ok: true });
    const verdict = assertFails([...history, read("c2", "a", 30, 35)]);
    assert.match(
      verdict.reason,
      /returned "a".*before it: .*delete by c1 over \[10, 15\].*saw null/,
    );
  });

  it("starts each key from its initial value", () => {
    const initial = new Map<number, string | null>([[1, "seed"]]);
    assert.deepEqual(checkLinearizable([read("c1", "seed", 0, 1)], initial), { ok: true });
    assert.match(assertFails([read("c1", null, 0, 1)], 1, initial).reason, /no write to it wrote/);
    const overwritten = [write("c2", "a", 0, 5), read("c1", "seed", 10, 15)];
    assert.match(assertFails(overwritten, 1, initial).reason, /"seed" \(the initial value\)/);
  });

  it("blames the first read nothing explains, not a later one", () => {
    const first = read("c2", "a", 20, 25);
    const history = [
      write("c1", "a", 0, 5),
      write("c1", "b", 10, 15),
      read("c3", "a", 30, 35),
      first,
      read("c2", "b", 40, 45),
    ];
    assert.equal(assertFails(history).operations[0], first);
  });

  it("reports the one bad key among several", () => {
    const history: History = [];
    for (const key of [3, 7, 11]) {
      history.push(
        write("c1", `a${key}`, 0, 5, "ok", key),
        write("c1", `b${key}`, 10, 15, "ok", key),
      );
      history.push(read("c2", key === 7 ? `a${key}` : `b${key}`, 20, 25, "ok", key));
    }
    const verdict = assertFails(history, 7);
    assert.ok(verdict.operations.every((op) => op.key === 7));
  });

  it("accepts a large simulated history and finds one read from the future in it", () => {
    const history = simulate(randomSteps(1000, 42), new Map());
    assert.deepEqual(checkLinearizable(history), { ok: true });
    assert.equal(staleReads(history).stale, 0);

    // A mid-history read of key 2 that returns a value written only after it completed.
    const keyTwo = history.filter((op) => op.key === 2 && op.outcome === "ok");
    const victim = keyTwo.find((op, i) => op.kind === "read" && i > keyTwo.length / 2);
    assert.ok(victim?.completedAt !== undefined && victim.completedAt !== null);
    const future = keyTwo.find(
      (op) => op.kind === "write" && op.value !== null && op.invokedAt > (victim.completedAt ?? 0),
    );
    assert.ok(future);
    const corrupted = history.map((op) => (op === victim ? { ...op, value: future.value } : op));
    const verdict = assertFails(corrupted, 2);
    assert.equal(verdict.operations[0]?.invokedAt, victim.invokedAt);
  });

  it("accepts any history whose operations took effect at an instant inside their interval", () => {
    const step = fc.record({
      client: fc.integer({ min: 0, max: 3 }),
      key: fc.integer({ min: 1, max: 2 }),
      action: fc.constantFrom("write", "write", "delete", "read", "read"),
      gap: fc.nat(5),
      duration: fc.nat(20),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      outcome: fc.constantFrom<Outcome>("ok", "ok", "ok", "ok", "fail", "info"),
      lands: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.boolean(), (steps, seeded) => {
        const initial = new Map<number, string | null>(seeded ? [[1, "seed"]] : []);
        const history = simulate(steps, initial);
        assert.deepEqual(checkLinearizable(history, initial), { ok: true });
        // Nor can a linearizable history with unique values hold a stale read.
        assert.equal(staleReads(history, initial).stale, 0);
      }),
      { numRuns: 300 },
    );
  });

  it("rejects such a history once one read returns a value written only after it", () => {
    const step = fc.record({
      client: fc.integer({ min: 0, max: 3 }),
      key: fc.constant(1),
      action: fc.constantFrom("write", "read"),
      gap: fc.nat(5),
      duration: fc.nat(20),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      outcome: fc.constantFrom<Outcome>("ok", "ok", "ok", "fail", "info"),
      lands: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 2, maxLength: 60 }), fc.nat(), (steps, pick) => {
        const history = simulate(steps, new Map());
        const pairs = history.flatMap((victim) =>
          history
            .filter((later) => later.kind === "write" && later.value !== null)
            .filter((later) => victim.completedAt !== null && later.invokedAt > victim.completedAt)
            .filter(() => victim.kind === "read" && victim.outcome === "ok")
            .map((later) => ({ victim, later })),
        );
        fc.pre(pairs.length > 0);
        const { victim, later } = pairs[pick % pairs.length] as (typeof pairs)[number];
        victim.value = later.value;
        assert.equal(assertFails(history).operations[0], victim);
      }),
      { numRuns: 300 },
    );
  });
});

describe("staleReads", () => {
  it("counts ok reads only and gives a share of 0 without reads", () => {
    assert.deepEqual(staleReads([]), { reads: 0, stale: 0, share: 0, examples: [] });
    const history = [
      write("c1", "a", 0, 5),
      read("c2", null, 10, 15),
      read("c2", "a", 20, 25),
      read("c3", null, 20, 25, "fail"),
      read("c3", null, 30, null, "info"),
    ];
    assert.deepEqual(staleReads(history), {
      reads: 2,
      stale: 1,
      share: 0.5,
      examples: [history[1]],
    });
  });

  it("does not call a read stale when the writes it weighs overlapped", () => {
    // a and b overlap, so either may have landed last; reading either is fresh.
    const overlapping = [write("c1", "a", 0, 30), write("c2", "b", 10, 20)];
    assert.equal(staleReads([...overlapping, read("c3", "a", 40, 45)]).stale, 0);
    assert.equal(staleReads([...overlapping, read("c3", "b", 40, 45)]).stale, 0);
    assert.equal(staleReads([...overlapping, read("c3", null, 40, 45)]).stale, 1);
    // Nor when the newer write completed only after the read began.
    assert.equal(
      staleReads([write("c1", "a", 0, 5), write("c1", "b", 10, 30), read("c2", "a", 20, 25)]).stale,
      0,
    );
  });

  it("weighs the initial value, deletes and info writes", () => {
    const initial = new Map<number, string | null>([[1, "seed"]]);
    const afterWrite = [write("c1", "a", 0, 5), read("c2", "seed", 10, 15)];
    assert.equal(staleReads(afterWrite, initial).stale, 1);
    assert.equal(staleReads([read("c2", "seed", 10, 15)], initial).stale, 0);
    // Two deletes write the same null: the later one makes null fresh again.
    const deletes = [write("c1", null, 0, 5), write("c1", "a", 10, 15), write("c1", null, 20, 25)];
    assert.equal(staleReads([...deletes, read("c2", null, 30, 35)]).stale, 0);
    assert.equal(staleReads([...deletes.slice(0, 2), read("c2", null, 30, 35)]).stale, 1);
    // An info write may have landed after any ok write, so its value is never known stale.
    const late = [
      write("c1", "x", 0, null, "info"),
      write("c1", "a", 10, 15),
      read("c2", "x", 20, 25),
    ];
    assert.equal(staleReads(late).stale, 0);
  });

  it("keeps a bounded number of examples, earliest first, and counts all of them", () => {
    const history: History = [write("c1", "a", 0, 1), write("c1", "b", 2, 3)];
    for (let i = 20; i > 0; i -= 1) history.push(read("c2", "a", 10 + i, 10 + i));
    const result = staleReads(history);
    assert.equal(result.stale, 20);
    assert.equal(result.examples.length, STALE_EXAMPLE_LIMIT);
    assert.equal(result.examples[0]?.invokedAt, 11);
  });
});

describe("checkConverged", () => {
  it("passes when every holder of every key agrees, and names the key where they do not", () => {
    assert.deepEqual(checkConverged(new Map()), { ok: true });
    const agreeing = new Map([
      [
        1,
        [
          { holder: "p1", value: "a" },
          { holder: "p2", value: "a" },
        ],
      ],
      [
        2,
        [
          { holder: "p2", value: null },
          { holder: "p3", value: null },
        ],
      ],
      [4, []],
    ]);
    assert.deepEqual(checkConverged(agreeing), { ok: true });
    const split = [
      { holder: "p1", value: "b" },
      { holder: "p3", value: null },
    ];
    const diverged = new Map([...agreeing, [3, split]]);
    assert.deepEqual(checkConverged(diverged), { ok: false, key: 3, values: split });
  });
});

/** One client step of a simulated run; every field is drawn at random. */
type Step = {
  client: number;
  key: number;
  action: "write" | "delete" | "read";
  /** ms the client waits after its previous operation completed. */
  gap: number;
  duration: number;
  /** Where in the interval (0 = invoke, 1 = completion) the operation takes effect. */
  at: number;
  outcome: Outcome;
  /** Whether an info write took effect at all. */
  lands: boolean;
};

/**
 * Runs the steps against one register per key, each taking effect atomically at an instant
 * of its interval (an info write possibly long after the client gave up, or never; a failed
 * write never), and records what each client saw. Such a history is linearizable by
 * construction: the instants are a valid order.
 */
function simulate(steps: Step[], initial: Map<number, string | null>): History {
  const clientFree = new Map<number, number>();
  const effects: Array<{ op: Operation; instant: number }> = [];
  const history = steps.map((step, index): Operation => {
    const invokedAt = (clientFree.get(step.client) ?? 0) + step.gap;
    const completedAt = invokedAt + step.duration;
    clientFree.set(step.client, completedAt);
    const kind = step.action === "read" ? "read" : "write";
    const value = step.action === "write" ? `v${index}` : step.action === "read" ? "junk" : null;
    const answered = step.outcome === "info" ? null : completedAt;
    const op: Operation = {
      client: `c${step.client}`,
      kind,
      key: step.key,
      value,
      invokedAt,
      completedAt: answered,
      outcome: step.outcome,
    };
    if (step.outcome === "ok") effects.push({ op, instant: invokedAt + step.at * step.duration });
    else if (step.outcome === "info" && step.lands && kind === "write") {
      effects.push({ op, instant: invokedAt + step.at * (step.duration + 100) });
    }
    return op;
  });
  effects.sort((a, b) => a.instant - b.instant);
  const registers = new Map(initial);
  for (const { op } of effects) {
    if (op.kind === "write") registers.set(op.key, op.value);
    else op.value = registers.get(op.key) ?? null;
  }
  return history;
}

/** A seeded run of `count` steps: eight clients on four keys, intervals overlapping freely. */
function randomSteps(count: number, seed: number): Step[] {
  let state = seed;
  // mulberry32: a small seeded generator, so a failure replays exactly.
  const random = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(choices: readonly T[]): T => choices[Math.floor(random() * choices.length)] as T;
  return Array.from({ length: count }, () => ({
    client: Math.floor(random() * 8),
    key: 1 + Math.floor(random() * 4),
    action: pick(["write", "write", "delete", "read", "read", "read"] as const),
    gap: Math.floor(random() * 10),
    duration: 1 + Math.floor(random() * 40),
    at: random(),
    outcome: pick(["ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "fail", "info"] as const),
    lands: random() < 0.5,
  }));
}
