/**
 * Every console command ends exactly once, when its outcome is known: a setup once
 * dht-complete is acknowledged, a leave or join once dht-rebuilt is, a query once answered.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadYear } from "../../../src/data/csv-loader.ts";
import { ownerOf } from "../../../src/data/hashing.ts";
import { step } from "../../../src/peer/machine.ts";
import { QUERY_TIMEOUT_MS } from "../../../src/peer/query.ts";
import { initialPeerState } from "../../../src/peer/state.ts";
import { TEST_DATA_DIR } from "../../support/paths.ts";
import { LINK_DEAD_AFTER_MS, Simulation, TEST_CONTEXT } from "../../support/simulation.ts";

const { records } = await loadYear(TEST_DATA_DIR, "1950");

/** Types a line and returns that command's outcome, checking it ended exactly once. */
function outcome(
  simulation: Simulation,
  peer: string,
  line: string,
): { ok: boolean; lines: string[] } {
  const before = simulation.finished.length;
  const lines = simulation.type(peer, line);
  const ended = simulation.finished.slice(before);
  assert.equal(ended.length, 1, `"${line}" ended ${ended.length} times`);
  return { ok: ended[0]?.ok ?? false, lines };
}

test("each command of a whole lifecycle ends once, after its last step", () => {
  const simulation = new Simulation(new Map([["1950", records]]));
  const names = ["ann", "bob", "cat", "dan"];
  for (const name of names) {
    const { mport, pport } = simulation.addPeer(name);
    assert.ok(outcome(simulation, name, `register ${name} 127.0.0.1 ${mport} ${pport}`).ok);
  }
  const setup = outcome(simulation, "ann", "setup-dht ann 3 1950");
  assert.ok(setup.ok);
  assert.match(setup.lines.at(-2) ?? "", /^dht-complete ann: SUCCESS/);
  const members = simulation.manager.dht?.members ?? [];
  const outsider = names.find((name) => !members.includes(name)) as string;
  const query = outcome(simulation, outsider, `query-dht ${outsider} ${records[0]?.[0]}`);
  assert.ok(query.ok);
  assert.match(query.lines.at(-1) ?? "", /^id-seq: /);
  const leaver = members[1] as string;
  const leave = outcome(simulation, leaver, `leave-dht ${leaver}`);
  assert.ok(leave.ok);
  assert.ok(leave.lines.some((line) => /^dht-rebuilt .*: SUCCESS/.test(line)));
  assert.ok(outcome(simulation, leaver, `join-dht ${leaver}`).ok);
  const leader = simulation.manager.dht?.leader as string;
  assert.ok(outcome(simulation, leader, `teardown-dht ${leader}`).ok);
  assert.ok(outcome(simulation, outsider, `deregister ${outsider}`).ok);
});

test("refusals and failures end the command with ok false", () => {
  const simulation = new Simulation(new Map([["1950", records]]));
  const { mport, pport } = simulation.addPeer("ann");
  assert.equal(outcome(simulation, "ann", "setup-dht ann 3 1950").ok, false, "not registered");
  assert.ok(outcome(simulation, "ann", `register ann 127.0.0.1 ${mport} ${pport}`).ok);
  assert.equal(outcome(simulation, "ann", "frobnicate").ok, false);
  assert.equal(outcome(simulation, "ann", "query-dht ann 5").ok, false, "no DHT");
  assert.equal(outcome(simulation, "ann", "setup-dht ann 3 1997").ok, false, "no data");
  assert.equal(outcome(simulation, "ann", "setup-dht ann 3 1950").ok, false, "too few peers");
  assert.ok(outcome(simulation, "ann", "help").ok);
});

/** Four registered peers, a DHT of three led by ann, and the one left outside it. */
function ringOfThree(probeIntervalMs = 1_000): {
  simulation: Simulation;
  members: string[];
  outsider: string;
} {
  const simulation = new Simulation(new Map([["1950", records]]), probeIntervalMs);
  for (const name of ["ann", "bob", "cat", "dan"]) {
    const { mport, pport } = simulation.addPeer(name);
    simulation.type(name, `register ${name} 127.0.0.1 ${mport} ${pport}`);
  }
  simulation.type("ann", "setup-dht ann 3 1950");
  const members = [...(simulation.manager.dht?.members ?? [])];
  const outsider = ["bob", "cat", "dan"].find((name) => !members.includes(name)) as string;
  return { simulation, members, outsider };
}

