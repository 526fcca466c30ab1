/**
 * The acceptance demo (PROTOCOL.md section 9) driven entirely through the HTTP API, on
 * real daemons: a manager and six peers started by the supervisor, setup of 1996 on five,
 * the four queries from the sixth peer, a leave, a join, teardown, and every peer
 * deregistering. The tests build on each other.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { freeUdpPort } from "../../daemons/src/transport/free-ports.ts";
import { type Launched, launch } from "../src/launch.ts";
import { TEST_DATA_DIR } from "./support/processes.ts";

const NAMES = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
const STEP = { timeout: 120_000 };

let server: Launched;
/** Daemon id by peer name (alpha is peer-1, ...). */
const ids = new Map(NAMES.map((name, index) => [name, `peer-${index + 1}`]));
let ring: string[] = [];
let outsider = "";
let leaver = "";
let newLeader = "";

interface DaemonState {
  id: string;
  kind: string;
  pid: number | null;
  alive: boolean;
  connected: boolean;
  exitCode: number | null;
  name?: string;
  state?: string;
}

before(async () => {
  server = await launch({
    port: 0,
    host: "127.0.0.1",
    peers: 6,
    dataDir: TEST_DATA_DIR,
    remote: [],
  });
});

after(() => server?.close());

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function run(name: string, line: string): Promise<string[]> {
  const { status, body } = await api("POST", `/api/daemons/${ids.get(name)}/command`, { line });
  assert.equal(status, 200, JSON.stringify(body));
  const lines = body.lines as string[];
  assert.equal(body.ok, true, `${line}:\n${lines.join("\n")}`);
  return lines;
}

async function daemons(): Promise<DaemonState[]> {
  const { status, body } = await api("GET", "/api/state");
  assert.equal(status, 200);
  return body.daemons as DaemonState[];
}

