/**
 * `npm start` attached to daemons it did not start (STORMRING_REMOTE_DAEMONS), as on
 * several hosts or under docker-compose: they show with no pid, and the API drives them.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { after, test } from "node:test";
import { type Daemon, freePort, startManager, startPeer } from "../../daemons/demo/processes.ts";
import { REPO_ROOT, TEST_DATA_DIR } from "./support/processes.ts";

const TOKEN = "remote-test-token";

const started: Daemon[] = [];
let server: ChildProcess | null = null;
after(async () => {
  server?.kill("SIGTERM");
  await Promise.all(started.map((daemon) => daemon.stop()));
});

async function controlUrlOf(daemon: Daemon): Promise<string> {
  const line = await daemon.waitFor(/^control channel on ws:/);
  return line.slice("control channel on ".length);
}

test("remote daemons are attached, shown without a pid, and driven through the API", {
  timeout: 60_000,
}, async () => {
  const env = { STORMRING_CONTROL_TOKEN: TOKEN };
  const control = ["--control-port", "0"];
  const { manager, port } = await startManager({ env, args: control });
  const peer = startPeer("remote-peer", port, TEST_DATA_DIR, { env, args: control });
  started.push(manager, peer);
  const remote = `manager=${await controlUrlOf(manager)},peer=${await controlUrlOf(peer)}`;

  server = spawn(process.execPath, ["bin/stormring.js", "--port", "0"], {
    cwd: REPO_ROOT,
    env: { ...process.env, STORMRING_REMOTE_DAEMONS: remote, STORMRING_CONTROL_TOKEN: TOKEN },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = "";
    server?.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /dashboard: (http:\/\/\S+)/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    server?.on("exit", (code) => reject(new Error(`server exited with ${code}: ${seen}`)));
  });

  const state = (await (await fetch(`${url}/api/state`)).json()) as {
    daemons: { id: string; kind: string; pid: number | null; connected: boolean }[];
  };
  assert.deepEqual(
    state.daemons.map(({ id, kind, pid, connected }) => ({ id, kind, pid, connected })),
    [
      { id: "remote-manager", kind: "manager", pid: null, connected: true },
      { id: "remote-peer-1", kind: "peer", pid: null, connected: true },
    ],
  );
  const line = `register zulu 127.0.0.1 ${await freePort()} ${await freePort()}`;
  const response = await fetch(`${url}/api/daemons/remote-peer-1/command`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ line }),
  });
  const result = (await response.json()) as { ok: boolean; lines: string[] };
  assert.equal(response.status, 200);
  assert.ok(result.ok, result.lines.join("\n"));
  // The remote peer ran the command itself: its own stdout says so (a pipe that may lag
  // behind the control channel's answer, hence the wait).
  assert.equal(await peer.waitFor(/^register zulu .*: SUCCESS$/), `${line}: SUCCESS`);
});