test("a query in two steps: the prompt ends the first line, the event id runs the query", () => {
  const { simulation, outsider } = ringOfThree();
  const prompt = outcome(simulation, outsider, `query-dht ${outsider}`);
  assert.ok(prompt.ok);
  assert.match(prompt.lines.at(-1) ?? "", /^Enter the event id/);
  const answer = outcome(simulation, outsider, String(records[3]?.[0]));
  assert.ok(answer.ok);
  assert.match(answer.lines.at(-1) ?? "", /^id-seq: /);
});

test("a command typed while another runs is refused as busy, and the first goes on", () => {
  const running = { ...initialPeerState(), current: { commandId: 1, kind: "setup-dht" as const } };
  const { state, effects } = step(
    running,
    { kind: "line", line: "help", commandId: 2 },
    TEST_CONTEXT,
  );
  assert.equal(effects.at(-1)?.kind, "done", "help is answered even while busy");
  const refused = step(
    state,
    { kind: "line", line: "query-dht ann 5", commandId: 3 },
    TEST_CONTEXT,
  );
  assert.match((refused.effects[0] as { line: string }).line, /^busy: /);
  assert.deepEqual(refused.effects[1], {
    kind: "done",
    commandId: 3,
    failure: { reason: "REFUSED" },
  });
  assert.deepEqual(refused.state.current, { commandId: 1, kind: "setup-dht" });
});

test("a query whose walk is lost gives up on the fake clock after the machine's timeout", () => {
  const { simulation, members, outsider } = ringOfThree();
  for (const name of members) simulation.peer(name).silenced = true;
  const before = simulation.finished.length;
  const asked = simulation.type(outsider, `query-dht ${outsider} ${records[5]?.[0]}`);
  assert.match(asked.at(-1) ?? "", /^query-dht .*: SUCCESS/);
  assert.equal(simulation.finished.length, before, "still waiting for the walk");
  assert.deepEqual(simulation.wait(outsider, QUERY_TIMEOUT_MS - 1), [], "not yet");
  const gaveUp = simulation.wait(outsider, 1);
  assert.deepEqual(gaveUp, [
    `Query for storm event ${records[5]?.[0]} gave up: no answer within ${QUERY_TIMEOUT_MS / 1000} s.`,
  ]);
  assert.deepEqual(simulation.finished.slice(before), [{ peer: outsider, ok: false }]);
  // The peer is free for the next command at once.
  for (const name of members) simulation.peer(name).silenced = false;
  assert.ok(outcome(simulation, outsider, `query-dht ${outsider} ${records[5]?.[0]}`).ok);
});

test("a walk goes on past a dead member, and says UNREACHABLE when the dead one holds the event", () => {
  // No probes: the walk alone meets the dead member (no repair happens meanwhile).
  const { simulation, members, outsider } = ringOfThree(Number.POSITIVE_INFINITY);
  const dead = members[1] as string;
  simulation.peer(dead).dead = true;
  const tableSize = simulation.peer(members[0] as string).state.membership?.tableSize ?? 0;
  const outcomes = new Set<string>();
  for (const record of records.slice(0, 40)) {
    const eventId = Number(record[0]);
    const before = simulation.finished.length;
    const lines = simulation.type(outsider, `query-dht ${outsider} ${eventId}`);
    // A first member that is dead is asked around: up to three tries of a link's wait each.
    for (let waited = 0; waited < 4 * LINK_DEAD_AFTER_MS; waited += LINK_DEAD_AFTER_MS) {
      lines.push(...simulation.wait(outsider, LINK_DEAD_AFTER_MS));
    }
    assert.equal(simulation.finished.length, before + 1, `query ${eventId} ended once`);
    const text = lines.join("\n");
    if (members[ownerOf(eventId, tableSize, 3)] === dead) {
      // Asked again through another member, the walk may meet the dead one again: then its
      // first deadline ends it.
      assert.match(text, /refused \(UNREACHABLE\)|failed: .* did not answer|gave up/, text);
      outcomes.add("unreachable");
    } else if (/failed: .* did not answer|gave up: no answer within 5 s/.test(text)) {
      outcomes.add("first hop dead"); // the manager chose the dead member three times
    } else {
      assert.ok(lines.includes(`event id: ${eventId}`), text);
      outcomes.add("found");
    }
  }
  assert.ok(outcomes.has("found") && outcomes.has("unreachable"), [...outcomes].join(", "));
});
