/**
 * `npm start` as a person runs it: it prints the dashboard URL, the API shows a manager
 * and six peers alive, and SIGTERM stops every process it started. Also the option parsing.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { after, describe, test } from "node:test";
import { DEFAULT_DATA_DIR } from "../../daemons/src/data/data-dir.ts";
import { parseRemoteDaemons, parseStartOptions, UsageError } from "../src/options.ts";
import { REPO_ROOT, TEST_DATA_DIR } from "./support/processes.ts";

describe("npm start", () => {
  let child: ChildProcess | null = null;
  let pids: number[] = [];

  after(() => {
    // Only if an assertion failed half-way: leave nothing running.
    child?.kill("SIGKILL");
    for (const pid of pids) if (isRunning(pid)) process.kill(pid, "SIGKILL");
  });

  test("prints the URL, runs seven daemons, and SIGTERM leaves no process", {
    timeout: 90_000,
  }, async () => {
    child = spawn("npm", ["start", "--", "--port", "0", "--data-dir", TEST_DATA_DIR], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    // The pipe closes when the last process holding it (the server, after npm) has exited.
    const closed = new Promise<void>((resolve) => child?.stdout?.on("close", resolve));
    const output: string[] = [];
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    const url = await urlLine(child);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);

    const response = await fetch(`${url}/api/state`);
    assert.equal(response.status, 200);
    const { daemons } = (await response.json()) as {
      daemons: { id: string; kind: string; pid: number; alive: boolean }[];
    };
    assert.equal(daemons.length, 7);
    assert.equal(daemons.filter((daemon) => daemon.kind === "manager").length, 1);
    assert.ok(daemons.every((daemon) => daemon.alive && Number.isInteger(daemon.pid)));
    pids = daemons.map((daemon) => daemon.pid);
    assert.ok(pids.every(isRunning));

    // npm passes the signal on to the server (the script execs node) and exits at once.
    child.kill("SIGTERM");
    await closed;
    assert.match(output.join(""), /SIGTERM, stopping the daemons/);
    for (const pid of pids) assert.equal(isRunning(pid), false, `daemon ${pid} still runs`);
    await assert.rejects(fetch(`${url}/api/state`), "the server is closed");
  });
});

describe("options", () => {
  test("defaults", () => {
    assert.deepEqual(parseStartOptions([], {}), {
      port: 3000,
      host: "127.0.0.1",
      peers: 6,
      maxPeers: 12,
      allowedHosts: [],
      dataDir: DEFAULT_DATA_DIR,
      remote: [],
    });
    assert.equal(
      (parseStartOptions([], { DHT_DATA_DIR: "/d" }) as { dataDir: string }).dataDir,
      "/d",
    );
  });

  test("flags", () => {
    const argv = [
      ...["--port", "0", "--peers", "2", "--data-dir", "x", "--host", "0.0.0.0"],
      ...["--max-peers", "4", "--allowed-hosts", "lab.example, ring.local"],
    ];
    assert.deepEqual(parseStartOptions(argv, { DHT_DATA_DIR: "/d" }), {
      port: 0,
      host: "0.0.0.0",
      peers: 2,
      maxPeers: 4,
      allowedHosts: ["lab.example", "ring.local"],
      dataDir: "x",
      remote: [],
    });
    assert.equal(parseStartOptions(["--help"], {}), "help");
  });

  test("--peers may not start more than --max-peers", () => {
    assert.throws(
      () => parseStartOptions(["--peers", "13"], {}),
      /--peers 13 is more than --max-peers 12/,
    );
    assert.equal(
      (parseStartOptions(["--peers", "13", "--max-peers", "13"], {}) as { peers: number }).peers,
      13,
    );
  });

  for (const argv of [
    ["--port", "http"],
    ["--peers", "-1"],
    ["--port", "70000"],
    ["--nope"],
    ["--max-peers", "0"],
    ["--max-peers", "1e3"],
  ]) {
    test(`refuses ${argv.join(" ")}`, () => {
      assert.throws(() => parseStartOptions(argv, {}), UsageError);
    });
  }

  test("STORMRING_REMOTE_DAEMONS", () => {
    assert.deepEqual(
      parseRemoteDaemons("manager=ws://10.0.0.2:7000, peer=ws://10.0.0.3:7001,peer=ws://h:1"),
      [
        { id: "remote-manager", kind: "manager", url: "ws://10.0.0.2:7000" },
        { id: "remote-peer-1", kind: "peer", url: "ws://10.0.0.3:7001" },
        { id: "remote-peer-2", kind: "peer", url: "ws://h:1" },
      ],
    );
    assert.deepEqual(parseRemoteDaemons(""), []);
    assert.throws(() => parseRemoteDaemons("peer=http://x"), /kind=ws-url/);
    assert.throws(() => parseRemoteDaemons("manager=ws://a:1,manager=ws://b:1"), /one manager/);
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, "ESRCH");
    return false;
  }
}

/** Resolves with the URL `npm start` prints, or rejects with its output if it exits first. */
function urlLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^stormring dashboard: (\S+)$/m.exec(output);
      if (match) resolve(match[1] as string);
    };
    child.stdout?.on("data", take);
    child.stderr?.on("data", take);
    child.on("exit", (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
  });
}
