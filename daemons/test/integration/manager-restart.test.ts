/**
 * A manager killed with `kill -9` and started again on the same port with the same state
 * file: it recovers every registration and the DHT, a request retransmitted across the
 * restart gets the reply it already had (it is not run twice), and the demo goes on:
 * queries, a refused duplicate name, leave, join and teardown; and one killed in each phase
 * (setup, leave, join, teardown, repair) takes up the wait and the command completes.
 */
import assert from "node:assert/strict";
import { createSocket, type Socket } from "node:dgram";
import { after, before, test } from "node:test";
import { ringReport } from "../../demo/acceptance.ts";
import {
  type Daemon,
  freePort,
  freshStateFile,
  register,
  startManager,
  startPeer,
} from "../../demo/processes.ts";
import { countsFor, eventIdsOf } from "../support/independent.ts";
import { TEST_DATA_DIR } from "../support/paths.ts";
import { askWhenReady } from "../support/queries.ts";

const STEP = { timeout: 90_000 };
const NAMES = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
const stateFile = freshStateFile();
let manager: Daemon;
let managerPort = 0;
const peers = new Map<string, Daemon>();
let ring: string[] = [];
let asker = "";
let raw: Socket;

async function startManagerAgain(): Promise<void> {
  ({ manager } = await startManager(
    { args: ["--state-file", stateFile] },
    { host: "127.0.0.1", port: managerPort },
  ));
}

before(async () => {
  managerPort = await freePort();
  await startManagerAgain();
  for (const name of NAMES) {
    const daemon = startPeer(name, managerPort, TEST_DATA_DIR);
    peers.set(name, daemon);
    await register(daemon, name);
  }
  const setup = await peer("alpha").run("setup-dht alpha 5 1996", /^dht-complete alpha: /, 30_000);
  ring = setup.flatMap((line) => /^node \d+ \((\w+)\): \d+ records$/.exec(line)?.[1] ?? []);
  asker = NAMES.find((name) => !ring.includes(name)) ?? "";
  raw = createSocket("udp4");
  await new Promise<void>((resolve) => raw.bind(0, "127.0.0.1", resolve));
});

after(async () => {
  raw?.close();
  await Promise.all([manager, ...peers.values()].map((daemon) => daemon.stop()));
});

function peer(name: string): Daemon {
  const daemon = peers.get(name);
  assert.ok(daemon, name);
  return daemon;
}

/** The restarted manager said what it found in its state file (before it listened). */
function assertRecovered(pattern: RegExp): void {
  const line = manager.lines.find((each) => each.startsWith("[manager] state from "));
  assert.match(line ?? "(no state line)", pattern);
}

async function killManager(): Promise<void> {
  manager.child.kill("SIGKILL");
  await manager.exited;
}

/** One request from the raw socket, with a fixed sess and id, and the manager's reply. */
function ask(body: object, id: number): Promise<{ status: string; reason?: string; re: number }> {
  const request = { v: 1, from: "zulu", sess: 4242, id, clock: 1, ...body };
  return new Promise((resolve) => {
    raw.once("message", (bytes) => resolve(JSON.parse(bytes.toString())));
    raw.send(Buffer.from(JSON.stringify(request)), managerPort, "127.0.0.1");
  });
}

test("after kill -9 and a restart the registry and the DHT are as they were", STEP, async () => {
  await killManager();
  await startManagerAgain();
  assertRecovered(/: 6 registered, a DHT of 5 led by alpha \(1996\)$/);
  const found = await peer(asker).run(`query-dht ${asker} 5536849`, /^id-seq: |FAILURE/);
  assert.ok(found.includes("state: ALABAMA"), found.join("\n"));
  const impostor = startPeer("impostor", managerPort, TEST_DATA_DIR);
  peers.set("impostor", impostor);
  const refused = await impostor.run(
    `register alpha 127.0.0.1 ${await freePort()} ${await freePort()}`,
    /^register .*: (SUCCESS|FAILURE)/,
  );
  assert.match(refused.at(-1) ?? "", /FAILURE DUPLICATE_NAME/);
});

test(
  "a request retransmitted across the restart gets its first reply, not a second run",
  STEP,
  async () => {
    const { port } = raw.address();
    const body = {
      type: "register",
      name: "zulu",
      ip: "127.0.0.1",
      mport: port,
      pport: await freePort(),
    };
    const first = await ask(body, 1);
    assert.equal(first.status, "SUCCESS");
    await killManager();
    await startManagerAgain();
    const again = await ask(body, 1);
    assert.deepEqual({ status: again.status, re: again.re }, { status: "SUCCESS", re: 1 });
    // A new request (a new id) is run, and now finds the name taken.
    const another = await ask(body, 2);
    assert.deepEqual(
      { status: another.status, reason: another.reason },
      { status: "FAILURE", reason: "DUPLICATE_NAME" },
    );
  },
);

test("the demo goes on after the restart: leave, join and teardown", STEP, async () => {
  const leaver = ring[1] ?? "";
  const left = await peer(leaver).run(
    `leave-dht ${leaver}`,
    /^dht-rebuilt .*: (SUCCESS|FAILURE)|FAILURE/,
    30_000,
  );
  assert.match(left.at(-1) ?? "", /SUCCESS/, left.join("\n"));
  await killManager();
  await startManagerAgain();
  assertRecovered(new RegExp(`: 7 registered, a DHT of 4 led by ${ring[2]} \\(1996\\)$`));
  const joined = await peer(leaver).run(
    `join-dht ${leaver}`,
    /^dht-rebuilt .*: (SUCCESS|FAILURE)|FAILURE/,
    30_000,
  );
  assert.match(joined.at(-1) ?? "", /SUCCESS/, joined.join("\n"));
  const leader = ring[2] ?? "";
  const down = await peer(leader).run(
    `teardown-dht ${leader}`,
    /^teardown-complete .*: (SUCCESS|FAILURE)|FAILURE/,
    30_000,
  );
  assert.match(down.at(-1) ?? "", /SUCCESS/, down.join("\n"));
});

