import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TimelineEntry } from "../src/api/types.ts";
import { appendEntries, EMPTY_LOG } from "../src/model/log.ts";
import {
  arithmeticLines,
  HOP_STEP_MS,
  hopStepMs,
  lastStep,
  phaseCaption,
  queryArithmetic,
  replayFrame,
  replaySteps,
  resentHops,
  runAsShown,
  walkComplete,
  withLeaving,
} from "../src/model/ring-replay.ts";
import { answerOf, RING, walkOf } from "./support/walks.ts";

const FOUND = answerOf("found", [2, 1, 4, 0, 3], "delta");
const WALK = walkOf("zeta#1", ["zeta", "gamma", "epsilon", "beta", "alpha", "delta"], FOUND);

describe("replayFrame", () => {
  it("draws the manager's choice at once, one more hop per step, the answer with the last", () => {
    assert.equal(replaySteps(WALK), 6);
    assert.equal(lastStep(WALK), 5);
    const first = replayFrame(WALK, 0);
    assert.equal(first.choice, "gamma");
    assert.deepEqual(first.hops, []);
    assert.equal(first.answered, false);
    assert.equal(first.replaying, true);
    assert.deepEqual([...first.touched].sort(), ["gamma", "zeta"]);
    assert.deepEqual(
      replayFrame(WALK, 1).hops.map((hop) => `${hop.from}->${hop.to}`),
      ["zeta->gamma"],
    );
    assert.equal(replayFrame(WALK, 4).hops.length, 4);
    assert.equal(replayFrame(WALK, 4).answered, false);
    const answered = replayFrame(WALK, 5);
    assert.equal(answered.answered, true);
    assert.equal(answered.replaying, false);
    assert.equal(answered.hops.length, FOUND.idSeq.length);
  });

  it("clamps a step past the end or before hop 0", () => {
    assert.equal(replayFrame(WALK, 40).step, 5);
    assert.equal(replayFrame(WALK, -1).step, 0);
  });

  it("waits for every hop the id-seq names before showing the answer", () => {
    const early = walkOf("zeta#3", ["zeta", "gamma", "epsilon"], FOUND);
    assert.equal(walkComplete(early), false);
    assert.equal(replayFrame(early, lastStep(early)).answered, false);
    assert.equal(walkComplete(WALK), true);
  });

  it("stops after the last hop of a walk not answered yet", () => {
    const walking = walkOf("zeta#2", ["zeta", "beta", "delta"], null);
    assert.equal(replaySteps(walking), 3);
    assert.equal(replayFrame(walking, 2).replaying, false);
    assert.equal(replayFrame(walking, 2).answered, false);
  });
});

describe("runAsShown", () => {
  it("hides the hops not drawn yet and the answer until the end", () => {
    const atTwo = runAsShown(WALK, replayFrame(WALK, 2));
    assert.equal(atTwo.hops.length, 2);
    assert.equal(atTwo.answer, null);
    assert.equal(runAsShown(WALK, replayFrame(WALK, 5)).answer, FOUND);
  });
});

describe("hopStepMs", () => {
  it("divides the step by the speed", () => {
    assert.equal(hopStepMs(1), HOP_STEP_MS);
    assert.equal(hopStepMs(2), HOP_STEP_MS / 2);
    assert.equal(hopStepMs(0.25), HOP_STEP_MS * 4);
    assert.equal(hopStepMs(0), HOP_STEP_MS);
  });
});

describe("queryArithmetic", () => {
  it("computes s, pos and the owner as section 3 says", () => {
    const numbers = queryArithmetic(WALK, 48534);
    assert.equal(numbers.tableSize, 97073);
    assert.equal(numbers.position, 5536849 % 97073);
    assert.equal(numbers.owner, (5536849 % 97073) % 5);
    assert.equal(numbers.ownerName, RING[numbers.owner ?? -1]);
    assert.equal(numbers.ringSize, 5);
  });

  it("leaves s, pos and owner unknown without l", () => {
    const numbers = queryArithmetic(WALK, null);
    assert.equal(numbers.records, null);
    assert.equal(numbers.tableSize, null);
    assert.equal(numbers.position, null);
    assert.equal(numbers.owner, null);
    assert.equal(numbers.ownerName, null);
  });
});

describe("arithmeticLines", () => {
  const numbers = queryArithmetic(WALK, 48534);

  it("writes 2 x l with its product, and the owner once the walk gets there", () => {
    const lines = arithmeticLines(numbers, "1996", true);
    assert.equal(lines?.l, "48534 records (1996)");
    assert.equal(lines?.s, "first prime > 2 x l = 2 x 48534 = 97068: 97073");
    assert.equal(lines?.pos, "5536849 mod 97073 = 3688");
    assert.equal(lines?.owner, "3688 mod 5 = 3 → delta");
  });

  it("keeps the owner back until then", () => {
    assert.match(arithmeticLines(numbers, null, false)?.owner ?? "", /^3688 mod 5 = \? /);
  });

  it("has nothing to write without l", () => {
    assert.equal(arithmeticLines(queryArithmetic(WALK, null), "1996", true), null);
  });
});

describe("phaseCaption", () => {
  it("captions the DHT's changes and nothing when ready", () => {
    assert.match(phaseCaption("building") ?? "", /Building/);
    assert.match(phaseCaption("rebuilding") ?? "", /Rebuilding/);
    assert.equal(
      phaseCaption("rebuilding", { kind: "repair", peer: "beta", dead: "gamma" }),
      "Repairing the ring: beta reported gamma dead; the ring is rebuilt without it…",
    );
    assert.match(phaseCaption("tearing-down") ?? "", /Tearing/);
    assert.equal(phaseCaption("ready"), null);
    assert.equal(phaseCaption(undefined), null);
  });
});

describe("withLeaving", () => {
  it("keeps items that left, marked as leaving, after the current ones", () => {
    const previous = withLeaving([], [{ key: "a" }, { key: "b" }]);
    const next = withLeaving(previous, [{ key: "b" }, { key: "c" }]);
    assert.deepEqual(
      next.map(({ item, leaving }) => `${item.key}:${leaving}`),
      ["b:false", "c:false", "a:true"],
    );
  });

  it("brings back an item that returns", () => {
    const gone = withLeaving(withLeaving([], [{ key: "a" }]), []);
    assert.deepEqual(
      withLeaving(gone, [{ key: "a" }]).map(({ leaving }) => leaving),
      [false],
    );
  });
});

describe("resentHops", () => {
  const findEvent = (
    seq: number,
    from: string,
    to: string,
    retransmission: boolean,
  ): TimelineEntry => ({
    seq,
    daemonId: "peer-1",
    at: seq,
    clock: seq,
    event: {
      kind: "message",
      direction: "sent",
      messageType: "find-event",
      from,
      to,
      messageClock: seq,
      summary: "find-event",
      ...(retransmission ? { retransmission: true as const } : {}),
    },
  });

  it("names the hops of the walk that were sent again, within the walk only", () => {
    // The walk's entries run from its manager's choice (8) to its answer (99).
    const log = appendEntries(EMPTY_LOG, [
      findEvent(5, "alpha", "beta", true),
      findEvent(10, "zeta", "gamma", false),
      findEvent(11, "zeta", "gamma", true),
      findEvent(12, "gamma", "epsilon", false),
      findEvent(120, "beta", "alpha", true),
    ]);
    assert.deepEqual([...resentHops(log, WALK)], ["zeta>gamma"]);
  });
});
