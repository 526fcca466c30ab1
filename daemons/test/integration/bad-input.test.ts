/**
 * Bad input of every kind, against the real programs on loopback (PROTOCOL.md sections 2,
 * 7): wrong command lines, wrong console commands and arguments, a missing data file,
 * garbage datagrams, manager FAILURE replies, a closed stdin, deregister and signals.
 * One manager serves the whole file; the tests run in order and build on each other.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { after, before, test } from "node:test";
import { ensureFreshBuild } from "../../demo/fresh-build.ts";
import {
  type Daemon,
  freePorts,
  REPO_ROOT,
  startManager,
  startPeer,
} from "../../demo/processes.ts";
import { eventIdsOf, ownerIn } from "../support/independent.ts";
import { TEST_DATA_DIR } from "../support/paths.ts";

const STEP = { timeout: 60_000 };
const eventIds1950 = eventIdsOf(`${TEST_DATA_DIR}details-1950.csv`);

let manager: Daemon;
let managerPort = 0;
const daemons: Daemon[] = [];
/** Peers by name, with the ports they registered. */
const peers = new Map<string, { daemon: Daemon; mport: number; pport: number }>();
/** Member names by node id once the DHT of 1950 is built. */
const ring: string[] = [];

before(async () => {
  ({ manager, port: managerPort } = await startManager());
  daemons.push(manager);
});

after(async () => {
  await Promise.all(daemons.map((daemon) => daemon.stop()));
});

function newPeer(label: string): Daemon {
  const daemon = startPeer(label, managerPort, TEST_DATA_DIR);
  daemons.push(daemon);
  return daemon;
}

/** A manager reply as the console shows it (not a trace line, which starts with "["). */
const REPLY = /^[a-z][\w-]* .*: (SUCCESS|FAILURE)/;

/** Registers `name` on two fresh loopback ports; returns the line the console printed. */
async function registerAs(daemon: Daemon, name: string): Promise<string> {
  const [mport = 0, pport = 0] = await freePorts(2);
  const lines = await daemon.run(`register ${name} 127.0.0.1 ${mport} ${pport}`, /^register /);
  const outcome = lines.at(-1) ?? "";
  if (outcome.endsWith("SUCCESS")) peers.set(name, { daemon, mport, pport });
  return outcome;
}

function peer(name: string): { daemon: Daemon; mport: number; pport: number } {
  const found = peers.get(name);
  assert.ok(found, `${name} is registered`);
  return found;
}

/**
 * Runs `action`, then returns what the manager printed meanwhile, up to its line matching
 * `last`: the manager's trace of its final reply can reach us after the peer's answer.
 */
async function managerLinesDuring(action: () => Promise<unknown>, last: RegExp): Promise<string[]> {
  manager.mark();
  const start = manager.lines.length;
  await action();
  await manager.waitFor(last);
  return manager.lines.slice(start);
}

function runCli(script: "dht-manager" | "dht-peer", args: string[]) {
  ensureFreshBuild();
  const child = spawn(process.execPath, [`bin/${script}.js`, ...args], { cwd: REPO_ROOT });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
}

async function sendGarbage(port: number, datagrams: Buffer[]): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const from = socket.address().port;
  for (const bytes of datagrams) {
    await new Promise<void>((resolve, reject) =>
      socket.send(bytes, port, "127.0.0.1", (error) => (error ? reject(error) : resolve())),
    );
  }
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return from;
}

function garbageFor(name: string, mport: number, pport: number): Buffer[] {
  const envelope = { from: name, sess: 77, id: 1, clock: 0 };
  const register = { type: "register", ...envelope, name, ip: "127.0.0.1", mport, pport };
  return [
    Buffer.from([0x00, 0xff, 0x13, 0x37, 0x80, 0x7b, 0x22]),
    Buffer.from(JSON.stringify({ v: 1, type: "frobnicate", ...envelope })),
    Buffer.from(JSON.stringify({ v: 2, ...register })),
  ];
}

/** Waits for the three drop lines `garbageFor` causes, each naming its reason. */
async function expectDropped(daemon: Daemon, who: string, fromPort: number): Promise<void> {
  const prefix = `\\[${who}\\] dropped a datagram from 127\\.0\\.0\\.1:${fromPort}: `;
  await daemon.waitFor(new RegExp(`${prefix}not JSON`), 5_000);
  await daemon.waitFor(new RegExp(`${prefix}unknown message type "frobnicate"`), 5_000);
  await daemon.waitFor(new RegExp(`${prefix}wrong protocol version 2 \\(expected 1\\)`), 5_000);
}

/** Queries `eventId` from `asker`; returns the answer lines, ending with id-seq. */
async function query(asker: string, eventId: number): Promise<string[]> {
  return peer(asker).daemon.run(
    `query-dht ${asker} ${eventId}`,
    /^id-seq: |gave up|FAILURE|^error/,
    20_000,
  );
}

/** An event of 1950 that the node named `name` stores. */
function eventOwnedBy(name: string): number {
  const nodeId = ring.indexOf(name);
  const eventId = eventIds1950.find((id) => ownerIn(eventIds1950, id, ring.length) === nodeId);
  assert.ok(nodeId >= 0 && eventId !== undefined, `an event owned by ${name}`);
  return eventId;
}