/** `trigger` for a churn or teardown: the manager's SUCCESS reached `name`. */
const answered = (name: string) => new RegExp(`^\\[${name}\\] <- manager {2}SUCCESS`);

/**
 * Kills the manager once `trigger` shows on `peer`'s console, starts it again, checks it
 * recovered the wait under way, and returns what the command printed up to its end.
 */
async function restartWhen(
  daemon: Daemon,
  command: string,
  trigger: RegExp,
  waiting: string,
  until: RegExp,
): Promise<string[]> {
  const from = daemon.lines.length;
  daemon.mark();
  daemon.send(command);
  await daemon.waitFor(trigger);
  await killManager();
  await startManagerAgain();
  assertRecovered(new RegExp(`, waiting for ${waiting}$`));
  const last = await daemon.waitFor(until, 60_000);
  return daemon.lines.slice(from, daemon.lines.indexOf(last, from) + 1);
}

test("a manager killed while setup-dht stores the records: the setup completes", STEP, async () => {
  // zulu, the raw socket's registration, would never answer a set-id.
  const gone = await ask({ type: "deregister", name: "zulu" }, 3);
  assert.equal(gone.status, "SUCCESS");
  const printed = await restartWhen(
    peer("alpha"),
    "setup-dht alpha 5 1996",
    /^storing \d+ records/,
    "alpha \\(setup\\)",
    /^dht-complete alpha: |^setup-dht.*: FAILURE/,
  );
  assert.equal(printed.at(-1), "dht-complete alpha: SUCCESS");
  const report = ringReport(printed);
  assert.deepEqual(report.counts, countsFor(eventIdsOf(`${TEST_DATA_DIR}details-1996.csv`), 5));
  ring = report.names;
  asker = NAMES.find((name) => !ring.includes(name)) ?? "";
  const found = await peer(asker).run(`query-dht ${asker} 5539287`, /^id-seq: |FAILURE/);
  assert.ok(found.includes("cz name: NORTHERN GREENLEE"), found.join("\n"));
});

test("a manager killed while a leave rebuilds the ring: the leave completes", STEP, async () => {
  const leaver = ring[2] ?? "";
  const newLeader = ring[3] ?? "";
  const printed = await restartWhen(
    peer(leaver),
    `leave-dht ${leaver}`,
    answered(leaver),
    `${leaver} \\(leave\\)`,
    /^dht-rebuilt \w+ \w+: (SUCCESS|FAILURE)|^leave-dht \w+: FAILURE/,
  );
  assert.equal(printed.at(-1), `dht-rebuilt ${leaver} ${newLeader}: SUCCESS`);
  const found = await peer(leaver).run(`query-dht ${leaver} 5536849`, /^id-seq: |FAILURE/);
  assert.ok(found.includes("state: ALABAMA"), found.join("\n"));
  ring = [...ring.slice(3), ...ring.slice(0, 2)];
  asker = leaver;
});

test("a manager killed while a join rebuilds the ring: the join completes", STEP, async () => {
  const printed = await restartWhen(
    peer(asker),
    `join-dht ${asker}`,
    answered(asker),
    `${asker} \\(join\\)`,
    /^dht-rebuilt \w+ \w+: (SUCCESS|FAILURE)|^join-dht \w+: FAILURE/,
  );
  assert.equal(printed.at(-1), `dht-rebuilt ${asker} ${ring[0]}: SUCCESS`);
  ring.push(asker);
});

test("a manager killed while the DHT is torn down: the teardown completes", STEP, async () => {
  const leader = ring[0] ?? "";
  const printed = await restartWhen(
    peer(leader),
    `teardown-dht ${leader}`,
    answered(leader),
    `${leader} \\(teardown\\)`,
    /^teardown-complete \w+: (SUCCESS|FAILURE)|^teardown-dht \w+: FAILURE/,
  );
  assert.equal(printed.at(-1), `teardown-complete ${leader}: SUCCESS`);
  const refused = await peer(leader).run(`query-dht ${leader} 5536849`, /: FAILURE/);
  assert.match(refused.at(-1) ?? "", /FAILURE NO_DHT/);
});

test(
  "a manager killed while a dead member is repaired out: the repair completes",
  STEP,
  async () => {
    const setup = await peer(asker).run(`setup-dht ${asker} 5 1996`, /^dht-complete \w+: /, 30_000);
    ring = ringReport(setup).names;
    const [, reporter = "", dead = "", newLeader = ""] = ring;
    peer(reporter).mark();
    peer(newLeader).mark();
    peer(dead).child.kill("SIGKILL");
    await peer(reporter).waitFor(new RegExp(`^repairing the ring without ${dead}$`), 15_000);
    await killManager();
    await startManagerAgain();
    assertRecovered(new RegExp(`, waiting for ${reporter} \\(repair\\)$`));
    await peer(newLeader).waitFor(new RegExp(`^dht-repaired ${dead} ${newLeader}$`), 30_000);
    const total = await peer(newLeader).waitFor(/^total: \d+ records on \d+ nodes$/, 10_000);
    assert.equal(total, "total: 48534 records on 4 nodes");
    const outsider = NAMES.find((name) => !ring.includes(name)) ?? "";
    const found = await askWhenReady(peer(outsider), outsider, 5536849);
    assert.ok(found.includes("state: ALABAMA"), found.join("\n"));
  },
);
