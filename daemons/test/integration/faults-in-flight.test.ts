/**
 * Faults in the middle of things, with real processes: a member killed with `kill -9`
 * while the DHT is being built (the setup ends within seconds, the manager marks it Dead,
 * what was built is torn down and the next setup works); a member killed while a query
 * waits on it (the query ends within 5 s with a line saying why, and after the repair the
 * record is found); a member paused with SIGSTOP for less than --dead-after (nothing
 * happens) and for longer (it is repaired out of the ring, and on SIGCONT it checks in,
 * learns it was taken for dead and may register again).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ringReport } from "../../demo/acceptance.ts";
import { type Daemon, register, startManager, startPeer } from "../../demo/processes.ts";
import { eventIdsOf, ownerIn } from "../support/independent.ts";
import { TEST_DATA_DIR } from "../support/paths.ts";
import { askWhenReady } from "../support/queries.ts";

const STEP = { timeout: 90_000 };
const NAMES = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];
const eventIds1996 = eventIdsOf(`${TEST_DATA_DIR}details-1996.csv`);
let manager: Daemon;
let managerPort = 0;
const peers = new Map<string, Daemon>();
/** Names no longer running (killed), so later steps pick among the living. */
const gone = new Set<string>();
/** The free peer that asks the queries once a DHT is up; the others are its members. */
let asker = "";

before(async () => {
  ({ manager, port: managerPort } = await startManager({ args: ["--wait-timeout", "10s"] }));
  for (const name of NAMES) {
    peers.set(name, startPeer(name, managerPort, TEST_DATA_DIR));
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

const living = () => NAMES.filter((name) => !gone.has(name));
const members = () => living().filter((name) => name !== asker);

function kill(name: string): void {
  peer(name).child.kill("SIGKILL");
  gone.add(name);
}

/** Starts a setup on `leader` and kills the member given set-id `nodeId` once storing starts. */
async function killDuringSetup(
  leader: string,
  nodeId: number,
): Promise<{ victim: string; ended: string; ms: number }> {
  const daemon = peer(leader);
  daemon.mark();
  daemon.send(`setup-dht ${leader} 4 1996`);
  const setId = await daemon.waitFor(new RegExp(`-> (\\w+)  set-id ${nodeId} `));
  const victim = /-> (\w+) {2}set-id/.exec(setId)?.[1] ?? "";
  await daemon.waitFor(/^storing /);
  const killedAt = performance.now();
  kill(victim);
  const ended = await daemon.waitFor(/^setup-dht: FAILURE /, 20_000);
  return { victim, ended, ms: performance.now() - killedAt };
}

async function setupWorks(leader: string, ringSize: number): Promise<string[]> {
  const lines = await peer(leader).run(
    `setup-dht ${leader} ${ringSize} 1996`,
    /^dht-complete \w+: |^setup-dht.*FAILURE/,
    60_000,
  );
  assert.equal(lines.at(-1), `dht-complete ${leader}: SUCCESS`, lines.join("\n"));
  return ringReport(lines).names;
}

for (const [nodeId, who] of [
  [2, "a member further round the ring"],
  [1, "the leader's right neighbour"],
] as const) {
  test(
    `kill -9 of ${who} during setup-dht: the setup ends in seconds and the next one works`,
    STEP,
    async () => {
      const leader = living()[0] ?? "";
      const { victim, ended, ms } = await killDuringSetup(leader, nodeId);
      assert.match(ended, /^setup-dht: FAILURE (ABORTED|UNDELIVERED): /);
      assert.ok(ms < 10_000, `the setup ended ${Math.round(ms)} ms after the kill`);
      process.stdout.write(`# setup ended ${Math.round(ms)} ms after killing ${who}\n`);
      await manager.waitFor(new RegExp(`peer ${victim} is dead: `), 10_000);
      // The dead member's left neighbour tears down what was built, past it.
      const tornDown = new RegExp(
        `^DHT torn down: ${victim} died and the DHT was not complete yet$`,
      );
      await Promise.any(living().map((name) => peer(name).waitFor(tornDown, 10_000)));
      // What was built is torn down; every living peer is free for the next setup.
      const next = living().find((name) => name !== leader) ?? "";
      const ring = await setupWorks(next, living().length);
      assert.ok(!ring.includes(victim));
      await peer(next).run(`teardown-dht ${next}`, /^teardown-complete \w+: |FAILURE/, 30_000);
    },
  );
}

test(
  "kill -9 of the member a query waits on: it ends within 5 s, then the record is found",
  STEP,
  async () => {
    const [leader = ""] = living();
    const ring = await setupWorks(leader, living().length - 1);
    // The manager picks the members at random: the one left out asks.
    asker = living().find((name) => !ring.includes(name)) ?? "";
    const owner = ring[ownerIn(eventIds1996, 5536849, ring.length)] ?? "";
    const newLeader = ring[(ring.indexOf(owner) + 1) % ring.length] ?? "";
    peer(newLeader).mark();
    peer(owner).child.kill("SIGSTOP");
    const startedAt = performance.now();
    const lines = await peer(asker).run(
      `query-dht ${asker} 5536849`,
      /^id-seq: |refused|gave up|failed|FAILURE/,
      10_000,
    );
    kill(owner);
    const tookMs = performance.now() - startedAt;
    assert.ok(tookMs < 6_000, `the query ended after ${Math.round(tookMs)} ms`);
    assert.match(
      lines.at(-1) ?? "",
      /UNREACHABLE|gave up|did not answer|BUSY|id-seq/,
      lines.join("\n"),
    );
    await peer(newLeader).waitFor(new RegExp(`^dht-repaired ${owner} ${newLeader}$`), 20_000);
    await peer(newLeader).waitFor(/^total: 48534 records on \d+ nodes$/, 20_000);
    const again = await askWhenReady(peer(asker), asker, 5536849);
    assert.ok(again.includes("state: ALABAMA"), again.join("\n"));
  },
);

test("SIGSTOP shorter than --dead-after changes nothing", STEP, async () => {
  const [member = ""] = members();
  manager.mark();
  peer(member).mark();
  peer(member).child.kill("SIGSTOP");
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  peer(member).child.kill("SIGCONT");
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  assert.ok(!manager.lines.slice(-50).some((line) => line.includes(`peer ${member} is dead`)));
  assert.ok(!peer(member).lines.some((line) => line.startsWith("this peer was paused")));
});

test(
  "SIGSTOP longer than --dead-after: repaired without it; on SIGCONT it learns so and may register again",
  STEP,
  async () => {
    const [, paused = ""] = members();
    const daemon = peer(paused);
    daemon.child.kill("SIGSTOP");
    await manager.waitFor(new RegExp(`peer ${paused} is dead: `), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    daemon.mark();
    daemon.child.kill("SIGCONT");
    await daemon.waitFor(
      /^this peer was paused for \d+\.\d s, long enough to be taken for dead; checking in$/,
      10_000,
    );
    await daemon.waitFor(
      /^the manager took this peer for dead while it was paused: its ring was repaired without it, it is no longer registered; register again to rejoin$/,
    );
    await register(daemon, paused);
    // Free now, it can ask the repaired ring, which holds every record still.
    const lines = await daemon.run(
      `query-dht ${paused} 5539287`,
      /^id-seq: |refused|gave up|failed|FAILURE/,
    );
    assert.ok(lines.includes("cz name: NORTHERN GREENLEE"), lines.join("\n"));
  },
);
