/**
 * A member killed with `kill -9` while a leave rebuilds the ring: the member that cannot
 * pass it the records reports it within seconds, the manager marks it Dead and ends the
 * DHT (what was being rebuilt can be neither finished nor undone), the survivors drop
 * their parts, the leave ends with a FAILURE that says why, and the next setup stores
 * every record once.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ringReport } from "../../demo/acceptance.ts";
import { type Daemon, register, startManager, startPeer } from "../../demo/processes.ts";
import { countsFor, eventIdsOf } from "../support/independent.ts";
import { TEST_DATA_DIR } from "../support/paths.ts";

const NAMES = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
const eventIds1996 = eventIdsOf(`${TEST_DATA_DIR}details-1996.csv`);
let manager: Daemon;
const peers = new Map<string, Daemon>();

before(async () => {
  let port: number;
  ({ manager, port } = await startManager());
  for (const name of NAMES) {
    peers.set(name, startPeer(name, port, TEST_DATA_DIR));
    await register(peer(name), name);
  }
});

after(async () => {
  await Promise.all([manager, ...peers.values()].map((daemon) => daemon.stop()));
});

function peer(name: string): Daemon {
  const daemon = peers.get(name);
  assert.ok(daemon, name);
  return daemon;
}

test("kill -9 of a member during a leave's rebuild ends the DHT cleanly", {
  timeout: 120_000,
}, async () => {
  const setup = await peer("alpha").run("setup-dht alpha 5 1996", /^dht-complete alpha: /, 30_000);
  const ring = ringReport(setup).names;
  const [leaver = "", newLeader = "", victim = ""] = ring.slice(1);
  const survivors = ring.filter((name) => name !== victim);
  for (const name of survivors) peer(name).mark();
  manager.mark();
  peer(leaver).send(`leave-dht ${leaver}`);
  await peer(newLeader).waitFor(/^storing \d+ records of 1996 on 4 nodes/, 20_000);
  const killedAt = performance.now();
  peer(victim).child.kill("SIGKILL");

  await manager.waitFor(
    new RegExp(`peer ${victim} is dead: .*\\(reported by ${newLeader}\\)$`),
    10_000,
  );
  const tornDown = `DHT torn down: ${victim} died and the DHT was not complete yet`;
  await peer(newLeader).waitFor(new RegExp(`^${tornDown}$`), 10_000);
  const repairMs = performance.now() - killedAt;
  process.stdout.write(`# DHT ended ${Math.round(repairMs)} ms after the kill\n`);

  // The leave ends too, with a line that says why, within its ring-command deadline.
  const ended = await peer(leaver).waitFor(/^leave-dht: FAILURE |^dht-rebuilt .*: /, 40_000);
  assert.match(ended, /^leave-dht: FAILURE TIMEOUT: /);
  const refused = await peer(leaver).run(`query-dht ${leaver} 5536849`, /^query-dht .*: FAILURE/);
  assert.match(refused.at(-1) ?? "", /FAILURE NO_DHT/);

  // Every survivor is Free and holds nothing: a new setup over all of them works.
  const again = await peer(newLeader).run(
    `setup-dht ${newLeader} ${survivors.length} 1996`,
    /^dht-complete \w+: |^setup-dht.*: FAILURE/,
    30_000,
  );
  assert.equal(again.at(-1), `dht-complete ${newLeader}: SUCCESS`, again.join("\n"));
  assert.deepEqual(ringReport(again).counts, countsFor(eventIds1996, survivors.length));
});
