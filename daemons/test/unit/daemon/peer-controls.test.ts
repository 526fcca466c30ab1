/** The peer's answers to inspect and faults: what its table holds, and a line per change. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { applyFaults, inspectPeer } from "../../../src/daemon/peer-controls.ts";
import { StormTable } from "../../../src/data/hash-table.ts";
import { TrafficCounters } from "../../../src/observe/inspection.ts";
import { toRecordLine } from "../../../src/protocol/record-line.ts";
import { RunTimeFaults } from "../../../src/transport/faults.ts";
import { fakeRecord } from "../transport/helpers.ts";

test("an inspection has the clock, the counts, the occupancy and the id looked up", () => {
  const counters = new TrafficCounters();
  counters.sent(false);
  counters.sent(true);
  counters.received();
  counters.duplicate();
  counters.dropped("malformed");
  counters.dropped("refused");
  const table = new StormTable(7);
  table.insertMany([toRecordLine(fakeRecord(3)), toRecordLine(fakeRecord(10))]);
  const inspection = inspectPeer(12, counters.now, table, 10);
  assert.deepEqual(inspection, {
    clock: 12,
    counters: {
      sent: 1,
      received: 1,
      retransmitted: 1,
      duplicatesDropped: 1,
      malformedDropped: 1,
      refusedDropped: 1,
    },
    table: { tableSize: 7, records: 2, occupiedSlots: 1, chainLengths: [0, 1] },
    lookup: { eventId: 10, held: true, record: fakeRecord(10) },
  });
  assert.deepEqual(inspectPeer(1, counters.now, table, 4).lookup, { eventId: 4, held: false });
  assert.deepEqual(inspectPeer(1, counters.now, null, 4).lookup, { eventId: 4, held: false });
  assert.equal(inspectPeer(1, counters.now, null, null).table, null);
});

test("faults are applied and said back, a line each; a bad one changes nothing", () => {
  const faults = new RunTimeFaults();
  const bravo = { ip: "127.0.0.1", port: 5004 };
  const lines = applyFaults(faults, { loss: 0.2, dropNext: bravo }, () => "bravo");
  assert.deepEqual(lines, [
    "loss: 20% of the datagrams sent are dropped",
    "the next message to bravo will be dropped",
  ]);
  assert.equal(faults.loss, 0.2);
  assert.equal(faults.takesNextMessage(bravo, "find-event"), true);
  assert.throws(() => applyFaults(faults, { loss: 0.9 }, () => ""), RangeError);
  assert.throws(() => applyFaults(faults, {}, () => ""), /names loss or dropNext/);
  assert.equal(faults.loss, 0.2);
});
