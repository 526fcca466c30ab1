/**
 * Ctrl-C is a leave: SIGINT or SIGTERM to a member runs leave-dht, then deregister, before
 * the peer exits, so the ring is rebuilt without it and nothing is lost; a registered free
 * peer deregisters; a second signal exits at once.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Daemon, register, startManager, startPeer } from "../../demo/processes.ts";
import { countsFor, eventIdsOf } from "../support/independent.ts";
import { TEST_DATA_DIR } from "../support/paths.ts";

const STEP = { timeout: 60_000 };
const eventIds1996 = eventIdsOf(`${TEST_DATA_DIR}details-1996.csv`);
const NAMES = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];

let manager: Daemon;
let managerPort = 0;
const peers = new Map<string, Daemon>();
/** Node ids to names after the setup. */
const ring: string[] = [];

before(async () => {
  ({ manager, port: managerPort } = await startManager());
  for (const name of NAMES) {
    const daemon = startPeer(name, managerPort, TEST_DATA_DIR);
    peers.set(name, daemon);
    await register(daemon, name);
  }
  const setup = await peer("alpha").run("setup-dht alpha 4 1996", /^dht-complete alpha: /, 30_000);
  for (const line of setup) {
    const member = /^node \d+ \((\w+)\): \d+ records$/.exec(line)?.[1];
    if (member !== undefined) ring.push(member);
  }
  assert.equal(ring.length, 4);
});

after(async () => {
  await Promise.all([manager, ...peers.values()].map((daemon) => daemon.stop()));
});

function peer(name: string): Daemon {
  const daemon = peers.get(name);
  assert.ok(daemon, name);
  return daemon;
}

function exitWithin(daemon: Daemon, ms: number): Promise<number | null | "still running"> {
  return Promise.race([
    daemon.exited,
    new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), ms)),
  ]);
}

test(
  "SIGINT to a member: it leaves, the ring is rebuilt without it, it deregisters",
  STEP,
  async () => {
    const leaver = ring[2] ?? "";
    const daemon = peer(leaver);
    daemon.mark();
    daemon.child.kill("SIGINT");
    assert.equal(await exitWithin(daemon, 20_000), 0, `${leaver} exits 0`);
    const lines = daemon.lines.join("\n");
    assert.match(lines, new RegExp(`leave-dht ${leaver}: SUCCESS`));
    assert.match(lines, new RegExp(`dht-rebuilt ${leaver} \\w+: SUCCESS`));
    assert.match(lines, new RegExp(`deregister ${leaver}: SUCCESS`));
    // Every record is still stored exactly once, on the three that are left.
    const newLeader = ring[3] ?? "";
    const rebuilt = peer(newLeader).lines.filter((line) =>
      /^node \d+ \(\w+\): \d+ records$/.test(line),
    );
    const counts = rebuilt.slice(-3).map((line) => Number(/: (\d+) records$/.exec(line)?.[1]));
    assert.deepEqual(counts, countsFor(eventIds1996, 3));
    // The name is free again.
    const asker = NAMES.find((name) => !ring.includes(name)) ?? "";
    const found = await peer(asker).run(`query-dht ${asker} 5536849`, /^id-seq: /);
    assert.ok(found.includes("state: ALABAMA"), found.join("\n"));
    const newcomer = startPeer(leaver, managerPort, TEST_DATA_DIR);
    peers.set(`${leaver}-again`, newcomer);
    await register(newcomer, leaver);
  },
);

test(
  "SIGTERM to a registered free peer deregisters it; a second signal exits at once",
  STEP,
  async () => {
    const free = NAMES.filter((name) => !ring.includes(name));
    const [first = "", second = ""] = free;
    const quiet = peer(first);
    quiet.child.kill("SIGTERM");
    assert.equal(await exitWithin(quiet, 10_000), 0);
    assert.ok(quiet.lines.includes(`deregister ${first}: SUCCESS`), quiet.lines.join("\n"));
    const hurried = peer(second);
    const started = Date.now();
    hurried.child.kill("SIGTERM");
    hurried.child.kill("SIGTERM");
    assert.equal(await exitWithin(hurried, 5_000), 0);
    assert.ok(Date.now() - started < 3_000, `exited after ${Date.now() - started} ms`);
  },
);
