/**
 * Liveness and repair through the simulation: a dead member is noticed by the probes of
 * its left neighbour, reported, marked Dead by the manager, and the ring is rebuilt
 * without it so every record is stored once again; too few survivors end the DHT.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadYear } from "../../../src/data/csv-loader.ts";
import { expectedCounts, tableSizeFor } from "../../../src/data/hashing.ts";
import { eventIdOf } from "../../../src/data/records.ts";
import { DEFAULT_COMMAND_TIMEOUT_MS } from "../../../src/peer/state.ts";
import { TEST_DATA_DIR } from "../../support/paths.ts";
import { LINK_DEAD_AFTER_MS, Simulation } from "../../support/simulation.ts";

const { records } = await loadYear(TEST_DATA_DIR, "1950");
const PROBE_MS = 1_000;

function ring(names: string[], size: number): Simulation {
  const simulation = new Simulation(new Map([["1950", records]]), PROBE_MS);
  for (const name of names) {
    const { mport, pport } = simulation.addPeer(name);
    simulation.type(name, `register ${name} 127.0.0.1 ${mport} ${pport}`);
  }
  simulation.type("ann", `setup-dht ann ${size} 1950`);
  return simulation;
}

const members = (simulation: Simulation) => [...(simulation.manager.dht?.members ?? [])];
const everyLine = (simulation: Simulation) =>
  [...simulation.peers.values()].flatMap((peer) => peer.out);

/** Lets probe interval + dead-after (and a little more) pass on the fake clock. */
function waitForRepair(simulation: Simulation): void {
  for (let elapsed = 0; elapsed <= PROBE_MS + LINK_DEAD_AFTER_MS + 2 * PROBE_MS; elapsed += 100) {
    simulation.wait("ann", 100);
  }
}

for (const deadIndex of [2, 0]) {
  test(`a dead ${deadIndex === 0 ? "leader" : "member"} is reported and the ring rebuilt without it`, () => {
    const simulation = ring(["ann", "bob", "cat", "dan", "eve"], 4);
    const before = members(simulation);
    const dead = before[deadIndex] as string;
    simulation.peer(dead).dead = true;
    waitForRepair(simulation);
    const after = members(simulation);
    const rightOfDead = before[(deadIndex + 1) % 4] as string;
    assert.equal(after.length, 3);
    assert.equal(after[0], rightOfDead, "the dead member's right neighbour leads");
    assert.ok(!after.includes(dead));
    assert.equal(simulation.manager.peers.get(dead)?.state, "Dead");
    assert.equal(simulation.manager.dht?.phase, "ready");
    const lines = simulation.peer(rightOfDead).out;
    assert.ok(lines.includes(`dht-repaired ${dead} ${rightOfDead}`), lines.join("\n"));
    assert.ok(lines.includes(`total: ${records.length} records on 3 nodes`));
    const held = after.map((name) => simulation.peer(name).table?.size ?? 0);
    const tableSize = tableSizeFor(records.length);
    assert.deepEqual(held, expectedCounts(records.map(eventIdOf), tableSize, 3));
    // The free peer still finds what the dead one held.
    const outsider = ["ann", "bob", "cat", "dan", "eve"].find(
      (name) => !before.includes(name),
    ) as string;
    for (const record of records.slice(0, 10)) {
      const answer = simulation.type(outsider, `query-dht ${outsider} ${record[0]}`);
      assert.ok(answer.includes(`event id: ${record[0]}`), answer.join("\n"));
    }
    // The dead peer's name may register again.
    const again = simulation.addPeer(`${dead}x`);
    const reply = simulation.type(
      again.name,
      `register ${dead} 127.0.0.1 ${again.mport} ${again.pport}`,
    );
    assert.match(reply.at(-1) ?? "", /: SUCCESS$/);
  });
}

