/**
 * No wait is forever: a manager started with --wait-timeout 2s, and a "peer" that is a
 * raw socket of this test: it registers, asks to join, and then says nothing more. The
 * manager gives up after 2 s, says why, undoes the join, and the DHT answers again.
 */
import assert from "node:assert/strict";
import { createSocket, type Socket } from "node:dgram";
import { after, before, test } from "node:test";
import { type Daemon, freePort, register, startManager, startPeer } from "../../demo/processes.ts";
import { TEST_DATA_DIR } from "../support/paths.ts";

const STEP = { timeout: 60_000 };
let manager: Daemon;
let managerPort = 0;
const peers = new Map<string, Daemon>();
let silent: Socket;

before(async () => {
  ({ manager, port: managerPort } = await startManager({ args: ["--wait-timeout", "2s"] }));
  for (const name of ["alpha", "bravo", "charlie", "delta"]) {
    const daemon = startPeer(name, managerPort, TEST_DATA_DIR);
    peers.set(name, daemon);
    await register(daemon, name);
  }
  const setup = await peer("alpha").run("setup-dht alpha 3 1950", /^dht-complete alpha: /, 20_000);
  assert.equal(setup.at(-1), "dht-complete alpha: SUCCESS");
  silent = createSocket("udp4");
  await new Promise<void>((resolve) => silent.bind(0, "127.0.0.1", resolve));
});

after(async () => {
  silent?.close();
  await Promise.all([manager, ...peers.values()].map((daemon) => daemon.stop()));
});

function peer(name: string): Daemon {
  const daemon = peers.get(name);
  assert.ok(daemon, name);
  return daemon;
}

/** Sends one request from the silent socket and waits for the manager's reply. */
function ask(body: object, id: number): Promise<{ status: string; text?: string }> {
  const request = { v: 1, from: "mallory", sess: 77, id, clock: 1, ...body };
  return new Promise((resolve) => {
    silent.once("message", (bytes) => resolve(JSON.parse(bytes.toString())));
    silent.send(Buffer.from(JSON.stringify(request)), managerPort, "127.0.0.1");
  });
}

test("a joiner that goes silent does not freeze the manager: its wait runs out", STEP, async () => {
  const { port } = silent.address();
  const registered = await ask(
    { type: "register", name: "mallory", ip: "127.0.0.1", mport: port, pport: await freePort() },
    1,
  );
  assert.equal(registered.status, "SUCCESS", registered.text);
  manager.mark();
  const joined = await ask({ type: "join-dht", name: "mallory" }, 2);
  assert.equal(joined.status, "SUCCESS", joined.text);
  const free = [...peers.keys()].find((name) => !["alpha"].includes(name)) ?? "";
  // While the manager waits, everything else is told it is busy.
  const busy = await peer(free).run(
    `query-dht ${free} 10096222`,
    /^query-dht .*: (SUCCESS|FAILURE)/,
  );
  assert.match(busy.at(-1) ?? "", /FAILURE BUSY: busy: waiting for dht-rebuilt from mallory/);
  const started = performance.now();
  const gaveUp = await manager.waitFor(/gave up waiting: /, 10_000);
  assert.equal(
    gaveUp,
    "[manager] gave up waiting: no dht-rebuilt from mallory within 2 s; the join is undone and the DHT is ready with its 3 members",
  );
  assert.ok(performance.now() - started < 3_000);
  // The DHT answers again; the late completion is refused.
  const members = ["alpha", "bravo", "charlie", "delta"];
  const outsider = await findOutsider(members);
  const answer = await peer(outsider).run(`query-dht ${outsider} 10096222`, /^id-seq: |FAILURE/);
  assert.match(answer.at(-1) ?? "", /^id-seq: /, answer.join("\n"));
  const late = await ask({ type: "dht-rebuilt", name: "mallory", leader: "alpha" }, 3);
  assert.equal(late.status, "FAILURE");
});

/** The registered peer that the setup left outside the ring. */
async function findOutsider(names: string[]): Promise<string> {
  for (const name of names) {
    const status = await peer(name).run("status", /^ {2}(not in a DHT|node \d+)/);
    if (status.some((line) => line === "  not in a DHT")) return name;
  }
  throw new Error("every peer is in the DHT");
}
