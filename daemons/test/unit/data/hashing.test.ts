import assert from "node:assert/strict";
import { test } from "node:test";
import { loadYear } from "../../../src/data/csv-loader.ts";
import {
  expectedCounts,
  firstPrimeAbove,
  ownerOf,
  positionOf,
  tableSizeFor,
} from "../../../src/data/hashing.ts";
import { eventIdOf } from "../../../src/data/records.ts";
import { TEST_DATA_DIR } from "../../support/paths.ts";

test("firstPrimeAbove gives the first prime strictly greater than its argument", () => {
  const cases: [number, number][] = [
    [-7, 2],
    [0, 2],
    [1, 2],
    [2, 3],
    [3, 5],
    [4, 5],
    [7, 11],
    [13, 17],
    [24, 29],
    [2.5, 3],
    [2 * 223, 449],
  ];
  for (const [value, prime] of cases) {
    assert.equal(firstPrimeAbove(value), prime, `firstPrimeAbove(${value})`);
  }
  assert.throws(() => firstPrimeAbove(Number.NaN), RangeError);
});

test("the 1996 table size is 97,073 as the data README says", () => {
  assert.equal(firstPrimeAbove(2 * 48_534), 97_073);
  assert.equal(tableSizeFor(48_534), 97_073);
  assert.equal(tableSizeFor(0), 2);
});

test("pos = event id mod s and id = pos mod n", () => {
  assert.equal(positionOf(5_536_849, 97_073), 5_536_849 % 97_073);
  assert.equal(ownerOf(5_536_849, 97_073, 5), (5_536_849 % 97_073) % 5);
  assert.equal(positionOf(0, 7), 0);
  assert.equal(ownerOf(20, 7, 3), 0);
  assert.equal(ownerOf(13, 7, 3), 0);
  assert.equal(ownerOf(12, 7, 3), 2);
});

test("hashing refuses ids and sizes that would give a meaningless slot", () => {
  assert.throws(() => positionOf(-1, 7), RangeError);
  assert.throws(() => positionOf(1.5, 7), RangeError);
  assert.throws(() => positionOf(Number.NaN, 7), RangeError);
  assert.throws(() => positionOf(1, 0), RangeError);
  assert.throws(() => ownerOf(1, 7, 0), RangeError);
});

test("expectedCounts for 1996 on 5 nodes accounts for every record", async () => {
  const { records } = await loadYear(TEST_DATA_DIR, "1996");
  const tableSize = tableSizeFor(records.length);
  const counts = expectedCounts(records.map(eventIdOf), tableSize, 5);
  assert.equal(counts.length, 5);
  assert.equal(
    counts.reduce((sum, count) => sum + count, 0),
    48_534,
  );
  const byHand = [0, 1, 2, 3, 4].map(
    (node) => records.filter((record) => (Number(record[0]) % 97_073) % 5 === node).length,
  );
  assert.deepEqual(counts, byHand);
});
