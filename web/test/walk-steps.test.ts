import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nextHop, previousHop, walkSteps } from "../src/model/walk-steps.ts";
import { answerOf, walkOf } from "./support/walks.ts";

// 5536849 mod 97073 = 3688, and 3688 mod 5 = 3: node 3, delta, owns it.
const L_1996 = 48534;
const FOUND = answerOf("found", [2, 1, 3], "delta");
const WALK = walkOf("zeta#1", ["zeta", "gamma", "epsilon", "delta"], FOUND);

describe("walkSteps", () => {
  it("starts with the manager's choice, then a step per hop, each with its entries", () => {
    const steps = walkSteps(WALK, L_1996);
    assert.deepEqual(
      steps.map((step) => [step.number, step.from, step.to]),
      [
        [0, "manager", "gamma"],
        [1, "zeta", "gamma"],
        [2, "gamma", "epsilon"],
        [3, "epsilon", "delta"],
      ],
    );
    assert.deepEqual(steps[0]?.seqs, [8, 9]);
    assert.deepEqual(steps[1]?.seqs, [10, 11]);
    assert.deepEqual(steps[3]?.seqs, [14, 15, 98, 99], "the last hop carries the answer");
  });

  it("captions what each node decided, with the arithmetic", () => {
    assert.deepEqual(
      walkSteps(WALK, L_1996).map((step) => step.caption),
      [
        "manager: zeta asks for a member; it picks node 2 (gamma) at random",
        "node 2 (gamma): pos 3688 mod 5 = 3, not mine: forward to an unvisited node, epsilon",
        "node 1 (epsilon): pos 3688 mod 5 = 3, not mine: forward to an unvisited node, delta",
        "node 3 (delta): pos 3688 mod 5 = 3, mine: found it, answers zeta",
      ],
    );
  });

  it("says how a walk ended when it was not found, refused or given up", () => {
    const caption = (run: typeof WALK) => walkSteps(run, L_1996).at(-1)?.caption;
    const missing = answerOf("not-found", [2, 1, 3], "delta");
    assert.equal(
      caption(walkOf("zeta#2", ["zeta", "gamma", "epsilon", "delta"], missing)),
      'node 3 (delta): pos 3688 mod 5 = 3, mine: not in its table, answers zeta "not found"',
    );
    const busy = answerOf("refused", [], "gamma", { reason: "BUSY" });
    assert.equal(
      caption(walkOf("zeta#3", ["zeta", "gamma"], busy)),
      "node 2 (gamma): not ready (BUSY): refuses, tells zeta",
    );
    const gaveUp = answerOf("gave-up", [], "zeta", { reason: "TIMEOUT" });
    assert.equal(
      caption(walkOf("zeta#4", ["zeta", "gamma"], gaveUp)),
      "node 2 (gamma): no answer reached zeta in time: zeta gave up",
    );
  });

  it("says what a node is about to do while the walk is live", () => {
    const walking = walkOf("zeta#5", ["zeta", "gamma"], null);
    assert.equal(
      walkSteps(walking, L_1996).at(-1)?.caption,
      "node 2 (gamma): pos 3688 mod 5 = 3, not mine: forwarding…",
    );
    const atOwner = walkOf("zeta#6", ["zeta", "delta"], null);
    assert.match(walkSteps(atOwner, L_1996).at(-1)?.caption ?? "", /mine: looking it up…$/);
    assert.equal(walkSteps(walking, null).at(-1)?.caption, "node 2 (gamma): deciding…");
  });

  it("leaves the arithmetic out when l is unknown", () => {
    assert.equal(
      walkSteps(WALK, null)[1]?.caption,
      "node 2 (gamma): not mine: forward to an unvisited node, epsilon",
    );
    assert.equal(
      walkSteps(WALK, null).at(-1)?.caption,
      "node 3 (delta): mine: found it, answers zeta",
    );
  });

  it("has only hop 0, not known yet, before the first find-event", () => {
    const asked = walkOf("zeta#7", ["zeta"], null);
    const steps = walkSteps(asked, L_1996);
    assert.equal(steps.length, 1);
    assert.equal(steps[0]?.to, null);
    assert.equal(steps[0]?.caption, "manager: zeta asks for a member…");
  });
});

describe("nextHop and previousHop", () => {
  const whole = walkSteps(WALK, L_1996);

  it("moves one step among those drawn at the cursor", () => {
    assert.deepEqual(nextHop(0, whole, whole, 200), { step: 1, seekTo: null });
    assert.deepEqual(nextHop(2, whole, whole, 200), { step: 3, seekTo: null });
    assert.equal(nextHop(3, whole, whole, 200), null, "the walk is over");
  });

  it("past the cursor, moves it to the end of the next hop of the whole walk", () => {
    const early = whole.slice(0, 2);
    assert.deepEqual(nextHop(1, early, whole, 11), { step: 2, seekTo: 13 });
  });

  it("at the last hop, moves the cursor on to the answer still to come", () => {
    assert.deepEqual(nextHop(3, whole, whole, 15), { step: 3, seekTo: 99 });
  });

  it("before the walk's first hop, moves the cursor to it and shows the manager's choice", () => {
    const notBegun = walkSteps(walkOf("zeta#1", ["zeta"], null), L_1996);
    assert.deepEqual(nextHop(0, notBegun, whole, 5), { step: 0, seekTo: 11 });
  });

  it("goes back one step, not before hop 0", () => {
    assert.deepEqual(previousHop(2), { step: 1, seekTo: null });
    assert.equal(previousHop(0), null);
  });
});
