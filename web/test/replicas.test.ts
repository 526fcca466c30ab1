import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Dht } from "../src/api/types.ts";
import {
  copiesOf,
  copyPhrase,
  type Replication,
  readersOf,
  replicationCaption,
  ringReplication,
} from "../src/model/replicas.ts";
import { arithmeticLines, queryArithmetic } from "../src/model/ring-replay.ts";
import type { View } from "../src/model/view.ts";
import { answeringCopy, walkSteps } from "../src/model/walk-steps.ts";
import { peerAt } from "./support/fixtures.ts";
import { answerOf, RING, walkOf } from "./support/walks.ts";

// 5536849 mod 97073 = 3688, and 3688 mod 5 = 3: node 3, delta, is the primary.
const L_1996 = 48534;
const S_1996 = 97073;
const EVENT = 5536849;
const CHAIN_2: Replication = { replicas: 2, consistency: "chain" };
const CHAIN_3: Replication = { replicas: 3, consistency: "chain" };
const EVENTUAL_3: Replication = { replicas: 3, consistency: "eventual" };

function viewWith(replication: Replication | null, members = RING): View {
  const dht: Dht = {
    leader: members[0] ?? "",
    members,
    year: "1996",
    ringSize: members.length,
    phase: "ready",
  };
  return {
    cursor: 1,
    daemons: [
      peerAt("peer-6", "zeta", "Free"),
      ...members.map((name, id) =>
        peerAt(`peer-${id}`, name, id === 0 ? "Leader" : "InDHT", { id, replication }),
      ),
    ],
    manager: null,
    dht,
    progress: null,
    yearRecords: L_1996,
  };
}

describe("ringReplication", () => {
  it("is what the ring's members' snapshots say, null on the assignment's ring", () => {
    assert.deepEqual(ringReplication(viewWith(CHAIN_2)), CHAIN_2);
    assert.equal(ringReplication(viewWith(null)), null);
  });

  it("is null without a ring, whatever a peer outside one says", () => {
    const view = { ...viewWith(CHAIN_2), dht: null };
    assert.equal(ringReplication(view), null);
  });
});

describe("replicationCaption", () => {
  it("says what chain and eventual do, and nothing with one copy", () => {
    assert.equal(
      replicationCaption(CHAIN_2),
      "2 copies of each record, chain: a write goes down the chain to the tail, a read ends at the tail",
    );
    assert.equal(
      replicationCaption(EVENTUAL_3),
      "3 copies of each record, eventual: the primary acknowledges a write, any copy answers a read",
    );
    assert.equal(replicationCaption({ replicas: 1, consistency: "eventual" }), null);
    assert.equal(replicationCaption(null), null);
  });
});

describe("copiesOf and copyPhrase", () => {
  it("puts the copies on the primary and the k - 1 nodes to its right, wrapping round", () => {
    assert.deepEqual(copiesOf(EVENT, S_1996, 5, CHAIN_3)?.holders, [3, 4, 0]);
    assert.equal(copiesOf(EVENT, S_1996, 5, CHAIN_3)?.primary, 3);
  });

  it("is null with one copy, no replication, or s unknown", () => {
    assert.equal(copiesOf(EVENT, S_1996, 5, { replicas: 1, consistency: "eventual" }), null);
    assert.equal(copiesOf(EVENT, S_1996, 5, null), null);
    assert.equal(copiesOf(EVENT, null, 5, CHAIN_2), null);
  });

  it("names each copy in chain order, the tail last", () => {
    const copies = copiesOf(EVENT, S_1996, 5, CHAIN_3);
    assert.ok(copies);
    assert.equal(copyPhrase(copies, 3), "the primary, copy 1 of 3");
    assert.equal(copyPhrase(copies, 4), "copy 2 of 3");
    assert.equal(copyPhrase(copies, 0), "the tail of 3 copies");
    assert.equal(copyPhrase(copies, 1), null);
  });

  it("reads at the tail with chain, at any copy with eventual", () => {
    assert.deepEqual(readersOf(copiesOf(EVENT, S_1996, 5, CHAIN_3) ?? assert.fail()), [0]);
    assert.deepEqual(readersOf(copiesOf(EVENT, S_1996, 5, EVENTUAL_3) ?? assert.fail()), [3, 4, 0]);
  });
});

