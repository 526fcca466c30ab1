/**
 * Members killed with `kill -9` while the DHT of 1996 is idle: the dead one's left
 * neighbour notices within seconds, the manager marks it Dead, the ring is rebuilt without
 * it and every record is stored exactly once again; a queried record is found; the name
 * registers again. Killing the leader hands the ring to its right neighbour; when too
 * few members would be left, the DHT is torn down with a line saying so.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Daemon, register, startManager, startPeer } from "../../demo/processes.ts";
import { countsFor, eventIdsOf } from "../support/independent.ts";
import { TEST_DATA_DIR } from "../support/paths.ts";
import { askWhenReady } from "../support/queries.ts";

const STEP = { timeout: 90_000 };
/** From the kill to the new leader's counts, as the issue asks of 1996 on five nodes. */
const REPAIR_LIMIT_MS = 15_000;
const eventIds1996 = eventIdsOf(`${TEST_DATA_DIR}details-1996.csv`);
const NAMES = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];

let manager: Daemon;
let managerPort = 0;
const peers = new Map<string, Daemon>();
/** The ring by node id, as the last setup or repair printed it. */
let ring: string[] = [];
let asker = "";

before(async () => {
  ({ manager, port: managerPort } = await startManager());
  for (const name of NAMES) {
    const daemon = startPeer(name, managerPort, TEST_DATA_DIR);
    peers.set(name, daemon);
    await register(daemon, name);
  }
  const setup = await peer("alpha").run("setup-dht alpha 5 1996", /^dht-complete alpha: /, 30_000);
  ring = nodesIn(setup);
  asker = NAMES.find((name) => !ring.includes(name)) ?? "";
});

after(async () => {
  await Promise.all([manager, ...peers.values()].map((daemon) => daemon.stop()));
});

function peer(name: string): Daemon {
  const daemon = peers.get(name);
  assert.ok(daemon, name);
  return daemon;
}

/** Member names by node id from a leader's `node <id> (<name>): <count> records` lines. */
function nodesIn(lines: readonly string[]): string[] {
  return lines.flatMap((line) => /^node \d+ \((\w+)\): \d+ records$/.exec(line)?.[1] ?? []);
}

function countsIn(lines: readonly string[]): number[] {
  return lines.flatMap((line) => {
    const count = /^node \d+ \(\w+\): (\d+) records$/.exec(line)?.[1];
    return count === undefined ? [] : [Number(count)];
  });
}

/** Kills `dead` and waits for its right neighbour's repair; returns the time it took. */
async function killAndRepair(dead: string): Promise<number> {
  const at = ring.indexOf(dead);
  const newLeader = ring[(at + 1) % ring.length] as string;
  const leader = peer(newLeader);
  leader.mark();
  manager.mark();
  const killedAt = performance.now();
  peer(dead).child.kill("SIGKILL");
  const repaired = await leader.waitFor(
    new RegExp(`^dht-repaired ${dead} ${newLeader}$`),
    REPAIR_LIMIT_MS + 5_000,
  );
  const from = leader.lines.lastIndexOf(repaired);
  const total = await leader.waitFor(/^total: \d+ records on \d+ nodes$/, 10_000);
  const totalAt = leader.lines.indexOf(total, from);
  const tookMs = (leader.times[totalAt] ?? performance.now()) - killedAt;
  const printed = leader.lines.slice(from, totalAt + 1);
  const survivors = ring.length - 1;
  ring = nodesIn(printed).slice(0, survivors);
  assert.equal(ring[0], newLeader);
  assert.deepEqual(countsIn(printed).slice(0, survivors), countsFor(eventIds1996, survivors));
  assert.equal(total, `total: ${eventIds1996.length} records on ${survivors} nodes`);
  await manager.waitFor(new RegExp(`peer ${dead} is dead: `));
  return tookMs;
}

async function assertDemoQueries(): Promise<void> {
  const ask = async (eventId: number, expected: string) => {
    const lines = await askWhenReady(peer(asker), asker, eventId);
    assert.ok(lines.includes(expected), lines.join("\n"));
  };
  await ask(5536849, "state: ALABAMA");
  await ask(2402920, "Storm event 2402920 not found in the DHT.");
  await ask(5539287, "cz name: NORTHERN GREENLEE");
  await ask(55770111, "Storm event 55770111 not found in the DHT.");
}

test("kill -9 of a member while idle: repaired without it, every record once", STEP, async () => {
  const dead = ring[2] ?? "";
  const took = await killAndRepair(dead);
  assert.ok(took < REPAIR_LIMIT_MS, `kill to counts took ${Math.round(took)} ms`);
  process.stdout.write(`# repair after killing a member: ${Math.round(took)} ms\n`);
  await assertDemoQueries();
  // The dead peer's name is free again.
  const again = startPeer(dead, managerPort, TEST_DATA_DIR);
  peers.set(`${dead}-again`, again);
  await register(again, dead);
});

test("kill -9 of the leader: its right neighbour leads the repaired ring", STEP, async () => {
  const took = await killAndRepair(ring[0] ?? "");
  assert.ok(took < REPAIR_LIMIT_MS, `kill to counts took ${Math.round(took)} ms`);
  process.stdout.write(`# repair after killing the leader: ${Math.round(took)} ms\n`);
  await assertDemoQueries();
});

test("when too few would be left, the DHT is torn down with a line saying so", STEP, async () => {
  assert.equal(ring.length, 3);
  const dead = ring[1] ?? "";
  const reporter = peer(ring[0] ?? "");
  reporter.mark();
  peer(dead).child.kill("SIGKILL");
  await reporter.waitFor(
    new RegExp(`^DHT torn down: ${dead} died and too few members were left$`),
    20_000,
  );
  const refused = await peer(asker).run(
    `query-dht ${asker} 5536849`,
    /^query-dht .*: (SUCCESS|FAILURE)/,
  );
  assert.match(refused.at(-1) ?? "", /FAILURE NO_DHT/);
});
