/**
 * Signals and restarts through the HTTP API on real daemons (a manager and two peers the
 * supervisor started): a peer killed with KILL shows as crashed and restarts with its id,
 * STOP pauses a peer and CONT resumes it, INT is a registered peer's polite exit, and the
 * manager killed and restarted keeps its port and, from its state file, the registrations.
 * The tests build on each other.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { freeUdpPort } from "../../daemons/src/transport/free-ports.ts";
import { type Launched, launch } from "../src/launch.ts";
import type { DaemonState } from "../src/state.ts";
import { processExists, TEST_DATA_DIR } from "./support/processes.ts";

const STEP = { timeout: 60_000 };
let server: Launched;

before(async () => {
  server = await launch({
    port: 0,
    host: "127.0.0.1",
    peers: 2,
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

async function daemon(id: string): Promise<DaemonState> {
  const { status, body } = await api("GET", "/api/state");
  assert.equal(status, 200);
  const found = (body.daemons as DaemonState[]).find((each) => each.id === id);
  assert.ok(found, `${id} is in the state`);
  return found;
}

/** Polls GET /api/state until `check` holds for the daemon, then returns it. */
async function eventually(
  id: string,
  check: (state: DaemonState) => boolean,
  timeoutMs = 15_000,
): Promise<DaemonState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await daemon(id);
    if (check(state)) return state;
    if (Date.now() > deadline) throw new Error(`${id} never got there: ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const signal = (id: string, name: string) =>
  api("POST", `/api/daemons/${id}/signal`, { signal: name });

/** The process's state letter from /proc (R running, S sleeping, T stopped, ...). */
function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
}

/** The names the manager has registered, as its snapshot says. */
function registeredNames(manager: DaemonState): string[] {
  const peers = (manager.snapshot as { peers: { name: string }[] } | null)?.peers ?? [];
  return peers.map((each) => each.name);
}

async function register(id: string, name: string): Promise<void> {
  const mport = await freeUdpPort("127.0.0.1");
  let pport = await freeUdpPort("127.0.0.1");
  while (pport === mport) pport = await freeUdpPort("127.0.0.1");
  const line = `register ${name} 127.0.0.1 ${mport} ${pport}`;
  const { status, body } = await api("POST", `/api/daemons/${id}/command`, { line });
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.ok, true, JSON.stringify(body));
}

test("KILL: the peer shows as crashed on SIGKILL, not as an exit", STEP, async () => {
  const before = await daemon("peer-1");
  assert.equal(before.ended, null);
  const { status, body } = await signal("peer-1", "KILL");
  assert.equal(status, 200, JSON.stringify(body));
  assert.deepEqual(body, { id: "peer-1", pid: before.pid, signal: "SIGKILL" });
  const dead = await eventually("peer-1", (state) => !state.alive);
  assert.equal(dead.ended, "crashed");
  assert.equal(dead.signal, "SIGKILL");
  assert.equal(dead.exitCode, null);
  assert.equal(dead.lastOutput.at(-1), "[supervisor] exited on SIGKILL");

  const again = await signal("peer-1", "CONT");
  assert.equal(again.status, 409);
  assert.equal(again.body.code, "DAEMON_DEAD");
  assert.match(String(again.body.message), /crashed on SIGKILL/);
});

test("restart: a fresh process with the same id, attached and taking commands", STEP, async () => {
  const dead = await daemon("peer-1");
  const { status, body } = await api("POST", "/api/daemons/peer-1/restart");
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.id, "peer-1");
  assert.notEqual(body.pid, dead.pid);
  const restarted = await eventually("peer-1", (state) => state.alive && state.connected);
  assert.deepEqual([restarted.pid, restarted.ended, restarted.signal], [body.pid, null, null]);
  assert.ok(restarted.lastOutput.includes("[supervisor] restarting"));
  assert.ok(processExists(Number(body.pid)));
  await register("peer-1", "alpha");
  await eventually("peer-1", (state) => state.name === "alpha" && state.state === "Free");
});

test("STOP pauses a peer and CONT resumes it", STEP, async () => {
  const peer = await daemon("peer-2");
  assert.ok(peer.pid !== null);
  assert.equal((await signal("peer-2", "STOP")).status, 200);
  const deadline = Date.now() + 5_000;
  while (processState(peer.pid) !== "T") {
    assert.ok(Date.now() < deadline, "peer-2 never stopped");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Paused, it answers nothing; the command waits until it runs again.
  const answer = api("POST", "/api/daemons/peer-2/command", { line: "status" });
  const early = await Promise.race([
    answer.then(() => "answered"),
    new Promise((resolve) => setTimeout(() => resolve("waiting"), 500)),
  ]);
  assert.equal(early, "waiting");
  assert.equal((await daemon("peer-2")).alive, true, "a paused peer is not dead");

  assert.equal((await signal("peer-2", "CONT")).status, 200);
  const { status, body } = await answer;
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.ok, true);
  assert.notEqual(processState(peer.pid), "T");
});

test("INT: a registered peer deregisters and exits cleanly", STEP, async () => {
  await register("peer-2", "bravo");
  await eventually("peer-2", (state) => state.state === "Free");
  assert.equal((await signal("peer-2", "INT")).status, 200);
  const ended = await eventually("peer-2", (state) => !state.alive);
  assert.deepEqual([ended.ended, ended.exitCode, ended.signal], ["exited", 0, null]);
  assert.ok(
    ended.lastOutput.some((line) => line.startsWith("stopping: deregistering first")),
    ended.lastOutput.join("\n"),
  );
  // The manager no longer has bravo.
  assert.deepEqual(registeredNames(await daemon("manager")), ["alpha"]);
});

test("the manager killed and restarted keeps its port and its registrations", STEP, async () => {
  const before = await daemon("manager");
  assert.equal((await signal("manager", "KILL")).status, 200);
  const dead = await eventually("manager", (state) => !state.alive);
  assert.deepEqual([dead.ended, dead.signal], ["crashed", "SIGKILL"]);

  const { status, body } = await api("POST", "/api/daemons/manager/restart");
  assert.equal(status, 200, JSON.stringify(body));
  const restarted = await eventually("manager", (state) => state.alive && state.connected);
  assert.equal(restarted.managerPort, before.managerPort);
  assert.ok(
    restarted.lastOutput.some((line) => line.includes(`manager listening on`)),
    restarted.lastOutput.join("\n"),
  );
  // The same state file: alpha, registered before the kill, is still known.
  await eventually("manager", (state) => registeredNames(state).includes("alpha"));
  // A restarted peer registers with it on that port, but not as alpha, which is taken.
  assert.equal((await api("POST", "/api/daemons/peer-2/restart")).status, 200);
  await eventually("peer-2", (state) => state.alive && state.connected);
  await assert.rejects(register("peer-2", "alpha"), /DUPLICATE_NAME/);
  await register("peer-2", "charlie");
  await eventually("peer-2", (state) => state.name === "charlie" && state.state === "Free");
});