function assertFoundAt(lines: string[], eventId: number, owner: string): void {
  assert.ok(lines.includes(`event id: ${eventId}`), lines.join("\n"));
  assert.equal(lines.at(-1)?.split(" ").at(-1), String(ring.indexOf(owner)), "ends at the owner");
}

test("wrong command lines print usage on stderr and exit 2; --help exits 0", STEP, async () => {
  const wrong: ["dht-manager" | "dht-peer", string[], RegExp][] = [
    ["dht-peer", [], /expected 2 arguments/],
    ["dht-peer", ["127.0.0.1"], /expected 2 arguments/],
    ["dht-peer", ["1.2.3", "5000"], /manager ip "1\.2\.3"/],
    ["dht-peer", ["127.0.0.1", "70000"], /manager port "70000"/],
    ["dht-peer", ["127.0.0.1", "5000", "--max-datagram", "10"], /--max-datagram "10"/],
    ["dht-manager", [], /expected 1 argument/],
    ["dht-manager", ["5000", "6000"], /expected 1 argument/],
    ["dht-manager", ["port"], /port "port"/],
    ["dht-manager", ["5000", "--trace", "loud"], /--trace "loud"/],
    ["dht-manager", ["5000", "--bogus"], /--bogus/],
  ];
  const results = await Promise.all(wrong.map(([script, args]) => runCli(script, args)));
  results.forEach(({ code, stdout, stderr }, index) => {
    const [script, args, error] = wrong[index] ?? [];
    const what = `${script} ${args?.join(" ")}`;
    assert.equal(code, 2, `${what} exits 2`);
    assert.equal(stdout, "", `${what} prints nothing on stdout`);
    assert.match(stderr, new RegExp(`^${script}: `), what);
    assert.match(stderr, error ?? /./, what);
    assert.ok(stderr.includes(`usage: ${script}`), `${what} prints usage: ${stderr}`);
  });
  for (const script of ["dht-manager", "dht-peer"] as const) {
    const help = await runCli(script, ["--help"]);
    assert.equal(help.code, 0);
    assert.ok(help.stdout.startsWith(`usage: ${script}`), help.stdout);
    assert.equal(help.stderr, "");
  }
});

test("an unknown console command is named, and the peer keeps working", STEP, async () => {
  const alpha = newPeer("alpha");
  const lines = await alpha.run("frobnicate now", /^error: /);
  assert.deepEqual(lines, ['error: unknown command "frobnicate" (type help for the list)']);
  assert.equal(
    await registerAs(alpha, "alpha"),
    `register alpha 127.0.0.1 ${peer("alpha").mport} ${peer("alpha").pport}: SUCCESS`,
  );
});

test("names of Object.prototype members are unknown commands too", STEP, async () => {
  const stranger = newPeer("stranger");
  for (const verb of ["toString", "constructor"]) {
    const lines = await stranger.run(`${verb} alpha`, /^error: /);
    assert.deepEqual(lines, [`error: unknown command "${verb}" (type help for the list)`]);
  }
  await stranger.stop();
});

