import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { QueryAnswer, QueryRun } from "../src/model/queries.ts";
import {
  HOP_STEP_MS,
  hopStepMs,
  phaseCaption,
  queryArithmetic,
  replayFrame,
  replaySteps,
  withLeaving,
} from "../src/model/ring-replay.ts";

const RING = ["alpha", "epsilon", "gamma", "delta", "beta"];

function run(key: string, walk: string[], answer: QueryAnswer | null): QueryRun {
  return {
    key,
    origin: walk[0] ?? "zeta",
    originDaemonId: "peer-6",
    queryId: 1,
    eventId: 5536849,
    members: RING,
    hops: walk.slice(1).map((to, index) => ({
      number: index + 1,
      from: walk[index] ?? "",
      to,
      seq: 10 + index,
    })),
    answer,
    startSeq: 10,
  };
}

const FOUND: QueryAnswer = {
  status: "found",
  reason: null,
  idSeq: [2, 1, 4, 0, 3],
  answeredBy: "delta",
  fields: [],
  seq: 99,
};
const WALK = run("zeta#1", ["zeta", "gamma", "epsilon", "beta", "alpha", "delta"], FOUND);

describe("replayFrame", () => {
  it("draws hop 1 at once, one more hop per step, then the answer", () => {
    assert.equal(replaySteps(WALK), 6);
    const first = replayFrame(WALK, 0);
    assert.deepEqual(
      first.hops.map((hop) => `${hop.from}->${hop.to}`),
      ["zeta->gamma"],
    );
    assert.equal(first.answered, false);
    assert.equal(first.replaying, true);
    assert.deepEqual([...first.touched].sort(), ["gamma", "zeta"]);
    assert.equal(replayFrame(WALK, 4).hops.length, 5);
    assert.equal(replayFrame(WALK, 4).answered, false);
    const answered = replayFrame(WALK, 5);
    assert.equal(answered.answered, true);
    assert.equal(answered.replaying, true);
  });

  it("ends with every hop drawn, as many as the id-seq is long", () => {
    const last = replayFrame(WALK, replaySteps(WALK));
    assert.equal(last.replaying, false);
    assert.equal(last.hops.length, FOUND.idSeq.length);
    assert.equal(last.answered, true);
  });

  it("stops after the last hop of a walk not answered yet", () => {
    const walking = run("zeta#2", ["zeta", "beta", "delta"], null);
    assert.equal(replaySteps(walking), 2);
    assert.equal(replayFrame(walking, 2).replaying, false);
    assert.equal(replayFrame(walking, 2).answered, false);
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

describe("phaseCaption", () => {
  it("captions the DHT's changes and nothing when ready", () => {
    assert.match(phaseCaption("building") ?? "", /Building/);
    assert.match(phaseCaption("rebuilding") ?? "", /Rebuilding/);
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