describe("a walk on a replicated ring", () => {
  // zeta asks gamma (2, no copy), which forwards to delta (3, the primary), which hands
  // the walk straight to its chain's tail, beta (4).
  const chainWalk = walkOf(
    "zeta#1",
    ["zeta", "gamma", "delta", "beta"],
    answerOf("found", [2, 3, 4], "beta"),
  );

  it("captions which copy each node holds, and that the tail answers", () => {
    assert.deepEqual(
      walkSteps(chainWalk, L_1996, CHAIN_2)
        .slice(1)
        .map((step) => step.caption),
      [
        "node 2 (gamma): pos 3688 mod 5 = 3, holds no copy: forward to an unvisited node, delta",
        "node 3 (delta): pos 3688 mod 5 = 3, the primary, copy 1 of 2, not the tail: forward to the tail, beta",
        "node 4 (beta): pos 3688 mod 5 = 3, the tail of 2 copies: found it, answers zeta",
      ],
    );
  });

  it("says which copy answered: the tail, or any copy with eventual", () => {
    const numbers = queryArithmetic(chainWalk, L_1996, CHAIN_2);
    assert.equal(answeringCopy(chainWalk, numbers), "node 4 (beta), the tail of 2 copies");
    const eventual = walkOf("zeta#2", ["zeta", "beta"], answerOf("found", [4], "beta"));
    assert.equal(
      answeringCopy(eventual, queryArithmetic(eventual, L_1996, EVENTUAL_3)),
      "node 4 (beta), copy 2 of 3",
    );
    assert.match(
      walkSteps(eventual, L_1996, EVENTUAL_3).at(-1)?.caption ?? "",
      /^node 4 \(beta\): pos 3688 mod 5 = 3, copy 2 of 3: found it, answers zeta$/,
    );
  });

  it("says nothing of copies on a ring of one copy, or before the answer", () => {
    assert.equal(answeringCopy(chainWalk, queryArithmetic(chainWalk, L_1996)), null);
    const walking = walkOf("zeta#3", ["zeta", "gamma"], null);
    assert.equal(answeringCopy(walking, queryArithmetic(walking, L_1996, CHAIN_2)), null);
  });

  it("tells a chain's copy answering for a tail found dead, and an unreachable record", () => {
    const deadTail = walkOf("zeta#4", ["zeta", "delta"], answerOf("found", [3], "delta"));
    assert.equal(
      walkSteps(deadTail, L_1996, CHAIN_2).at(-1)?.caption,
      "node 3 (delta): pos 3688 mod 5 = 3, the primary, copy 1 of 2, the tail did not answer: found it, answers zeta",
    );
    const unreachable = walkOf(
      "zeta#5",
      ["zeta", "gamma"],
      answerOf("refused", [2], "gamma", { reason: "UNREACHABLE" }),
    );
    assert.equal(
      walkSteps(unreachable, L_1996, CHAIN_2).at(-1)?.caption,
      "node 2 (gamma): pos 3688 mod 5 = 3, holds no copy, no copy answers: tells zeta (UNREACHABLE)",
    );
  });

  it("while live, says whether the node it reached looks the record up", () => {
    const atTail = walkOf("zeta#6", ["zeta", "beta"], null);
    assert.equal(
      walkSteps(atTail, L_1996, CHAIN_2).at(-1)?.caption,
      "node 4 (beta): pos 3688 mod 5 = 3, the tail of 2 copies: looking it up…",
    );
    const atPrimary = walkOf("zeta#7", ["zeta", "delta"], null);
    assert.match(
      walkSteps(atPrimary, L_1996, CHAIN_2).at(-1)?.caption ?? "",
      /copy 1 of 2: forwarding…$/,
    );
  });

  it("writes the chain under the owner once the walk gets there", () => {
    const numbers = queryArithmetic(chainWalk, L_1996, CHAIN_2);
    const shown = arithmeticLines(numbers, "1996", true);
    assert.equal(shown?.owner, "3688 mod 5 = 3 → delta (primary)");
    assert.equal(shown?.copies, "k = 2, chain: 3 delta → 4 beta (tail)");
    assert.equal(
      arithmeticLines(numbers, "1996", false)?.copies,
      "k = 2, chain: shown when the walk gets there",
    );
    const eventual = arithmeticLines(queryArithmetic(chainWalk, L_1996, EVENTUAL_3), null, true);
    assert.equal(eventual?.copies, "k = 3, eventual: 3 delta, 4 beta, 0 alpha (any answers)");
    assert.equal(arithmeticLines(queryArithmetic(chainWalk, L_1996), null, true)?.copies, null);
  });
});
