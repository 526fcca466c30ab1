/**
 * The whole protocol through the pure state machines (peers and manager) in memory:
 * setup, queries, leave, join and teardown on small real data, step by step.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadYear } from "../../../src/data/csv-loader.ts";
import { expectedCounts, ownerOf, tableSizeFor } from "../../../src/data/hashing.ts";
import { eventIdOf } from "../../../src/data/records.ts";
import { step } from "../../../src/peer/machine.ts";
import type { PeerState } from "../../../src/peer/state.ts";
import { TEST_DATA_DIR } from "../../support/paths.ts";
import { Simulation, TEST_CONTEXT } from "../../support/simulation.ts";

const { records: records1950 } = await loadYear(TEST_DATA_DIR, "1950");
const tableSize1950 = tableSizeFor(records1950.length);

function ringWith(names: string[]): Simulation {
  const simulation = new Simulation(new Map([["1950", records1950]]));
  for (const [index, name] of names.entries()) {
    simulation.addPeer(name);
    const lines = simulation.type(
      name,
      `register ${name} 127.0.0.1 ${5_000 + index * 2} ${5_001 + index * 2}`,
    );
    assert.match(lines.at(-1) ?? "", /: SUCCESS$/);
  }
  return simulation;
}

function membersOf(simulation: Simulation): string[] {
  return [...(simulation.manager.dht?.members ?? [])];
}

function heldCounts(simulation: Simulation): number[] {
  return membersOf(simulation).map((name) => simulation.peer(name).table?.size ?? 0);
}

test("setup stores every record once, at the node the hashing names", () => {
  const simulation = ringWith(["ann", "bob", "cat", "dan"]);
  const lines = simulation.type("ann", "setup-dht ann 3 1950");
  assert.ok(lines.includes("total: 223 records on 3 nodes"), lines.join("\n"));
  assert.ok(lines.includes("counts match the hashing"));
  assert.match(lines.at(-2) ?? "", /^dht-complete ann: SUCCESS/);
  assert.equal(simulation.manager.dht?.phase, "ready");
  assert.deepEqual(
    heldCounts(simulation),
    expectedCounts(records1950.map(eventIdOf), tableSize1950, 3),
  );
  // Stores only ever travel to the right neighbour and never back to the leader.
  const stores = simulation.traffic.filter((message) => message.type === "store");
  assert.ok(stores.length > 0);
  assert.ok(stores.every((message) => message.from !== membersOf(simulation).at(-1)));
});

test("a query walks to the owner without repeating a node and prints the record", () => {
  const simulation = ringWith(["ann", "bob", "cat", "dan", "eve"]);
  simulation.type("ann", "setup-dht ann 4 1950");
  const outsider = ["bob", "cat", "dan", "eve"].find(
    (name) => !membersOf(simulation).includes(name),
  ) as string;
  const record = records1950[100] as string[];
  const eventId = Number(record[0]);
  const lines = simulation.type(outsider, `query-dht ${outsider} ${eventId}`);
  assert.ok(lines.includes(`event id: ${eventId}`), lines.join("\n"));
  assert.ok(lines.includes(`state: ${record[1]}`));
  const idSeq = (lines.at(-1) ?? "").replace("id-seq: ", "").split(" ").map(Number);
  assert.equal(new Set(idSeq).size, idSeq.length);
  assert.equal(idSeq.at(-1), ownerOf(eventId, tableSize1950, 4));
  const missing = simulation.type(outsider, `query-dht ${outsider} 1`);
  assert.ok(missing.includes("Storm event 1 not found in the DHT."));
});

test("a query typed in two steps asks for the event id", () => {
  const simulation = ringWith(["ann", "bob", "cat", "dan"]);
  simulation.type("ann", "setup-dht ann 3 1950");
  const outsider = ["bob", "cat", "dan"].find(
    (name) => !membersOf(simulation).includes(name),
  ) as string;
  const prompt = simulation.type(outsider, `query-dht ${outsider}`);
  assert.match(prompt.at(-1) ?? "", /^Enter the event id/);
  const answer = simulation.type(outsider, String(records1950[5]?.[0]));
  assert.ok(answer.some((line) => line.startsWith("event id: ")));
  simulation.type(outsider, `query-dht ${outsider}`);
  const cancelled = simulation.type(outsider, "not-a-number");
  assert.match(cancelled[0] ?? "", /query cancelled/);
});

test("leave renumbers the ring from the leaver's right neighbour and rebuilds it", () => {
  const simulation = ringWith(["ann", "bob", "cat", "dan", "eve"]);
  simulation.type("ann", "setup-dht ann 4 1950");
  const before = membersOf(simulation);
  const leaver = before[1] as string;
  const lines = simulation.type(leaver, `leave-dht ${leaver}`);
  assert.ok(lines.includes(`dht-rebuilt ${leaver} ${before[2]}`), lines.join("\n"));
  assert.match(lines.at(-2) ?? "", /SUCCESS/);
  assert.deepEqual(membersOf(simulation), [before[2], before[3], before[0]]);
  assert.deepEqual(
    heldCounts(simulation),
    expectedCounts(records1950.map(eventIdOf), tableSize1950, 3),
  );
  assert.equal(simulation.peer(leaver).table, null);
  assert.equal(simulation.peer(leaver).state.membership, null);
  for (const [nodeId, name] of membersOf(simulation).entries()) {
    assert.equal(simulation.peer(name).state.membership?.nodeId, nodeId);
  }
});

test("members may leave until one is left, which then holds every record", () => {
  const simulation = ringWith(["ann", "bob", "cat"]);
  simulation.type("ann", "setup-dht ann 3 1950");
  for (const leaver of membersOf(simulation).slice(0, 2)) {
    const lines = simulation.type(leaver, `leave-dht ${leaver}`);
    assert.match(lines.at(-2) ?? "", /^dht-rebuilt .*: SUCCESS/, lines.join("\n"));
  }
  assert.equal(membersOf(simulation).length, 1);
  assert.deepEqual(heldCounts(simulation), [records1950.length]);
});

test("the leader leaving hands the ring to its right neighbour", () => {
  const simulation = ringWith(["ann", "bob", "cat", "dan"]);
  simulation.type("ann", "setup-dht ann 4 1950");
  const before = membersOf(simulation);
  simulation.type("ann", "leave-dht ann");
  assert.equal(simulation.manager.dht?.leader, before[1]);
  assert.deepEqual(
    heldCounts(simulation),
    expectedCounts(records1950.map(eventIdOf), tableSize1950, 3),
  );
});

test("join appends the joiner as node n and it ends up holding its share", () => {
  const simulation = ringWith(["ann", "bob", "cat", "dan"]);
  simulation.type("ann", "setup-dht ann 3 1950");
  const joiner = ["bob", "cat", "dan"].find(
    (name) => !membersOf(simulation).includes(name),
  ) as string;
  const lines = simulation.type(joiner, `join-dht ${joiner}`);
  assert.ok(lines.includes(`dht-rebuilt ${joiner} ann`), lines.join("\n"));
  assert.equal(membersOf(simulation).at(-1), joiner);
  assert.equal(simulation.peer(joiner).state.membership?.nodeId, 3);
  const counts = heldCounts(simulation);
  assert.deepEqual(counts, expectedCounts(records1950.map(eventIdOf), tableSize1950, 4));
  assert.ok((counts[3] ?? 0) > 0, "the joiner holds records");
});

test("teardown empties every node and frees every member", () => {
  const simulation = ringWith(["ann", "bob", "cat"]);
  simulation.type("ann", "setup-dht ann 3 1950");
  const lines = simulation.type("ann", "teardown-dht ann");
  assert.match(lines.find((line) => line.startsWith("teardown-complete")) ?? "", /SUCCESS/);
  assert.equal(simulation.manager.dht, null);
  for (const name of ["ann", "bob", "cat"]) {
    assert.equal(simulation.peer(name).table, null);
    assert.equal(simulation.peer(name).state.membership, null);
  }
  // A teardown does not rebuild anything.
  assert.equal(
    simulation.traffic.filter((message) => message.type === "store" && message.id > 0).length > 0,
    true,
  );
  const storesAfter = simulation.traffic.slice(
    simulation.traffic.findIndex((message) => message.type === "teardown"),
  );
  assert.ok(storesAfter.every((message) => message.type !== "store"));
});

test("local refusals: unknown command, bad arguments, missing year, commands before register", () => {
  const simulation = ringWith(["ann", "bob", "cat"]);
  simulation.addPeer("zed");
  assert.match(simulation.type("zed", "setup-dht zed 3 1950")[0] ?? "", /not registered yet/);
  assert.match(simulation.type("ann", "frobnicate")[0] ?? "", /unknown command "frobnicate"/);
  assert.match(
    simulation.type("ann", "setup-dht ann three 1950")[0] ?? "",
    /n "three" is not a whole number/,
  );
  assert.match(simulation.type("ann", "register x 1.2.3 1 2")[0] ?? "", /not an IPv4 address/);
  assert.match(
    simulation.type("ann", "setup-dht ann 3 1997")[0] ?? "",
    /setup-dht refused: no data for 1997/,
  );
  assert.equal(simulation.manager.dht, null, "nothing changed at the manager");
});

test("a leader busy rebuilding refuses a new setup-dht locally", () => {
  const simulation = ringWith(["ann", "bob", "cat", "dan"]);
  simulation.type("ann", "setup-dht ann 3 1950");
  const leader = simulation.peer("ann");
  // Freeze the leader mid-build: it is told to rebuild but its records have not loaded.
  const frozen: PeerState = {
    ...leader.state,
    build: {
      purpose: "rebuild",
      initiator: null,
      awaitingSetId: [],
      records: null,
      tableSize: null,
      expectedCounts: null,
      expectedCopies: null,
      repairOf: null,
    },
  };
  const line = { kind: "line" as const, line: "setup-dht ann 3 1950", commandId: 99 };
  const { state, effects } = step(frozen, line, TEST_CONTEXT);
  assert.equal(state, frozen);
  assert.deepEqual(effects, [
    {
      kind: "print",
      line: "busy: this peer is storing records on its ring; try again when it is done",
    },
    { kind: "done", commandId: 99, failure: { reason: "REFUSED" } },
  ]);
});
