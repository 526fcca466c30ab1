/**
 * Fuzzing a live DHT of 1996 with fast-check: 100,000 schema-valid and mutated datagrams
 * (see support/arbitrary-datagrams.ts) from an outsider's socket, to the manager and to
 * one member's m-port and p-port. No daemon dies, the registry and every member's ring
 * and table are as they were, the demo's four queries answer correctly, and no daemon's
 * resident memory grows by 20 MB or more. STORMRING_FUZZ_COUNT and STORMRING_FUZZ_SEED
 * change the run; a failure prints the seed.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { mutatedBytes, type Plausible } from "../support/arbitrary-datagrams.ts";
import { median, rssOf } from "../support/memory.ts";
import { ControlClient, controlUrl } from "./control-client.ts";
import { type LiveDht, startLiveDht } from "./live-dht.ts";

const COUNT = Number(process.env.STORMRING_FUZZ_COUNT ?? 100_000);
const SEED = Number(process.env.STORMRING_FUZZ_SEED ?? Date.now() % 2 ** 31);
/** Datagrams generated and sent per batch; a pause between lets the receivers keep up. */
const BATCH = 500;
const RSS_GROWTH_LIMIT = 20 * 1024 * 1024;
/** RSS is sampled every few batches; the garbage collector's sawtooth is smoothed by medians. */
const SAMPLE_EVERY = 5;
let dht: LiveDht;
let managerControl = "";

before(async () => {
  // A small young generation, as in the flood test: under a barrage V8 grows it by tens of
  // MB, which is no leak (with --max-old-space-size=40 the manager takes 300,000 of these
  // datagrams) but would hide one.
  dht = await startLiveDht({
    managerArgs: ["--control-port", "0"],
    nodeArgs: ["--max-semi-space-size=1"],
  });
  managerControl = await controlUrl(dht.manager);
});

after(() => dht?.stop());

async function registry(): Promise<unknown> {
  const client = await ControlClient.connect(managerControl);
  const frame = await client.waitFor((each) => each.type === "snapshot");
  client.close();
  return frame.type === "snapshot" ? frame.state : null;
}

test(`${COUNT} random and mutated datagrams change nothing and end no daemon (seed ${SEED})`, {
  timeout: 600_000,
}, async (t) => {
  t.diagnostic(`seed ${SEED}: replay with STORMRING_FUZZ_SEED=${SEED}`);
  const target = dht.members[1] ?? "";
  const ports = [dht.managerPort, dht.tuple(target).mport, dht.tuple(target).port];
  const plausible: Plausible = {
    names: [...dht.members, dht.asker, "manager"],
    ports: [...dht.members, dht.asker].flatMap((name) => [
      dht.tuple(name).port,
      dht.tuple(name).mport,
    ]),
    tableSizes: [97_073, 2, 3],
    eventIds: [5_536_849, 2_402_920, 5_539_287],
    years: ["1996", "1950"],
  };
  const registryBefore = await registry();
  const viewsBefore = await dht.memberViews();
  const rssSamples = new Map<string, number[]>(dht.daemons().map((daemon) => [daemon.label, []]));
  const mutations = new Map<string, number>();
  const sent: Buffer[] = [];
  for (let batch = 0; batch * BATCH < COUNT; batch += 1) {
    if (batch % SAMPLE_EVERY === 0) {
      for (const daemon of dht.daemons()) rssSamples.get(daemon.label)?.push(rssOf(daemon));
    }
    const samples = fc.sample(mutatedBytes(plausible), { numRuns: BATCH, seed: SEED + batch });
    await Promise.all(
      samples.map(({ mutation, bytes }, index) => {
        mutations.set(mutation, (mutations.get(mutation) ?? 0) + 1);
        const datagram =
          bytes === "replay"
            ? (sent[index % Math.max(1, sent.length)] ?? Buffer.from("{}"))
            : bytes;
        if (bytes !== "replay" && sent.length < 200) sent.push(datagram);
        return dht.sendRaw({ port: ports[index % ports.length] ?? dht.managerPort }, datagram);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  t.diagnostic(`mutations: ${JSON.stringify(Object.fromEntries(mutations))}`);
  for (const daemon of dht.daemons())
    assert.equal(daemon.child.exitCode, null, `${daemon.label} lives`);
  assert.deepEqual(await registry(), registryBefore, "the registry and the DHT are as they were");
  assert.deepEqual(await dht.memberViews(), viewsBefore, "no member's ring or table changed");
  await dht.checkQueriesAndCounts();
  for (const daemon of dht.daemons()) {
    // From the second tenth of the run (warmed up: code compiled, caches and logs in their
    // stride) to its last tenth.
    const samples = rssSamples.get(daemon.label) ?? [];
    const tenth = Math.max(1, Math.floor(samples.length / 10));
    const growth = median(samples.slice(-tenth)) - median(samples.slice(tenth, 2 * tenth));
    t.diagnostic(`${daemon.label}: RSS grew ${(growth / 1024 / 1024).toFixed(1)} MB`);
    assert.ok(growth < RSS_GROWTH_LIMIT, `${daemon.label} grew ${growth} bytes`);
  }
});
