/**
 * The supervisor with the real daemons: a manager and two peers start with control
 * channels, the manager's state file is in a temp folder of the supervisor's own, a killed
 * peer shows how it died and is not restarted, stopAll leaves no process (nor the folder),
 * and neither does a server process that exits without calling it.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type SupervisedDaemon, Supervisor } from "../src/supervisor.ts";
import {
  eventually,
  processExists,
  REPO_ROOT,
  stateFileOf,
  TEST_DATA_DIR,
} from "./support/processes.ts";

const STEP = { timeout: 60_000 };
const changes: SupervisedDaemon[] = [];
let stateFile = "";
const supervisor = new Supervisor({
  repoRoot: REPO_ROOT,
  dataDir: TEST_DATA_DIR,
  controlToken: "test-token",
  secret: "test-secret",
  onChange: (daemon) => changes.push(daemon),
});

after(() => supervisor.stopAll());

test("a peer cannot start before the manager", STEP, async () => {
  await assert.rejects(supervisor.startPeer(), /the manager is not running/);
});

test("starts a manager and two peers, each alive with a pid and a channel", STEP, async () => {
  const manager = await supervisor.startManager();
  assert.equal(manager.id, "manager");
  assert.equal(manager.kind, "manager");
  assert.match(manager.controlUrl ?? "", /^ws:\/\/127\.0\.0\.1:\d+$/);
  assert.ok((manager.managerPort ?? 0) > 0);
  assert.ok(manager.lastOutput.some((line) => line.startsWith("manager listening on")));
  await assert.rejects(supervisor.startManager(), /already running/);

  const peers = [await supervisor.startPeer(), await supervisor.startPeer()];
  assert.deepEqual(
    peers.map((peer) => [peer.id, peer.kind, peer.managerPort]),
    [
      ["peer-1", "peer", null],
      ["peer-2", "peer", null],
    ],
  );
  const listed = supervisor.list();
  assert.deepEqual(
    listed.map((daemon) => daemon.id),
    ["manager", "peer-1", "peer-2"],
  );
  for (const daemon of listed) {
    assert.equal(daemon.alive, true, daemon.id);
    assert.equal(daemon.exitCode, null);
    assert.ok(daemon.pid !== null && processExists(daemon.pid), `${daemon.id} runs`);
    assert.match(daemon.controlUrl ?? "", /^ws:\/\/127\.0\.0\.1:\d+$/);
  }
  assert.ok(changes.some((change) => change.id === "peer-2" && change.controlUrl !== null));
});

test("the manager's --state-file is in a fresh temp folder, not the CLI's default", STEP, () => {
  const pid = supervisor.get("manager")?.pid;
  assert.ok(pid);
  stateFile = stateFileOf(pid);
  assert.equal(path.dirname(path.dirname(stateFile)), tmpdir());
  assert.match(path.basename(path.dirname(stateFile)), /^stormring-server-/);
  assert.ok(existsSync(stateFile), "the manager has opened it");
});

test("every daemon gets the datagram secret in its environment, not its argv", STEP, () => {
  for (const daemon of supervisor.list()) {
    assert.ok(daemon.pid);
    const environ = readFileSync(`/proc/${daemon.pid}/environ`, "utf8").split("\0");
    assert.ok(environ.includes("STORMRING_SECRET=test-secret"), daemon.id);
    assert.doesNotMatch(readFileSync(`/proc/${daemon.pid}/cmdline`, "utf8"), /test-secret/);
  }
});

test("a killed peer shows alive false with its exit and output; no restart", STEP, async () => {
  const before = supervisor.get("peer-1");
  assert.ok(before?.pid);
  process.kill(before.pid, "SIGKILL");
  await eventually("peer-1 to be seen dead", () => supervisor.get("peer-1")?.alive === false);
  const dead = supervisor.get("peer-1");
  assert.equal(dead?.alive, false);
  assert.equal(dead?.exitCode, null, "killed by a signal, so no exit code");
  assert.equal(dead?.pid, before.pid, "the pid it had is kept");
  assert.equal(dead?.lastOutput.at(-1), "[supervisor] exited on SIGKILL");
  assert.ok(dead?.lastOutput.some((line) => line.startsWith("control channel on")));
  const notified = changes.filter((change) => change.id === "peer-1").at(-1);
  assert.equal(notified?.alive, false);

  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.deepEqual(
    supervisor.list().map((daemon) => [daemon.id, daemon.alive]),
    [
      ["manager", true],
      ["peer-1", false],
      ["peer-2", true],
    ],
  );
  assert.equal(processExists(before.pid), false);
  // A new peer is a new id; the dead one's number is not reused.
  const third = await supervisor.startPeer();
  assert.equal(third.id, "peer-3");
});

test("stopAll ends every daemon; none is left", STEP, async () => {
  const pids = supervisor.list().map((daemon) => daemon.pid);
  await supervisor.stopAll();
  for (const daemon of supervisor.list()) {
    assert.equal(daemon.alive, false, daemon.id);
  }
  // The ones alive until now exited on SIGTERM: cleanly, except that peer-3, started just
  // before, may not have installed its handler yet (the daemon prints its control channel
  // line before it handles signals), and then died of the signal itself.
  assert.deepEqual(
    supervisor.list().map((daemon) => [daemon.id, daemon.lastOutput.at(-1)]),
    [
      ["manager", "[supervisor] exited with code 0"],
      ["peer-1", "[supervisor] exited on SIGKILL"],
      ["peer-2", "[supervisor] exited with code 0"],
      [
        "peer-3",
        supervisor.get("peer-3")?.exitCode === 0
          ? "[supervisor] exited with code 0"
          : "[supervisor] exited on SIGTERM",
      ],
    ],
  );
  for (const pid of pids) {
    assert.ok(pid !== null);
    assert.throws(() => process.kill(pid, 0), { code: "ESRCH" });
  }
  assert.equal(existsSync(path.dirname(stateFile)), false, "the state folder is removed");
});

test("a server process that exits without stopAll leaves no daemon nor state", STEP, async () => {
  const fixture = fileURLToPath(new URL("./fixtures/exit-without-stop.ts", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", fixture], {
    cwd: REPO_ROOT,
    timeout: 30_000,
  });
  const { pids, stateFile } = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as {
    pids: number[];
    stateFile: string;
  };
  assert.equal(pids.length, 2);
  assert.equal(existsSync(path.dirname(stateFile)), false, "the state folder is removed");
  try {
    // SIGKILL is delivered at once, but the kernel may take a moment to reap.
    await eventually("the orphans to be gone", () => pids.every((pid) => !processExists(pid)));
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), { code: "ESRCH" });
  } finally {
    // Should the hook fail, do not leave the orphans running after the test.
    for (const pid of pids.filter(processExists)) process.kill(pid, "SIGKILL");
  }
});