test("a wrong argument is explained on the console and sends no request", STEP, async () => {
  const alpha = peer("alpha").daemon;
  const seen = await managerLinesDuring(async () => {
    const error = await alpha.run("setup-dht alpha x 1996", /^error: /);
    assert.deepEqual(error, [
      'error: n "x" is not a whole number (usage: setup-dht <name> <n> <YYYY> [replicas=<k>] [consistency=chain|eventual])',
    ]);
    // A request sent after the wrong line: the manager sees it, and nothing before it.
    await alpha.run("query-dht alpha", REPLY);
  }, /-> alpha {2}(SUCCESS|FAILURE)/);
  assert.deepEqual(
    seen.filter((line) => line.includes("<- alpha")),
    ["[manager] <- alpha  query-dht alpha"],
  );

  const bravo = newPeer("bravo");
  const bravoSeen = await managerLinesDuring(async () => {
    const error = await bravo.run("register bob 1.2.3 5 6", /^error: /);
    assert.match(error.at(-1) ?? "", /^error: "1\.2\.3" is not an IPv4 address \(usage: register/);
    assert.match(await registerAs(bravo, "bravo"), /: SUCCESS$/);
  }, /-> bravo {2}SUCCESS/);
  assert.equal(bravoSeen.filter((line) => line.includes("bob")).length, 0, bravoSeen.join("\n"));
});

test("manager FAILURE replies reach the console with their reason", STEP, async () => {
  const outsider = newPeer("outsider");
  const duplicate = await registerAs(outsider, "alpha");
  assert.match(
    duplicate,
    /^register alpha 127\.0\.0\.1 \d+ \d+: FAILURE DUPLICATE_NAME: .*alpha.*already registered/,
  );
  const noDht = await peer("bravo").daemon.run("query-dht bravo", REPLY);
  assert.match(noDht.at(-1) ?? "", /^query-dht bravo: FAILURE NO_DHT: /);
  const tooSmall = await peer("bravo").daemon.run("setup-dht bravo 2 1950", REPLY);
  assert.match(tooSmall.at(-1) ?? "", /^setup-dht bravo 2 1950: FAILURE N_TOO_SMALL: /);
  // The refused register left this process free to register under another name.
  assert.match(await registerAs(outsider, "outsider"), /: SUCCESS$/);
});

test(
  "garbage datagrams to the manager are logged and dropped; state is unchanged",
  STEP,
  async () => {
    const [mport = 0, pport = 0] = await freePorts(2);
    // The version-2 register names charlie: had it been acted on, charlie's register would fail.
    const from = await sendGarbage(managerPort, garbageFor("charlie", mport, pport));
    await expectDropped(manager, "manager", from);

    const charlie = newPeer("charlie");
    const lines = await charlie.run(`register charlie 127.0.0.1 ${mport} ${pport}`, /^register /);
    assert.equal(lines.at(-1), `register charlie 127.0.0.1 ${mport} ${pport}: SUCCESS`);
    peers.set("charlie", { daemon: charlie, mport, pport });
    const copycat = newPeer("copycat");
    assert.match(await registerAs(copycat, "charlie"), /: FAILURE DUPLICATE_NAME: /);
    assert.match(await registerAs(copycat, "alpha"), /: FAILURE DUPLICATE_NAME: /);
  },
);

test("a missing data file is refused locally, naming it; no DHT is created", STEP, async () => {
  const alpha = peer("alpha").daemon;
  // Free peers now: alpha, bravo, outsider, charlie.
  const refusedSeen = await managerLinesDuring(async () => {
    const refused = await alpha.run("setup-dht alpha 3 1997", /refused|: (SUCCESS|FAILURE)/);
    assert.match(refused.at(-1) ?? "", /^setup-dht refused: .*details-1997\.csv/);
    await alpha.run("query-dht alpha", REPLY);
  }, /-> alpha {2}FAILURE NO_DHT/);
  assert.ok(!refusedSeen.some((line) => line.includes("setup-dht")), refusedSeen.join("\n"));
  assert.ok(refusedSeen.some((line) => /-> alpha {2}FAILURE NO_DHT/.test(line)));

  const setup = await alpha.run("setup-dht alpha 3 1950", /^dht-complete alpha: |FAILURE|refused/);
  assert.equal(setup.at(-1), "dht-complete alpha: SUCCESS", setup.join("\n"));
  assert.ok(setup.includes(`total: ${eventIds1950.length} records on 3 nodes`), setup.join("\n"));
  for (const line of setup) {
    const match = /^node (\d+) \((\w+)\): \d+ records$/.exec(line);
    if (match) ring[Number(match[1])] = match[2] as string;
  }
  assert.equal(ring.length, 3);
  assert.equal(ring[0], "alpha");
  // A peer outside the ring, to ask the queries.
  assert.match(await registerAs(newPeer("delta"), "delta"), /: SUCCESS$/);
});

test("garbage datagrams to a member's p-port are logged; it keeps answering", STEP, async () => {
  const member = ring[1] ?? "";
  const { daemon, mport, pport } = peer(member);
  const from = await sendGarbage(pport, garbageFor("alpha", mport, pport));
  await expectDropped(daemon, member, from);
  const eventId = eventOwnedBy(member);
  assertFoundAt(await query("delta", eventId), eventId, member);
});

test("a member whose stdin ends keeps running and answering queries", STEP, async () => {
  const member = ring[2] ?? "";
  const { daemon } = peer(member);
  daemon.child.stdin.end();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.equal(daemon.child.exitCode, null, `${member} is still running`);
  assert.equal(daemon.child.signalCode, null);
  const eventId = eventOwnedBy(member);
  assertFoundAt(await query("delta", eventId), eventId, member);
});

test("deregister of a member fails with IN_DHT; a free peer exits 0 after it", STEP, async () => {
  const member = ring[1] ?? "";
  const refused = await peer(member).daemon.run(`deregister ${member}`, REPLY);
  assert.match(refused.at(-1) ?? "", new RegExp(`^deregister ${member}: FAILURE IN_DHT: `));

  const delta = peer("delta").daemon;
  const lines = await delta.run("deregister delta", /^deregister delta: /);
  assert.equal(lines.at(-1), "deregister delta: SUCCESS");
  const code = await Promise.race([
    delta.exited,
    new Promise<string>((resolve) => setTimeout(() => resolve("still running"), 5_000)),
  ]);
  assert.equal(code, 0);
});

test("SIGTERM stops a peer and the manager promptly", STEP, async () => {
  for (const daemon of [peer(ring[2] ?? "").daemon, peer("alpha").daemon, manager]) {
    const started = Date.now();
    daemon.child.kill("SIGTERM");
    const code = await Promise.race([
      daemon.exited,
      new Promise<string>((resolve) => setTimeout(() => resolve("still running"), 5_000)),
    ]);
    assert.equal(code, 0, `${daemon.label} exits 0 on SIGTERM`);
    assert.ok(Date.now() - started < 3_000, `${daemon.label} took ${Date.now() - started} ms`);
  }
});
