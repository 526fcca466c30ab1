/**
 * The real system a model-based run drives: a manager with a state file and peers started
 * on demand, every one with a control channel so a checker can read what each holds
 * without parsing console text.
 */
import assert from "node:assert/strict";
import { type Daemon, freshStateFile, startManager, startPeer } from "../../demo/processes.ts";
import type { ManagerSnapshot } from "../../src/manager/state.ts";
import type { PeerSnapshot } from "../../src/peer/snapshot.ts";
import { ControlClient, controlUrl } from "../integration/control-client.ts";
import { TEST_DATA_DIR } from "./paths.ts";

const CONTROL = ["--control-port", "0"];

interface Running {
  daemon: Daemon;
  control: string;
}

export class LiveSystem {
  private readonly peers = new Map<string, Running>();
  /** Processes that ended (killed or deregistered), stopped again at the end to be sure. */
  private readonly ended: Daemon[] = [];

  private constructor(
    private manager: Running,
    readonly managerPort: number,
    private readonly stateFile: string,
  ) {}

  static async start(): Promise<LiveSystem> {
    const stateFile = freshStateFile();
    const { manager, port } = await startManager({ args: ["--state-file", stateFile, ...CONTROL] });
    return new LiveSystem({ daemon: manager, control: await controlUrl(manager) }, port, stateFile);
  }

  get managerDaemon(): Daemon {
    return this.manager.daemon;
  }

  /** The running process of `name`, started now if it has none (a new or a dead name). */
  async peer(name: string): Promise<Daemon> {
    const running = this.peers.get(name);
    if (running !== undefined && running.daemon.child.exitCode === null) return running.daemon;
    const daemon = startPeer(name, this.managerPort, TEST_DATA_DIR, { args: CONTROL });
    this.peers.set(name, { daemon, control: await controlUrl(daemon) });
    return daemon;
  }

  /** A process of its own (not `name`'s), e.g. to try registering a taken name. */
  async stranger(label: string): Promise<Daemon> {
    const daemon = startPeer(label, this.managerPort, TEST_DATA_DIR);
    this.ended.push(daemon);
    return daemon;
  }

  /** `kill -9` of `name`'s process; resolves once it is gone. */
  async kill(name: string): Promise<void> {
    const running = this.peers.get(name);
    assert.ok(running, `${name} has no process`);
    this.peers.delete(name);
    this.ended.push(running.daemon);
    running.daemon.child.kill("SIGKILL");
    await running.daemon.exited;
  }

  /** Waits for `name`'s process to exit on its own (after deregister). */
  async exited(name: string): Promise<number | null> {
    const running = this.peers.get(name);
    assert.ok(running, `${name} has no process`);
    this.peers.delete(name);
    this.ended.push(running.daemon);
    return running.daemon.exited;
  }

  /** `kill -9` of the manager, then the same command again: same port, same state file. */
  async restartManager(): Promise<string> {
    const old = this.manager.daemon;
    old.child.kill("SIGKILL");
    await old.exited;
    this.ended.push(old);
    const { manager } = await startManager(
      { args: ["--state-file", this.stateFile, ...CONTROL] },
      { host: "127.0.0.1", port: this.managerPort },
    );
    this.manager = { daemon: manager, control: await controlUrl(manager) };
    return manager.lines.find((line) => line.startsWith("[manager] state from ")) ?? "";
  }

  async managerSnapshot(): Promise<ManagerSnapshot> {
    return (await snapshotAt(this.manager.control)) as ManagerSnapshot;
  }

  /** Each running peer's snapshot, by name. */
  async peerSnapshots(): Promise<Map<string, PeerSnapshot>> {
    const snapshots = new Map<string, PeerSnapshot>();
    for (const [name, { control }] of this.peers) {
      snapshots.set(name, (await snapshotAt(control)) as PeerSnapshot);
    }
    return snapshots;
  }

  /** Resolves once the manager waits for nothing (a repair, rebuild or teardown is over). */
  async settled(timeoutMs = 40_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { pending, dht } = await this.managerSnapshot();
      if (pending === null && (dht === null || dht.phase === "ready")) return;
      if (Date.now() > deadline) {
        throw new Error(
          `the manager still waits after ${timeoutMs} ms: ${JSON.stringify(pending)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async stop(): Promise<void> {
    const all = [this.manager.daemon, ...[...this.peers.values()].map((each) => each.daemon)];
    await Promise.all([...all, ...this.ended].map((daemon) => daemon.stop()));
  }
}

async function snapshotAt(url: string): Promise<unknown> {
  const client = await ControlClient.connect(url);
  try {
    const frame = await client.waitFor((each) => each.type === "snapshot", 10_000);
    assert.equal(frame.type, "snapshot");
    return frame.type === "snapshot" ? frame.state : null;
  } finally {
    client.close();
  }
}
