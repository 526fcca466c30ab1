/**
 * With a shared secret (`--secret` or STORMRING_SECRET) every datagram is signed: a
 * DHT of daemons that share it runs the demo as usual, while an unsigned datagram from
 * an outsider (a deregister in a member's name) and a peer with another secret are
 * dropped with a line saying why, and change nothing.
 */
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { after, before, test } from "node:test";
import { type Daemon, freePort, register, startManager, startPeer } from "../../demo/processes.ts";
import { TEST_DATA_DIR } from "../support/paths.ts";

const STEP = { timeout: 60_000 };
const SECRET = { env: { ...process.env, STORMRING_SECRET: "lecture-hall-7" } };
const NAMES = ["alpha", "bravo", "charlie", "delta"];
let manager: Daemon;
let managerPort = 0;
const peers = new Map<string, Daemon>();
/** The peer left out of the ring of 3: only a free peer may query. */
let asker = "";

function peer(name: string): Daemon {
  const daemon = peers.get(name);
  assert.ok(daemon, name);
  return daemon;
}

before(async () => {
  // The manager takes the flag, the peers the environment variable: both ways work.
  ({ manager, port: managerPort } = await startManager({ args: ["--secret", "lecture-hall-7"] }));
  for (const name of NAMES) {
    peers.set(name, startPeer(name, managerPort, TEST_DATA_DIR, SECRET));
    await register(peer(name), name);
  }
});

after(async () => {
  await Promise.all([manager, ...peers.values()].map((daemon) => daemon?.stop()));
});

test("daemons that share the secret build a DHT and answer a query", STEP, async () => {
  const setup = await peer("alpha").run("setup-dht alpha 3 1950", /^dht-complete alpha: /, 30_000);
  assert.equal(setup.at(-1), "dht-complete alpha: SUCCESS", setup.join("\n"));
  assert.ok(setup.includes("total: 223 records on 3 nodes"), setup.join("\n"));
  asker = NAMES.find((name) => !setup.some((line) => line.includes(`(${name}): `))) ?? "";
});

test("an unsigned deregister in a member's name is dropped", STEP, async () => {
  const outsider = createSocket("udp4");
  const forged = {
    v: 1,
    type: "deregister",
    from: "bravo",
    sess: 9,
    id: 1,
    clock: 1,
    name: "bravo",
  };
  await new Promise<void>((resolve) =>
    outsider.send(JSON.stringify(forged), managerPort, "127.0.0.1", () => resolve()),
  );
  outsider.close();
  await manager.waitFor(/dropped a datagram from 127\.0\.0\.1:\d+: no HMAC tag/);
  const lines = await peer(asker).run(`query-dht ${asker} 10096222`, /^id-seq: /);
  assert.ok(lines.includes("event id: 10096222"), lines.join("\n"));
});

test("a peer with another secret cannot register", STEP, async () => {
  const stranger = startPeer("stranger", managerPort, TEST_DATA_DIR, {
    env: { ...process.env, STORMRING_SECRET: "guessed" },
  });
  peers.set("stranger", stranger);
  const mport = await freePort();
  const pport = await freePort();
  stranger.send(`register stranger 127.0.0.1 ${mport} ${pport}`);
  await manager.waitFor(/dropped a datagram from 127\.0\.0\.1:\d+: wrong HMAC tag/);
  // Its retries go unanswered too (the manager's replies fail the stranger's check).
  const outcome = await stranger.waitFor(/^register .*: /, 40_000);
  assert.match(outcome, /no answer from the manager/);
});