/** The API's state settles a moment after a command (snapshots are coalesced). */
async function eventually(check: (states: DaemonState[]) => void, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await daemons();
    try {
      return check(states);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function stateOf(states: DaemonState[], name: string): string | undefined {
  return states.find((daemon) => daemon.name === name)?.state;
}

function field(lines: string[], label: string): string | undefined {
  return lines.find((line) => line.startsWith(`${label}: `))?.slice(label.length + 2);
}

function ringOf(lines: string[]): string[] {
  const names: string[] = [];
  for (const line of lines) {
    const match = /^node (\d+) \((\w+)\): \d+ records$/.exec(line);
    if (match) names[Number(match[1])] = match[2] as string;
  }
  return names;
}

function query(name: string, eventId: number): Promise<string[]> {
  return run(name, `query-dht ${name} ${eventId}`);
}

function assertShelby(lines: string[]) {
  assert.equal(field(lines, "event id"), "5536849", lines.join("\n"));
  assert.equal(field(lines, "state"), "ALABAMA");
  assert.equal(field(lines, "cz name"), "SHELBY");
  assert.match(lines.at(-1) ?? "", /^id-seq: \d+( \d+)*$/);
}

function assertGreenlee(lines: string[]) {
  assert.equal(field(lines, "event id"), "5539287", lines.join("\n"));
  assert.equal(field(lines, "injuries direct"), "17");
  assert.match(lines.at(-1) ?? "", /^id-seq: /);
}

test("a manager and six unregistered peers are running", async () => {
  const states = await daemons();
  assert.deepEqual(
    states.map((daemon) => daemon.id),
    ["manager", ...ids.values()],
  );
  for (const daemon of states) {
    assert.equal(daemon.alive, true);
    assert.equal(daemon.connected, true);
    assert.equal(typeof daemon.pid, "number");
  }
  assert.equal(states.find((daemon) => daemon.id === "peer-1")?.state, "unregistered");
});

test("the six peers register on free ports", STEP, async () => {
  for (const name of NAMES) {
    const [mport, pport] = [await freeUdpPort(), await freeUdpPort()];
    const lines = await run(name, `register ${name} 127.0.0.1 ${mport} ${pport}`);
    assert.match(lines.at(-1) ?? "", /^register \w+ .*: SUCCESS$/);
  }
  await eventually((states) => {
    for (const name of NAMES) assert.equal(stateOf(states, name), "Free", name);
  });
});

test("a setup with a year the data folder lacks fails, naming the missing file", async () => {
  const { status, body } = await api("POST", "/api/daemons/peer-1/command", {
    line: "setup-dht alpha 5 1800",
  });
  assert.equal(status, 200);
  assert.equal(body.ok, false);
  assert.ok(
    (body.lines as string[]).some((line) => /details-1800\.csv does not exist/.test(line)),
    JSON.stringify(body.lines),
  );
});

test("alpha builds a DHT of five with 1996", STEP, async () => {
  const lines = await run("alpha", "setup-dht alpha 5 1996");
  assert.ok(lines.includes("total: 48534 records on 5 nodes"), lines.join("\n"));
  assert.ok(lines.some((line) => /^dht-complete alpha: SUCCESS/.test(line)));
  ring = ringOf(lines);
  assert.equal(ring.length, 5);
  assert.equal(ring[0], "alpha");
  outsider = NAMES.find((name) => !ring.includes(name)) ?? "";
  await eventually((states) => {
    assert.equal(stateOf(states, "alpha"), "Leader");
    for (const name of ring.slice(1)) assert.equal(stateOf(states, name), "InDHT", name);
    assert.equal(stateOf(states, outsider), "Free");
  });
  assert.notEqual((await api("GET", "/api/state")).body.dht, null);
});

test("the peer outside the ring runs the four queries", STEP, async () => {
  assertShelby(await query(outsider, 5536849));
  assert.ok((await query(outsider, 2402920)).includes("Storm event 2402920 not found in the DHT."));
  assertGreenlee(await query(outsider, 5539287));
  const unknown = await query(outsider, 55770111);
  assert.ok(unknown.includes("Storm event 55770111 not found in the DHT."), unknown.join("\n"));
  assert.match(unknown.at(-1) ?? "", /^id-seq: /);
});

test("a member leaves, the ring of four is rebuilt, and the leaver queries", STEP, async () => {
  leaver = ring[2] ?? "";
  newLeader = ring[3] ?? "";
  const lines = await run(leaver, `leave-dht ${leaver}`);
  assert.ok(lines.includes(`dht-rebuilt ${leaver} ${newLeader}`), lines.join("\n"));
  assert.ok(
    lines.some((line) => /^dht-rebuilt \w+ \w+: SUCCESS/.test(line)),
    lines.join("\n"),
  );
  await eventually((states) => {
    assert.equal(stateOf(states, leaver), "Free");
    assert.equal(stateOf(states, newLeader), "Leader");
  });
  await assertLeaderPrinted(newLeader, "total: 48534 records on 4 nodes");
  assertShelby(await query(leaver, 5536849));
});

test("the sixth peer joins and the leaver queries the ring of five", STEP, async () => {
  const lines = await run(outsider, `join-dht ${outsider}`);
  assert.ok(lines.includes(`dht-rebuilt ${outsider} ${newLeader}`), lines.join("\n"));
  await eventually((states) => assert.equal(stateOf(states, outsider), "InDHT"));
  assertGreenlee(await query(leaver, 5539287));
});

test("the leader tears the DHT down and every peer deregisters and exits", STEP, async () => {
  const lines = await run(newLeader, `teardown-dht ${newLeader}`);
  assert.ok(
    lines.some((line) => /^teardown-complete \w+: SUCCESS/.test(line)),
    lines.join("\n"),
  );
  for (const name of NAMES) {
    const deregistered = await run(name, `deregister ${name}`);
    assert.ok(deregistered.some((line) => /^deregister \w+: SUCCESS/.test(line)));
  }
  await eventually((states) => {
    for (const id of ids.values()) {
      const daemon = states.find((each) => each.id === id);
      assert.equal(daemon?.alive, false, id);
      assert.equal(daemon?.exitCode, 0, id);
    }
  }, 10_000);
  const dead = await api("POST", "/api/daemons/peer-1/command", { line: "status" });
  assert.equal(dead.status, 409);
  assert.equal(dead.body.code, "DAEMON_DEAD");
});

test("a new peer can be started through the API", STEP, async () => {
  const { status, body } = await api("POST", "/api/daemons", { kind: "peer" });
  assert.equal(status, 201);
  assert.equal(body.id, "peer-7");
  ids.set("golf", "peer-7");
  const lines = await run("golf", "status");
  assert.ok(lines.length > 0);
  await eventually((states) => {
    const added = states.find((daemon) => daemon.id === "peer-7");
    assert.equal(added?.alive, true);
    assert.equal(added?.state, "unregistered");
  });
});

/** The merged timeline, paged through, has the line among the leader's console events. */
async function assertLeaderPrinted(name: string, line: string) {
  const id = ids.get(name);
  let after = 0;
  for (;;) {
    const { body } = await api("GET", `/api/timeline?after=${after}&limit=1000`);
    const entries = body.entries as { daemonId: string; event: { kind: string; line?: string } }[];
    const found = entries.some(
      (entry) =>
        entry.daemonId === id && entry.event.kind === "console" && entry.event.line === line,
    );
    if (found) return;
    assert.ok(entries.length > 0, `${name} printed "${line}"`);
    after = body.next as number;
  }
}
