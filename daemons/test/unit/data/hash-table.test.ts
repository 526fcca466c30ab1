import assert from "node:assert/strict";
import { test } from "node:test";
import { loadYear } from "../../../src/data/csv-loader.ts";
import { StormTable } from "../../../src/data/hash-table.ts";
import { positionOf, tableSizeFor } from "../../../src/data/hashing.ts";
import { type RecordLine, toRecordLine } from "../../../src/protocol/record-line.ts";
import { TEST_DATA_DIR } from "../../support/paths.ts";

function recordOf(eventId: string, state = "TEXAS"): RecordLine {
  return [eventId, state, "1996", "May", "Hail", "C", "X", "0", "0", "0", "0", "0", "0", ""].join(
    "\t",
  );
}

test("records that collide at one position are all kept and all found (1950)", async () => {
  const { records } = await loadYear(TEST_DATA_DIR, "1950");
  const tableSize = tableSizeFor(records.length);
  const positions = new Set(records.map((record) => positionOf(Number(record[0]), tableSize)));
  // Keying by position alone would keep only one record per position: 50 would be lost.
  assert.equal(records.length - positions.size, 50);

  const table = new StormTable(tableSize);
  assert.equal(table.insertMany(records.map(toRecordLine)), 223);
  assert.equal(table.size, 223);
  for (const record of records) {
    assert.equal(table.find(Number(record[0])), toRecordLine(record), `event ${record[0]}`);
  }
});

test("a missing id whose position holds other records is not found", () => {
  const table = new StormTable(7);
  table.insert(recordOf("3"));
  table.insert(recordOf("10"));
  assert.equal(table.find(17), undefined);
  assert.equal(table.find(4), undefined);
  assert.equal(table.find(10)?.split("\t")[0], "10");
});

test("a duplicate event id is refused and leaves the table unchanged", () => {
  const table = new StormTable(7);
  const first = recordOf("10", "TEXAS");
  assert.equal(table.insert(first), true);
  assert.equal(table.insert(recordOf("10", "OHIO")), false);
  assert.equal(table.insert(recordOf("010", "OHIO")), false);
  assert.equal(table.size, 1);
  assert.equal(table.find(10), first);
  assert.equal(table.insertMany([recordOf("10"), recordOf("3"), recordOf("3")]), 1);
  assert.equal(table.size, 2);
});

test("an empty table finds nothing", () => {
  const table = new StormTable(97_073);
  assert.equal(table.tableSize, 97_073);
  assert.equal(table.size, 0);
  assert.equal(table.find(5_536_849), undefined);
});

test("ids that are not event ids are refused on insert and never found", () => {
  const table = new StormTable(7);
  table.insert(recordOf("0"));
  for (const bad of ["", "abc", "-3", "1e3", " 7"]) {
    assert.throws(() => table.insert(recordOf(bad)), RangeError, JSON.stringify(bad));
  }
  assert.equal(table.size, 1);
  for (const bad of [-7, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.equal(table.find(bad), undefined, String(bad));
  }
  assert.throws(() => new StormTable(0), RangeError);
});

test("occupancy counts the slots in use and the chains by length", () => {
  const table = new StormTable(7);
  assert.deepEqual(table.occupancy(), {
    tableSize: 7,
    records: 0,
    occupiedSlots: 0,
    chainLengths: [],
  });
  // 3, 10 and 17 share slot 3; 4 has slot 4 to itself; 1 and 8 share slot 1.
  table.insertMany(["3", "10", "17", "4", "1", "8"].map((id) => recordOf(id)));
  assert.deepEqual(table.occupancy(), {
    tableSize: 7,
    records: 6,
    occupiedSlots: 3,
    chainLengths: [1, 1, 1],
  });
});
