import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { replicasProblem, setupDhtLine } from "../src/model/setup-dht.ts";

const choice = { name: "alpha", ringSize: "5", year: "1996" };

describe("setupDhtLine", () => {
  it("sends the assignment's line exactly with one copy and chain", () => {
    assert.equal(
      setupDhtLine({ ...choice, replicas: "1", consistency: "chain" }),
      "setup-dht alpha 5 1996",
    );
  });

  it("adds replicas= and consistency= when k > 1 or eventual is chosen", () => {
    assert.equal(
      setupDhtLine({ ...choice, replicas: "2", consistency: "chain" }),
      "setup-dht alpha 5 1996 replicas=2 consistency=chain",
    );
    assert.equal(
      setupDhtLine({ ...choice, replicas: "1", consistency: "eventual" }),
      "setup-dht alpha 5 1996 replicas=1 consistency=eventual",
    );
    assert.equal(
      setupDhtLine({ ...choice, replicas: " 5 ", consistency: "eventual" }),
      "setup-dht alpha 5 1996 replicas=5 consistency=eventual",
    );
  });

  it("sends nothing while k is outside 1..n", () => {
    for (const replicas of ["0", "6", "", "2.5", "-1", "two"]) {
      assert.equal(setupDhtLine({ ...choice, replicas, consistency: "chain" }), null, replicas);
    }
  });
});

describe("replicasProblem", () => {
  it("says k must be from 1 to n, naming n and the k asked", () => {
    assert.equal(replicasProblem("3", "5"), null);
    assert.equal(replicasProblem("5", "5"), null);
    assert.equal(
      replicasProblem("6", "5"),
      "Replicas must be from 1 to n = 5: each record is kept on k of the n nodes (6 asked)",
    );
    assert.match(
      replicasProblem("0", "5") ?? "",
      /^Replicas must be from 1 to n = 5: .*\(0 asked\)$/,
    );
    assert.equal(replicasProblem("", "5"), "Replicas must be a whole number from 1 to n = 5");
  });

  it("without a ring size, says only that k is from 1 to n", () => {
    assert.equal(replicasProblem("x", ""), "Replicas must be a whole number from 1 to n");
    assert.equal(replicasProblem("4", ""), null);
  });
});
