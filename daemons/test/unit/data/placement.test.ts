/** Where k copies of a record live, against a brute-force reading of the rule. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ownerOf } from "../../../src/data/hashing.ts";
import { chainIndexOf, expectedHoldings, holdersOf, tailOf } from "../../../src/data/placement.ts";

test("copies live on the next nodes to the right of the primary, wrapping round", () => {
  assert.deepEqual(holdersOf(3, 3, 5), [3, 4, 0]);
  assert.deepEqual(holdersOf(0, 1, 5), [0]);
  assert.equal(tailOf(3, 3, 5), 0);
  assert.equal(tailOf(2, 1, 5), 2);
  // k = n: every node holds every record.
  assert.deepEqual(holdersOf(2, 4, 4), [2, 3, 0, 1]);
  assert.equal(chainIndexOf(0, 3, 3, 5), 2);
  assert.equal(chainIndexOf(1, 3, 3, 5), -1);
});

test("holders, tail and chain index agree for every ring, k and primary", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40 }), fc.nat(), fc.nat(), (ringSize, k, p) => {
      const replicas = 1 + (k % ringSize);
      const primary = p % ringSize;
      const holders = holdersOf(primary, replicas, ringSize);
      assert.equal(new Set(holders).size, replicas);
      assert.equal(holders[0], primary);
      assert.equal(holders.at(-1), tailOf(primary, replicas, ringSize));
      for (let nodeId = 0; nodeId < ringSize; nodeId++) {
        assert.equal(chainIndexOf(nodeId, primary, replicas, ringSize), holders.indexOf(nodeId));
      }
    }),
  );
});

test("expected holdings count each record k times, its primary once", () => {
  const eventIds = Array.from({ length: 500 }, (_, index) => 1_000 + index * 7);
  const tableSize = 1_009;
  const { counts, copies } = expectedHoldings(eventIds, tableSize, 5, 3);
  assert.equal(
    counts.reduce((sum, count) => sum + count, 0),
    3 * eventIds.length,
  );
  assert.equal(
    copies.reduce((sum, count) => sum + count, 0),
    2 * eventIds.length,
  );
  const primaries = new Array<number>(5).fill(0);
  for (const eventId of eventIds) {
    const owner = ownerOf(eventId, tableSize, 5);
    primaries[owner] = (primaries[owner] ?? 0) + 1;
  }
  for (let nodeId = 0; nodeId < 5; nodeId++) {
    assert.equal((counts[nodeId] ?? 0) - (copies[nodeId] ?? 0), primaries[nodeId]);
    const copiesFromBehind =
      (primaries[(nodeId + 4) % 5] ?? 0) + (primaries[(nodeId + 3) % 5] ?? 0);
    assert.equal(copies[nodeId], copiesFromBehind);
  }
});
