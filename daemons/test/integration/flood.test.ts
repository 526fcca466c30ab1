/**
 * A flood of 10,000 datagrams a second from one address (forged answers, refused manager
 * requests, garbage) at the manager and at a member's two ports, while the demo's queries
 * run against the live DHT of 1996: the queries answer correctly, the rings and tables
 * do not change, and no daemon's resident memory grows by 20 MB or more.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { median, rssOf } from "../support/memory.ts";
import { type LiveDht, startLiveDht } from "./live-dht.ts";

const PER_SECOND = 10_000;
const TICK_MS = 10;
const RSS_GROWTH_LIMIT = 20 * 1024 * 1024;
let dht: LiveDht;

before(async () => {
  // Quiet: at messages level the manager writes two lines per refused request, and what
  // the test's pipe has not read yet would count as the manager's memory. A small young
  // generation: under a flood V8 grows it to 32 MB by default, which is no leak but would
  // hide one.
  dht = await startLiveDht({
    managerArgs: ["--trace", "quiet"],
    nodeArgs: ["--max-semi-space-size=1"],
  });
});

after(() => dht?.stop());

test(`${PER_SECOND} datagrams/s from one address neither stop the demo nor grow memory`, {
  timeout: 120_000,
}, async (t) => {
  const target = dht.members[1] ?? "";
  const ports = [dht.managerPort, dht.tuple(target).mport, dht.tuple(target).port];
  let sess = 7;
  const datagrams = (index: number): Buffer => {
    sess += 1;
    const envelope = { v: 1, sess, id: index + 1, clock: 1 };
    switch (index % 4) {
      case 0:
        return Buffer.from(
          JSON.stringify({ ...envelope, type: "deregister", from: target, name: target }),
        );
      case 1:
        return Buffer.from(
          JSON.stringify({
            ...envelope,
            type: "find-result",
            from: "alpha",
            seq: 0,
            queryId: 1,
            nonce: "0123456789abcdef",
            eventId: 5536849,
            idSeq: [0],
          }),
        );
      case 2:
        return Buffer.from(
          JSON.stringify({
            ...envelope,
            type: "store",
            from: "alpha",
            seq: 3,
            tableSize: 2,
            records: [],
          }),
        );
      default:
        return Buffer.from(`garbage ${index}`);
    }
  };
  const views = await dht.memberViews();
  const samples = new Map<string, number[]>(dht.daemons().map((daemon) => [daemon.label, []]));
  let sent = 0;
  const startedAt = performance.now();
  const flood = setInterval(() => {
    for (let burst = 0; burst < (PER_SECOND * TICK_MS) / 1000; burst += 1) {
      void dht.sendRaw({ port: ports[sent % ports.length] ?? dht.managerPort }, datagrams(sent));
      sent += 1;
    }
  }, TICK_MS);
  const sampler = setInterval(() => {
    for (const daemon of dht.daemons()) samples.get(daemon.label)?.push(rssOf(daemon));
  }, 250);
  try {
    // The demo's queries, three times over, while the flood runs.
    for (let round = 0; round < 3; round += 1) await dht.checkQueriesAndCounts();
    // Then on, to ten seconds of flood in all.
    const left = 10_000 - (performance.now() - startedAt);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, left)));
  } finally {
    clearInterval(flood);
    clearInterval(sampler);
  }
  const seconds = (performance.now() - startedAt) / 1000;
  t.diagnostic(
    `flood: ${sent} datagrams in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s)`,
  );
  assert.ok(sent / seconds > PER_SECOND * 0.7, "the flood ran at about its rate");
  for (const daemon of dht.daemons())
    assert.equal(daemon.child.exitCode, null, `${daemon.label} lives`);
  assert.deepEqual(await dht.memberViews(), views, "no member's ring or table changed");
  for (const daemon of dht.daemons()) {
    const series = samples.get(daemon.label) ?? [];
    const quarter = Math.max(1, Math.floor(series.length / 4));
    // From the second quarter (the caches filled, the code warm) to the last: unbounded
    // growth would show there.
    const growth = median(series.slice(-quarter)) - median(series.slice(quarter, 2 * quarter));
    t.diagnostic(`${daemon.label}: RSS grew ${(growth / 1024 / 1024).toFixed(1)} MB`);
    assert.ok(growth < RSS_GROWTH_LIMIT, `${daemon.label} grew ${growth} bytes`);
  }
});