test("too few survivors: the DHT is torn down and the survivors are Free", () => {
  const simulation = ring(["ann", "bob", "cat"], 3);
  const before = members(simulation);
  simulation.peer(before[1] as string).dead = true;
  waitForRepair(simulation);
  assert.equal(simulation.manager.dht, null);
  for (const name of before.filter((_, index) => index !== 1)) {
    assert.equal(simulation.manager.peers.get(name)?.state, "Free");
    assert.equal(simulation.peer(name).state.membership, null);
    assert.equal(simulation.peer(name).table, null);
  }
  assert.ok(everyLine(simulation).some((line) => /^DHT torn down: \w+ died/.test(line)));
});

test("a ring of two that loses one: the survivor ends the DHT by itself", () => {
  const simulation = ring(["ann", "bob", "cat"], 3);
  const leaver = members(simulation)[1] as string;
  simulation.type(leaver, `leave-dht ${leaver}`);
  const [first = "", second = ""] = members(simulation);
  simulation.peer(second).dead = true;
  waitForRepair(simulation);
  assert.equal(simulation.manager.dht, null);
  assert.equal(simulation.manager.peers.get(first)?.state, "Free");
  assert.equal(simulation.peer(first).state.membership, null);
  assert.equal(simulation.peer(first).table, null);
  const line = `DHT torn down: ${second} died and too few members were left`;
  assert.ok(simulation.peer(first).out.includes(line), simulation.peer(first).out.join("\n"));
});

test("teardown-dht goes on past a dead member and completes with the survivors", () => {
  const simulation = new Simulation(new Map([["1950", records]]), Number.POSITIVE_INFINITY);
  for (const name of ["ann", "bob", "cat", "dan"]) {
    const { mport, pport } = simulation.addPeer(name);
    simulation.type(name, `register ${name} 127.0.0.1 ${mport} ${pport}`);
  }
  simulation.type("ann", "setup-dht ann 4 1950");
  const before = members(simulation);
  simulation.peer(before[2] as string).dead = true;
  const before2 = simulation.finished.length;
  const lines = [
    ...simulation.type("ann", "teardown-dht ann"),
    ...simulation.wait("ann", LINK_DEAD_AFTER_MS),
  ];
  assert.match(lines.at(-2) ?? "", /^teardown-complete ann: SUCCESS/, lines.join("\n"));
  assert.deepEqual(simulation.finished.slice(before2), [{ peer: "ann", ok: true }]);
  assert.equal(simulation.manager.dht, null);
  for (const name of before.filter((_, index) => index !== 2)) {
    assert.equal(simulation.peer(name).state.membership, null, `${name} left the DHT`);
    assert.equal(simulation.peer(name).table, null);
  }
});

test("a ring command with no outcome ends with FAILURE TIMEOUT at its deadline", () => {
  const simulation = new Simulation(new Map([["1950", records]]), Number.POSITIVE_INFINITY);
  for (const name of ["ann", "bob", "cat", "dan"]) {
    const { mport, pport } = simulation.addPeer(name);
    simulation.type(name, `register ${name} 127.0.0.1 ${mport} ${pport}`);
  }
  simulation.type("ann", "setup-dht ann 3 1950");
  const joiner = ["bob", "cat", "dan"].find(
    (name) => !members(simulation).includes(name),
  ) as string;
  // The leader stops answering but its link never gives up (a stopped process).
  simulation.peer("ann").silenced = true;
  const before = simulation.finished.length;
  simulation.type(joiner, `join-dht ${joiner}`);
  assert.equal(simulation.finished.length, before, "the join waits for the leader");
  assert.deepEqual(simulation.wait(joiner, DEFAULT_COMMAND_TIMEOUT_MS - 1), []);
  const ended = simulation.wait(joiner, 1);
  assert.match(ended[0] ?? "", /^join-dht: FAILURE TIMEOUT: no outcome within 35 s/);
  assert.deepEqual(simulation.finished.slice(before), [{ peer: joiner, ok: false }]);
  assert.equal(simulation.peer(joiner).state.churn, null);
});
