/**
 * The acceptance demo over four hosts made of Linux network namespaces joined by a bridge
 * (see support/netns.ts): the manager on host 1 (198.18.0.1), the six peers spread over
 * hosts 2 to 4, each daemon bound to its host's address. Then again with nftables
 * dropping 5% and 20% of the UDP datagrams arriving at every host: the results must be
 * the same. Needs root, iproute2 and nftables; fails (never skips) without them.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type DemoPlacement, type DemoRecord, runAcceptanceDemo } from "../../demo/acceptance.ts";
import { checkAcceptanceDemo } from "../support/demo-checks.ts";
import { NetnsRig, rigUnavailable } from "../support/netns.ts";
import { TEST_DATA_DIR } from "../support/paths.ts";

const MANAGER_PORT = 4000;
/** Each namespace has its own ports, so the ports only need to differ between a host's peers. */
const PEER_BASE_PORT = 5000;

let rig: NetnsRig | undefined;

before(() => {
  const why = rigUnavailable();
  if (why !== undefined) {
    throw new Error(`the four-host test cannot run here: ${why} (.ci/run installs the tools)`);
  }
  rig = NetnsRig.create(4);
});

after(() => {
  if (rig === undefined) return;
  rig.destroy();
  assert.deepEqual(rig.remaining(), [], "every namespace the test made is deleted");
});

function placement(hosts: NetnsRig): DemoPlacement {
  return {
    manager: { host: hosts.address(0), port: MANAGER_PORT, wrap: hosts.wrap(0) },
    peer: (_name, index) => {
      // alpha on host 2, bravo on host 3, charlie on host 4, delta on host 2, ...
      const host = 1 + (index % 3);
      const slot = Math.floor(index / 3);
      return { host: hosts.address(host), port: PEER_BASE_PORT + 2 * slot, wrap: hosts.wrap(host) };
    },
  };
}

/**
 * What the demo showed that does not depend on chance: the records per node after each
 * build and the queries' answers. (The manager picks the ring's members at random, and
 * the walks' paths are random; the traces show retransmissions.)
 */
function results(demo: DemoRecord) {
  const answer = (lines: string[]) =>
    lines.filter((line) => /^[a-z][a-z ]*: |^Storm event \d+ not found/.test(line));
  return {
    counts: [demo.setup.counts, demo.leave.ring.counts, demo.join.ring.counts],
    queries: demo.queries.map(({ eventId, lines }) => ({ eventId, answer: answer(lines) })),
    leaverQuery: answer(demo.leave.query),
    joinQuery: answer(demo.join.query),
    exitCodes: demo.exitCodes,
  };
}

let baseline: ReturnType<typeof results> | undefined;

for (const loss of [0, 5, 20]) {
  test(`the acceptance demo over four hosts with ${loss}% of UDP datagrams dropped`, {
    timeout: 90_000,
  }, async (t) => {
    assert.ok(rig, "the rig was made");
    rig.setLoss(loss);
    if (loss > 0) {
      for (const index of rig.hosts.keys()) {
        assert.match(rig.ruleset(index), new RegExp(`numgen random mod 100 < ${loss} counter`));
      }
    }
    const started = performance.now();
    const demo = await runAcceptanceDemo(TEST_DATA_DIR, {}, placement(rig));
    const elapsed = performance.now() - started;
    const dropped = rig.hosts.map((_, index) => rig?.dropped(index) ?? 0);
    t.diagnostic(
      `${loss}% loss: setup ${demo.setupMs.toFixed(0)} ms, whole demo ${elapsed.toFixed(0)} ms, ` +
        `UDP datagrams dropped per host: ${dropped.join(" ")}`,
    );
    if (loss > 0)
      assert.ok(
        // The peers' hosts get thousands of datagrams; the manager's only a few dozen.
        dropped.slice(1).every((count) => count > 0),
        "every peer host dropped datagrams",
      );
    checkAcceptanceDemo(demo);
    if (baseline === undefined) baseline = results(demo);
    else assert.deepEqual(results(demo), baseline, `the results at ${loss}% loss are as at 0%`);
  });
}
