/**
 * Replication through the pure state machines in memory: copies placed on the next nodes,
 * reads answered where the model says, writes down the chain or in the background, and
 * written records kept across leave, join and a repair.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadYear } from "../../../src/data/csv-loader.ts";
import { ownerOf, tableSizeFor } from "../../../src/data/hashing.ts";
import { expectedHoldings, holdersOf, tailOf } from "../../../src/data/placement.ts";
import { eventIdOf } from "../../../src/data/records.ts";
import { step } from "../../../src/peer/machine.ts";
import type { PeerTuple } from "../../../src/protocol/messages.ts";
import { TEST_DATA_DIR } from "../../support/paths.ts";
import { LINK_DEAD_AFTER_MS, Simulation, TEST_CONTEXT } from "../../support/simulation.ts";

const { records } = await loadYear(TEST_DATA_DIR, "1950");
const tableSize = tableSizeFor(records.length);
const NAMES = ["ann", "bob", "cat", "dan", "eve", "fay"];

function ring(n: number, options: string, probeIntervalMs = Number.POSITIVE_INFINITY): Simulation {
  const simulation = new Simulation(new Map([["1950", records]]), probeIntervalMs);
  for (const name of NAMES) {
    const { mport, pport } = simulation.addPeer(name);
    simulation.type(name, `register ${name} 127.0.0.1 ${mport} ${pport}`);
  }
  const lines = simulation.type("ann", `setup-dht ann ${n} 1950 ${options}`);
  assert.ok(lines.includes("counts match the hashing"), lines.join("\n"));
  return simulation;
}

const members = (simulation: Simulation): string[] => [...(simulation.manager.dht?.members ?? [])];
const free = (simulation: Simulation): string =>
  NAMES.find((name) => !members(simulation).includes(name)) as string;

/** A 1950 record with a new id and a new value in the last field, as a console line. */
function recordWith(eventId: number, note: string): string {
  const fields = [...(records[0] as string[])];
  fields[0] = String(eventId);
  fields[13] = note;
  return fields
    .map((field) => (/[",]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field))
    .join(",");
}

test("setup with replicas=3 places each record on its primary and the next two nodes", () => {
  const simulation = ring(5, "replicas=3");
  const lines = simulation.peer("ann").out;
  const expected = expectedHoldings(records.map(eventIdOf), tableSize, 5, 3);
  for (const [nodeId, name] of members(simulation).entries()) {
    const count = expected.counts[nodeId] as number;
    const copies = expected.copies[nodeId] as number;
    const line = `node ${nodeId} (${name}): ${count} records (${count - copies} primary, ${copies} copies)`;
    assert.ok(lines.includes(line), `${line}\n${lines.join("\n")}`);
    assert.equal(simulation.peer(name).table?.size, count);
  }
  assert.ok(
    lines.includes(
      `total: ${3 * records.length} records on 5 nodes (${records.length} primary, ${2 * records.length} copies)`,
    ),
  );
});

test("replicas=1 with no consistency prints the assignment's count lines", () => {
  const simulation = ring(3, "replicas=1");
  assert.ok(simulation.peer("ann").out.some((line) => /^node 0 \(ann\): \d+ records$/.test(line)));
});

test("replicas outside 1..n is a FAILURE from the manager", () => {
  const simulation = new Simulation(new Map([["1950", records]]), Number.POSITIVE_INFINITY);
  for (const name of NAMES.slice(0, 3)) {
    const { mport, pport } = simulation.addPeer(name);
    simulation.type(name, `register ${name} 127.0.0.1 ${mport} ${pport}`);
  }
  for (const k of [0, 4]) {
    const lines = simulation.type("ann", `setup-dht ann 3 1950 replicas=${k}`);
    assert.ok(
      lines.some((line) =>
        line.includes(
          `FAILURE BAD_ARGUMENT: replicas=${k}: a record can have from 1 to n = 3 copies`,
        ),
      ),
      lines.join("\n"),
    );
  }
  assert.equal(simulation.manager.dht, null);
});

test("with chain a read is answered by the tail; with eventual by the first copy reached", () => {
  for (const consistency of ["chain", "eventual"] as const) {
    const simulation = ring(5, `replicas=3 consistency=${consistency}`);
    const asker = free(simulation);
    for (const record of records.slice(0, 20)) {
      const eventId = eventIdOf(record);
      const lines = simulation.type(asker, `query-dht ${asker} ${eventId}`);
      const idSeq = (lines.at(-1) ?? "").replace("id-seq: ", "").split(" ").map(Number);
      const primary = ownerOf(eventId, tableSize, 5);
      const last = idSeq.at(-1) as number;
      if (consistency === "chain") assert.equal(last, tailOf(primary, 3, 5), lines.join("\n"));
      else {
        assert.ok(holdersOf(primary, 3, 5).includes(last));
        // The walk stops at the first holder it reaches.
        assert.ok(idSeq.slice(0, -1).every((nodeId) => !holdersOf(primary, 3, 5).includes(nodeId)));
      }
      assert.ok(
        lines.some(
          (line) => line.startsWith(`Event ID: ${eventId}`) || line.includes(String(eventId)),
        ),
      );
    }
  }
});

for (const consistency of ["chain", "eventual"] as const) {
  test(`${consistency}: insert then query, update, delete then query, from a free peer and a member`, () => {
    const simulation = ring(5, `replicas=2 consistency=${consistency}`);
    const writer = free(simulation);
    const member = members(simulation)[2] as string;
    const eventId = 990_000_001;
    const inserted = simulation.type(
      writer,
      `insert-event ${writer} ${recordWith(eventId, "first, with a comma")}`,
    );
    assert.ok(inserted.includes(`insert-event ${eventId}: SUCCESS`), inserted.join("\n"));
    const found = simulation.type(writer, `query-dht ${writer} ${eventId}`);
    assert.ok(
      found.some((line) => line.endsWith("first, with a comma")),
      found.join("\n"),
    );
    const updated = simulation.type(
      member,
      `insert-event ${member} ${recordWith(eventId, "second")}`,
    );
    assert.ok(updated.includes(`insert-event ${eventId}: SUCCESS`), updated.join("\n"));
    const primary = ownerOf(eventId, tableSize, 5);
    for (const holder of holdersOf(primary, 2, 5)) {
      const line = simulation.peer(members(simulation)[holder] as string).table?.find(eventId);
      assert.ok(line?.endsWith("\tsecond"), `node ${holder} holds the new value`);
    }
    const deleted = simulation.type(writer, `delete-event ${writer} ${eventId}`);
    assert.ok(deleted.includes(`delete-event ${eventId}: SUCCESS`), deleted.join("\n"));
    const missing = simulation.type(writer, `query-dht ${writer} ${eventId}`);
    assert.ok(missing.includes(`Storm event ${eventId} not found in the DHT.`), missing.join("\n"));
    const again = simulation.type(writer, `delete-event ${writer} ${eventId}`);
    assert.match(again.at(-1) ?? "", new RegExp(`^delete-event ${eventId}: FAILURE UNKNOWN_EVENT`));
  });
}

test("a write to the assignment's DHT is refused as read-only", () => {
  const simulation = ring(3, "");
  const writer = free(simulation);
  const lines = simulation.type(
    writer,
    `delete-event ${writer} ${eventIdOf(records[0] as string[])}`,
  );
  assert.match(lines.at(-1) ?? "", /FAILURE READ_ONLY: the DHT was set up without replicas=/);
});

test("bad fields are refused before anything is sent", () => {
  const simulation = ring(3, "replicas=2");
  const writer = free(simulation);
  const lines = simulation.type(writer, `insert-event ${writer} 12,too,few`);
  assert.match(lines.at(-1) ?? "", /bad fields: expected 14 fields, found 3/);
});

test("written records survive a leave and a join, gathered from the ring", () => {
  const simulation = ring(5, "replicas=2 consistency=chain");
  const writer = free(simulation);
  const ids = [990_000_011, 990_000_012, 990_000_013, 990_000_014];
  for (const eventId of ids)
    simulation.type(writer, `insert-event ${writer} ${recordWith(eventId, "w")}`);
  simulation.type(writer, `delete-event ${writer} ${eventIdOf(records[1] as string[])}`);
  const leaver = members(simulation)[2] as string;
  const left = simulation.type(leaver, `leave-dht ${leaver}`);
  assert.ok(
    left.some((line) => line.startsWith("dht-rebuilt")),
    left.join("\n"),
  );
  const joined = simulation.type(leaver, `join-dht ${leaver}`);
  assert.ok(
    joined.some((line) => line.startsWith("dht-rebuilt")),
    joined.join("\n"),
  );
  const held = members(simulation).reduce(
    (sum, name) => sum + (simulation.peer(name).table?.size ?? 0),
    0,
  );
  assert.equal(held, 2 * (records.length + ids.length - 1));
  for (const eventId of ids) {
    const lines = simulation.type(writer, `query-dht ${writer} ${eventId}`);
    assert.ok(!lines.some((line) => line.includes("not found")), lines.join("\n"));
  }
  const gone = simulation.type(writer, `query-dht ${writer} ${eventIdOf(records[1] as string[])}`);
  assert.ok(
    gone.some((line) => line.includes("not found")),
    gone.join("\n"),
  );
});

test("with a member dead, every query is answered from the copies, and the repair restores two copies", () => {
  const simulation = ring(5, "replicas=2 consistency=chain", 1_000);
  const asker = free(simulation);
  const eventId = 990_000_021;
  simulation.type(asker, `insert-event ${asker} ${recordWith(eventId, "kept")}`);
  const dead = members(simulation)[3] as string;
  simulation.peer(dead).dead = true;
  for (const record of records.slice(0, 30)) {
    const id = eventIdOf(record);
    const lines = simulation.type(asker, `query-dht ${asker} ${id}`);
    for (
      let waited = 0;
      waited < 3 * LINK_DEAD_AFTER_MS && !lines.some((line) => line.startsWith("id-seq:"));
      waited += 100
    ) {
      lines.push(...simulation.wait(asker, 100));
    }
    assert.ok(
      lines.some((line) => line.startsWith("id-seq:")) &&
        !lines.some((line) => /not found|refused|gave up/.test(line)),
      `${id}\n${lines.join("\n")}`,
    );
  }
  const repaired = () =>
    NAMES.some((name) => simulation.peer(name).out.some((line) => line.startsWith("dht-repaired")));
  for (let waited = 0; waited < 20_000 && !repaired(); waited += 100) simulation.wait(asker, 100);
  assert.ok(repaired());
  const everyone = members(simulation);
  assert.equal(everyone.length, 4);
  const held = everyone.reduce((sum, name) => sum + (simulation.peer(name).table?.size ?? 0), 0);
  assert.equal(held, 2 * (records.length + 1));
});

test("a query or write while the manager repairs the ring waits it out, then answers", () => {
  const simulation = ring(5, "replicas=2");
  const asker = free(simulation);
  const ready = simulation.manager;
  const [reporter = "", dead = ""] = members(simulation);
  simulation.manager = { ...ready, pending: { kind: "repair", peer: reporter, dead } };
  const eventId = eventIdOf(records[3] as string[]);
  const lines = simulation.type(asker, `query-dht ${asker} ${eventId}`);
  assert.match(lines[0] ?? "", /^query-dht \w+: FAILURE BUSY: /, lines.join("\n"));
  assert.ok(lines.includes("the ring is being repaired; asking again until it is done"));
  lines.push(...simulation.wait(asker, 200), ...simulation.wait(asker, 200));
  assert.ok(!lines.some((line) => line.startsWith("id-seq:")), "no answer while it repairs");
  simulation.manager = ready;
  lines.push(...simulation.wait(asker, 200));
  assert.ok(lines.includes(`event id: ${eventId}`), lines.join("\n"));
  // Lines say it once, not per try; the command then ends as any query does.
  assert.equal(lines.filter((line) => line.includes("FAILURE BUSY")).length, 1);
  assert.equal(simulation.finished.at(-1)?.ok, true);
  simulation.manager = { ...ready, pending: { kind: "repair", peer: reporter, dead } };
  const waited = simulation.type(asker, `insert-event ${asker} ${recordWith(990_000_031, "w")}`);
  for (let tries = 0; tries < 30; tries++) waited.push(...simulation.wait(asker, 200));
  assert.match(waited.at(-1) ?? "", /^insert-event 990000031: FAILURE BUSY: /, waited.join("\n"));
});

test("a walk whose next hop gave up after this node was renumbered is answered BUSY, not sent on", () => {
  const simulation = ring(5, "replicas=2");
  const [first = "", second = ""] = members(simulation);
  const node = simulation.peer(second);
  const membership = node.state.membership;
  assert.ok(membership !== null);
  const origin = { name: free(simulation), ip: "127.0.0.1", port: 1 };
  const walk = {
    type: "find-event" as const,
    queryId: 1,
    nonce: "00c0ffee00c0ffee",
    eventId: eventIdOf(records[0] as string[]),
    origin,
    idSeq: [membership.nodeId],
  };
  // A repair renumbered the ring meanwhile: the first member is gone, ids moved down one.
  const renumbered = {
    ...membership,
    tuples: membership.tuples.filter((tuple) => tuple.name !== first),
    nodeId: membership.nodeId - 1,
  };
  const { effects } = step(
    { ...node.state, membership: renumbered },
    { kind: "send-failed", to: membership.tuples[3] as PeerTuple, body: walk, error: "gone" },
    TEST_CONTEXT,
  );
  const sent = effects.filter((effect) => effect.kind === "send");
  assert.deepEqual(
    sent.map(
      (effect) =>
        effect.kind === "send" && [
          effect.to.name,
          effect.body.type,
          "reason" in effect.body && effect.body.reason,
        ],
    ),
    [[origin.name, "find-result", "BUSY"]],
  );
});
