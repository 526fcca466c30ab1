/**
 * Starts and stops the local daemons (one manager, any number of peers) as child processes
 * on loopback, each with a control channel on a free port. A daemon that dies stays dead:
 * it is shown with `alive: false`, its exit code and its last output, never restarted
 * behind the user's back.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { freeUdpPort } from "../../daemons/src/transport/free-ports.ts";

export interface SupervisedDaemon {
  /** "manager", "peer-1", "peer-2", ... (peer numbers are never reused). */
  id: string;
  kind: "manager" | "peer";
  pid: number | null;
  alive: boolean;
  /** Null while running, and when the process was ended by a signal. */
  exitCode: number | null;
  controlUrl: string | null;
  /** Manager only: its UDP port. */
  managerPort: number | null;
  /** The last lines of stdout and stderr, plus a final line saying how it exited. */
  lastOutput: string[];
}

export interface SupervisorOptions {
  /** The repository root, where `bin/dht-manager.js` and `bin/dht-peer.js` are. */
  repoRoot: string;
  /** The peers' `--data-dir`. */
  dataDir: string;
  /** Passed as `$STORMRING_CONTROL_TOKEN` (not argv, which `ps` shows). */
  controlToken?: string;
  onChange?: (daemon: SupervisedDaemon) => void;
}

const HOST = "127.0.0.1";
const OUTPUT_LINES = 50;
const START_TIMEOUT_MS = 20_000;
const KILL_AFTER_MS = 3_000;
const CONTROL_LINE = /^control channel on (ws:\/\/\S+)$/;

interface Managed {
  info: SupervisedDaemon;
  child: ChildProcess;
  /** Resolves once the process has exited and its output is read. */
  closed: Promise<void>;
}

/** Every child of every supervisor, killed if this process exits without stopping them. */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Only synchronous work is possible here, so no graceful SIGTERM-then-wait: kill outright.
  process.on("exit", () => {
    for (const child of liveChildren) child.kill("SIGKILL");
  });
}

export class Supervisor {
  private readonly daemons = new Map<string, Managed>();
  private peersStarted = 0;

  constructor(private readonly options: SupervisorOptions) {
    installExitHook();
  }

  /** Starts the manager on 127.0.0.1 (a free UDP port if none is given). */
  async startManager(port?: number): Promise<SupervisedDaemon> {
    const current = this.daemons.get("manager");
    if (current?.info.alive) {
      throw new Error(`the manager is already running (pid ${current.info.pid})`);
    }
    const udpPort = port ?? (await freeUdpPort(HOST));
    const args = [String(udpPort), "--host", HOST, "--control-port", "0"];
    return this.start("manager", "manager", "dht-manager", args, udpPort);
  }

  /** Starts a peer talking to the running manager; commands go through its control channel. */
  async startPeer(): Promise<SupervisedDaemon> {
    const manager = this.daemons.get("manager")?.info;
    if (!manager?.alive || manager.managerPort === null) {
      throw new Error("the manager is not running: start it before any peer");
    }
    this.peersStarted += 1;
    const id = `peer-${this.peersStarted}`;
    const args = [HOST, String(manager.managerPort), "--data-dir", this.options.dataDir];
    return this.start(id, "peer", "dht-peer", [...args, "--control-port", "0"], null);
  }

  list(): SupervisedDaemon[] {
    return [...this.daemons.values()].map((managed) => copyOf(managed.info));
  }

  get(id: string): SupervisedDaemon | undefined {
    const managed = this.daemons.get(id);
    return managed === undefined ? undefined : copyOf(managed.info);
  }

  /** SIGTERM to every live daemon, SIGKILL to any still running 3 s later. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.daemons.values()].map((managed) => stop(managed)));
  }

  private start(
    id: string,
    kind: "manager" | "peer",
    script: "dht-manager" | "dht-peer",
    args: string[],
    managerPort: number | null,
  ): Promise<SupervisedDaemon> {
    const env = { ...process.env };
    // Set or cleared explicitly, so an inherited token cannot lock the aggregator out.
    if (this.options.controlToken) env.STORMRING_CONTROL_TOKEN = this.options.controlToken;
    else delete env.STORMRING_CONTROL_TOKEN;
    const child = spawn(
      process.execPath,
      [path.join(this.options.repoRoot, "bin", `${script}.js`), ...args],
      { cwd: this.options.repoRoot, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    const info: SupervisedDaemon = {
      id,
      kind,
      pid: child.pid ?? null,
      alive: child.pid !== undefined,
      exitCode: null,
      controlUrl: null,
      managerPort,
      lastOutput: [],
    };
    liveChildren.add(child);

    let announced: (url: string) => void = () => {};
    const controlUp = new Promise<string>((resolve) => {
      announced = resolve;
    });
    const record = (line: string) => {
      info.lastOutput.push(line);
      if (info.lastOutput.length > OUTPUT_LINES) info.lastOutput.shift();
      const url = info.controlUrl === null ? CONTROL_LINE.exec(line)?.[1] : undefined;
      if (url !== undefined) {
        info.controlUrl = url;
        this.changed(info);
        announced(url);
      }
    };
    readLines(child.stdout, record);
    readLines(child.stderr, record);

    const closed = new Promise<void>((resolve) => {
      let done = false;
      const exited = (code: number | null, signal: NodeJS.Signals | null) => {
        if (done) return;
        done = true;
        liveChildren.delete(child);
        info.alive = false;
        info.exitCode = code;
        record(`[supervisor] exited ${signal ? `on ${signal}` : `with code ${code}`}`);
        this.changed(info);
        resolve();
      };
      // A spawn failure (e.g. a bad execPath) emits "error" and may never emit "close".
      child.once("error", (error) => {
        record(`[supervisor] could not start: ${error.message}`);
        exited(null, null);
      });
      child.once("close", (code, signal) => exited(code, signal));
    });
    const managed: Managed = { info, child, closed };
    this.daemons.set(id, managed);
    this.changed(info);

    return new Promise<SupervisedDaemon>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`${id} printed no control channel within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      controlUp.then(() => {
        clearTimeout(timer);
        resolve(copyOf(info));
      });
      closed.then(() => {
        clearTimeout(timer);
        const tail = info.lastOutput.slice(-10).join("\n");
        reject(new Error(`${id} exited before its control channel was up:\n${tail}`));
      });
    });
  }

  private changed(info: SupervisedDaemon): void {
    this.options.onChange?.(copyOf(info));
  }
}

function stop({ child, info, closed }: Managed): Promise<void> {
  if (!info.alive) return closed;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
  return closed.finally(() => clearTimeout(timer));
}

function copyOf(info: SupervisedDaemon): SupervisedDaemon {
  return { ...info, lastOutput: [...info.lastOutput] };
}

/** Calls `onLine` with each complete line of a stream (and a last unterminated one). */
function readLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (stream === null) return;
  let partial = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    for (const part of parts) onLine(part.replace(/\r$/, ""));
  });
  stream.on("end", () => {
    if (partial !== "") onLine(partial);
    partial = "";
  });
}
