/**
 * Starts and stops the local daemons (one manager, any number of peers) as child processes
 * on loopback, each with a control channel on a free port, and acts on one when asked: a
 * signal, or a restart (the same id, program and arguments, so a manager keeps its port
 * and its state file, which lives in a temp folder of this supervisor's own).
 * A daemon that dies stays dead until then: it is shown with `alive: false`, how it ended
 * (exited cleanly, or crashed: a signal or a non-zero code) and its last output, never
 * restarted behind the user's back.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { freeUdpPort } from "../../daemons/src/transport/free-ports.ts";
import { killOnExit, makeTempFolder, readLines, removeTempFolder } from "./child-processes.ts";

export interface SupervisedDaemon {
  /** "manager", "peer-1", "peer-2", ... (peer numbers are never reused). */
  id: string;
  kind: "manager" | "peer";
  pid: number | null;
  alive: boolean;
  /** Stopped by a SIGSTOP from the API and not yet continued: alive, but answering nothing. */
  paused: boolean;
  /** Null while running, and when the process was ended by a signal. */
  exitCode: number | null;
  /** The signal that ended the process (e.g. "SIGKILL"); null while running or after an exit. */
  signal: NodeJS.Signals | null;
  /** Null while running; "exited" after exit code 0, "crashed" after a signal or another code. */
  ended: Ending | null;
  controlUrl: string | null;
  /** Manager only: its UDP port. */
  managerPort: number | null;
  /** The last lines of stdout and stderr, plus a final line saying how it exited. */
  lastOutput: string[];
}

/** How a process ended: a clean exit (code 0) or a crash (killed by a signal, or a failure). */
export type Ending = "exited" | "crashed";

/** The signals the API may send to a local daemon (without the SIG prefix). */
export const DAEMON_SIGNALS = ["KILL", "STOP", "CONT", "INT"] as const;
export type DaemonSignal = (typeof DAEMON_SIGNALS)[number];

export interface SupervisorOptions {
  /** The repository root, where `bin/dht-manager.js` and `bin/dht-peer.js` are. */
  repoRoot: string;
  /** The peers' `--data-dir`. */
  dataDir: string;
  /** Passed as `$STORMRING_CONTROL_TOKEN` (not argv, which `ps` shows). */
  controlToken?: string;
  /** Passed as `$STORMRING_SECRET`: the daemons sign and check every datagram with it. */
  secret?: string;
  onChange?: (daemon: SupervisedDaemon) => void;
}

const HOST = "127.0.0.1";
const OUTPUT_LINES = 50;
const START_TIMEOUT_MS = 20_000;
const KILL_AFTER_MS = 3_000;
const CONTROL_LINE = /^control channel on (ws:\/\/\S+)$/;

type Script = "dht-manager" | "dht-peer";

interface Managed {
  info: SupervisedDaemon;
  child: ChildProcess;
  /** What was started, so that a restart starts the same again. */
  script: Script;
  args: string[];
  /** Resolves once the process has exited and its output is read. */
  closed: Promise<void>;
}

export class Supervisor {
  private readonly daemons = new Map<string, Managed>();
  private readonly restarts = new Map<string, Promise<SupervisedDaemon>>();
  private peersStarted = 0;
  private stopping = false;
  /** Holds the manager's --state-file; made at its first start, removed by `stopAll`. */
  private stateFolder: string | null = null;

  constructor(private readonly options: SupervisorOptions) {}

  /** Starts the manager on 127.0.0.1 (a free UDP port if none is given). */
  async startManager(port?: number): Promise<SupervisedDaemon> {
    const current = this.daemons.get("manager");
    if (current?.info.alive) {
      throw new Error(`the manager is already running (pid ${current.info.pid})`);
    }
    const udpPort = port ?? (await freeUdpPort(HOST));
    // Not the CLI's default ./stormring-manager.db: a new server run starts a new registry,
    // and only this run's manager (restarted or started again) recovers from the file.
    this.stateFolder ??= makeTempFolder("stormring-server-");
    const stateFile = path.join(this.stateFolder, "manager.db");
    const listen = [String(udpPort), "--host", HOST, "--control-port", "0"];
    const args = [...listen, "--state-file", stateFile];
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

  /**
   * Sends `SIG<signal>` to a running daemon; false if it has exited (or is not one of
   * these daemons). Its effect shows later: a KILL as `ended: "crashed"`, an INT as a peer's
   * farewell (it leaves the DHT and deregisters) and then a clean exit.
   */
  signal(id: string, signal: DaemonSignal): boolean {
    const managed = this.daemons.get(id);
    if (managed === undefined || !managed.info.alive) return false;
    const sent = managed.child.kill(`SIG${signal}`);
    if (sent && (signal === "STOP" || signal === "CONT")) {
      managed.info.paused = signal === "STOP";
      this.changed(managed.info);
    }
    return sent;
  }

  /**
   * Stops the daemon if it runs (as `stopAll` does), then starts a fresh process with the
   * same id, program and arguments: a peer with the same options, the manager on the same
   * port. A second restart asked for meanwhile shares the first.
   */
  restart(id: string): Promise<SupervisedDaemon> {
    const running = this.restarts.get(id);
    if (running !== undefined) return running;
    const managed = this.daemons.get(id);
    if (managed === undefined) return Promise.reject(new Error(`no daemon "${id}"`));
    const restarted = stop(managed)
      .then(() => {
        managed.info.lastOutput.push("[supervisor] restarting");
        const { kind, managerPort, lastOutput } = managed.info;
        return this.start(id, kind, managed.script, managed.args, managerPort, lastOutput);
      })
      .finally(() => this.restarts.delete(id));
    this.restarts.set(id, restarted);
    return restarted;
  }

  /**
   * SIGTERM to every live daemon, SIGKILL to any still running 3 s later, then removes the
   * manager's state folder; none starts after.
   */
  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled(this.restarts.values());
    await Promise.all([...this.daemons.values()].map((managed) => stop(managed)));
    if (this.stateFolder !== null) await removeTempFolder(this.stateFolder);
  }

  private start(
    id: string,
    kind: "manager" | "peer",
    script: Script,
    args: string[],
    managerPort: number | null,
    /** A restarted daemon's output so far, kept above the new process's. */
    earlierOutput: string[] = [],
  ): Promise<SupervisedDaemon> {
    if (this.stopping) return Promise.reject(new Error("the supervisor is stopping"));
    const env = { ...process.env };
    // Set or cleared explicitly, so an inherited token cannot lock the aggregator out.
    if (this.options.controlToken) env.STORMRING_CONTROL_TOKEN = this.options.controlToken;
    else delete env.STORMRING_CONTROL_TOKEN;
    if (this.options.secret) env.STORMRING_SECRET = this.options.secret;
    else delete env.STORMRING_SECRET;
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
      paused: false,
      exitCode: null,
      signal: null,
      ended: null,
      controlUrl: null,
      managerPort,
      lastOutput: earlierOutput.slice(-OUTPUT_LINES),
    };
    const forget = killOnExit(child);

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
        forget();
        info.alive = false;
        info.paused = false;
        info.exitCode = code;
        info.signal = signal;
        info.ended = code === 0 ? "exited" : "crashed";
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
    const managed: Managed = { info, child, script, args, closed };
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
  // A stopped (SIGSTOP) process handles its SIGTERM only once it runs again.
  child.kill("SIGCONT");
  const timer = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
  return closed.finally(() => clearTimeout(timer));
}

function copyOf(info: SupervisedDaemon): SupervisedDaemon {
  return { ...info, lastOutput: [...info.lastOutput] };
}
