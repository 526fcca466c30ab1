/**
 * Starts the real daemons as child processes on loopback and talks to them through
 * their stdin and stdout, as a person with terminals (or a script with pipes) would.
 */

import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freeUdpPort, freeUdpPorts } from "../src/transport/free-ports.ts";
import { ensureFreshBuild } from "./fresh-build.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A UDP port the kernel says is free right now. */
export const freePort = freeUdpPort;
/** `count` distinct free ports, probed at once (one probe after another may repeat a port). */
export const freePorts = (count: number, host = "127.0.0.1") => freeUdpPorts(count, host);

/** Daemons still running, stopped if the process driving them exits first. */
const running = new Set<ChildProcessWithoutNullStreams>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGTERM");
});

export class Daemon {
  readonly lines: string[] = [];
  /** When each line arrived (performance.now()), for timing a step from its command. */
  readonly times: number[] = [];
  /** When the last command was sent (performance.now()). */
  lastSentAt = 0;
  private cursor = 0;
  private partial = "";
  private readonly waiters = new Set<() => void>();
  readonly exited: Promise<number | null>;

  constructor(
    readonly label: string,
    readonly child: ChildProcessWithoutNullStreams,
    /** Called with every line the daemon prints, e.g. to echo it. */
    private readonly echo?: (label: string, line: string) => void,
  ) {
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => this.take(chunk));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => this.take(chunk));
    running.add(child);
    this.exited = new Promise((resolve) =>
      child.on("exit", (code) => {
        running.delete(child);
        resolve(code);
      }),
    );
  }

  static start(
    label: string,
    script: "dht-manager" | "dht-peer",
    args: string[],
    options: DaemonOptions = {},
  ): Daemon {
    ensureFreshBuild();
    const argv = [process.execPath, ...(options.nodeArgs ?? []), `bin/${script}.js`, ...args];
    const [command = "", ...rest] = [...(options.wrap ?? []), ...argv];
    const child = spawn(command, rest, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    return new Daemon(label, child, options.echo);
  }

  send(line: string): void {
    this.lastSentAt = performance.now();
    this.child.stdin.write(`${line}\n`);
  }

  /** Lines printed from now on are what the next waitFor searches. */
  mark(): void {
    this.cursor = this.lines.length;
  }

  /** Waits for a line after the cursor matching `pattern`; moves the cursor past it. */
  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let index = this.cursor; index < this.lines.length; index += 1) {
        const line = this.lines[index] as string;
        if (pattern.test(line)) {
          this.cursor = index + 1;
          return line;
        }
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(
          `${this.label}: no line matching ${pattern} within ${timeoutMs} ms; last lines:\n${this.lines.slice(-25).join("\n")}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, Math.min(remaining, 200));
        const waiters = this.waiters;
        function wake() {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        }
        waiters.add(wake);
      });
    }
  }

  /** Sends a command and returns the lines up to and including the one matching `until`. */
  async run(line: string, until: RegExp, timeoutMs?: number): Promise<string[]> {
    this.mark();
    const start = this.cursor;
    this.send(line);
    await this.waitFor(until, timeoutMs);
    return this.lines.slice(start, this.cursor);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
    await this.exited;
  }

  private take(chunk: string): void {
    const parts = (this.partial + chunk).split("\n");
    this.partial = parts.pop() ?? "";
    for (const part of parts) {
      const line = part.replace(/\r$/, "");
      this.lines.push(line);
      this.times.push(performance.now());
      this.echo?.(this.label, line);
    }
    for (const wake of [...this.waiters]) wake();
  }
}

export interface DaemonOptions {
  env?: NodeJS.ProcessEnv;
  /** Options for node itself, e.g. --cpu-prof when profiling a daemon. */
  nodeArgs?: string[];
  echo?: (label: string, line: string) => void;
  /** More command-line arguments for startManager / startPeer, e.g. --control-port 0. */
  args?: string[];
  /**
   * A command prefix the daemon runs under, e.g. `["ip", "netns", "exec", "<ns>"]` to run
   * it inside a network namespace. The prefix must exec the daemon (so signals reach it).
   */
  wrap?: string[];
}

/** Where a daemon runs: the IPv4 address it binds and, optionally, a fixed port. */
export interface Placement {
  host: string;
  /** The manager's port, or the first of a peer's two ports (the second is port + 1). */
  port?: number;
}

export async function startManager(
  options: DaemonOptions = {},
  placement: Placement = { host: "127.0.0.1" },
): Promise<{ manager: Daemon; port: number }> {
  const port = placement.port ?? (await freePort(placement.host));
  // Each manager keeps its state in a file of its own unless the caller names one.
  const args = options.args ?? [];
  const stateFile = args.includes("--state-file") ? [] : ["--state-file", freshStateFile()];
  const manager = Daemon.start(
    "manager",
    "dht-manager",
    [String(port), "--host", placement.host, ...stateFile, ...args],
    options,
  );
  await manager.waitFor(/manager listening on/);
  return { manager, port };
}

export function startPeer(
  label: string,
  managerPort: number,
  dataDir: string,
  options: DaemonOptions = {},
  managerHost = "127.0.0.1",
): Daemon {
  return Daemon.start(
    label,
    "dht-peer",
    [managerHost, String(managerPort), "--data-dir", dataDir, ...(options.args ?? [])],
    options,
  );
}

/**
 * Registers a peer on two free loopback ports (or on `placement`'s address and its ports
 * `port` and `port + 1`); throws unless the manager says SUCCESS.
 */
export async function register(
  peer: Daemon,
  name: string,
  placement: Placement = { host: "127.0.0.1" },
): Promise<void> {
  // Both probed at once: two probes one after the other can be given the same port.
  const [mport, pport] =
    placement.port === undefined
      ? await freePorts(2, placement.host)
      : [placement.port, placement.port + 1];
  const lines = await peer.run(
    `register ${name} ${placement.host} ${mport} ${pport}`,
    /^register .*: (SUCCESS|FAILURE)|register failed/,
  );
  const outcome = lines.at(-1) ?? "";
  if (!outcome.endsWith("SUCCESS")) throw new Error(`${name} did not register: ${outcome}`);
}

/** A state file no manager has used, in a folder of this process's own. */
export function freshStateFile(): string {
  stateFolder ??= mkdtempSync(join(tmpdir(), "stormring-manager-"));
  stateFiles += 1;
  return join(stateFolder, `manager-${stateFiles}.db`);
}
let stateFolder: string | undefined;
let stateFiles = 0;
process.on("exit", () => {
  if (stateFolder !== undefined) rmSync(stateFolder, { recursive: true, force: true });
});
