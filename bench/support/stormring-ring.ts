/**
 * Stormring's side of a bench round: a manager and registered peers on loopback, driven
 * through their consoles as a person would, with every ring command timed from writing it
 * to the peer's stdin to the line that ends it (so the pipes are included, as they are for
 * the floor's nodes).
 */
import { ringReport } from "../../daemons/demo/acceptance.ts";
import {
  type Daemon,
  type DaemonOptions,
  register,
  startManager,
  startPeer,
} from "../../daemons/demo/processes.ts";
import type { Address } from "../../daemons/src/transport/udp.ts";
import { controlUrl } from "../../daemons/test/integration/control-client.ts";
import { LEADER, RING, YEAR } from "./scenario.ts";
import { sinceCommand } from "./timing.ts";

const STEP_MS = 60_000;
const SETUP_DONE = /^dht-complete \w+: |: FAILURE|refused/;
const TEARDOWN_DONE = /^teardown-complete \w+: |: FAILURE/;
const REBUILT = /^dht-rebuilt \w+ \w+: (SUCCESS|FAILURE)|: FAILURE/;
const TOTAL = /^total: \d+ records on \d+ nodes$/;

/** A timed ring command: how long, and the counts the leader printed by node id. */
export interface TimedBuild {
  ms: number;
  /** Member names by node id. */
  names: string[];
  counts: number[];
}

export class StormringRing {
  /** Peers still in the DHT when first asked after a teardown-complete (see teardown). */
  lateLeavers = 0;

  private constructor(
    readonly manager: Daemon,
    readonly managerPort: number,
    private readonly peers: Map<string, Daemon>,
    private readonly pports: Map<string, Address>,
    private readonly controlUrls: Map<string, string>,
    private readonly dataDir: string,
    private readonly options: DaemonOptions,
  ) {}

  /** Starts a manager on a fresh state file and one peer per name, each registered. */
  static async start(names: string[], dataDir: string, options: DaemonOptions) {
    const { manager, port } = await startManager(options);
    const ring = new StormringRing(
      manager,
      port,
      new Map(),
      new Map(),
      new Map(),
      dataDir,
      options,
    );
    try {
      for (const name of names) await ring.addPeer(name);
    } catch (error) {
      await ring.stop();
      throw error;
    }
    return ring;
  }

  /**
   * Starts and registers one more peer, with more command-line arguments and environment
   * if given (the environment for faults that only some of the processes should have).
   */
  async addPeer(name: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Daemon> {
    const options = {
      ...this.options,
      args: [...(this.options.args ?? []), ...args],
      env: { ...this.options.env, ...env },
    };
    const peer = startPeer(name, this.managerPort, this.dataDir, options);
    this.peers.set(name, peer);
    // Printed at start, so read before the register's lines move the cursor past it.
    if (args.includes("--control-port")) this.controlUrls.set(name, await controlUrl(peer));
    await register(peer, name);
    // The p-port the peer bound, which the bench's own walker sends to.
    const status = await peer.run("status", /^status: /);
    const match = / p-port ([\d.]+):(\d+)$/.exec(status.at(-1) ?? "");
    if (!match) throw new Error(`${name}: no p-port in ${status.at(-1)}`);
    this.pports.set(name, { ip: match[1] as string, port: Number(match[2]) });
    return peer;
  }

  peer(name: string): Daemon {
    const peer = this.peers.get(name);
    if (peer === undefined) throw new Error(`no peer ${name}`);
    return peer;
  }

  pportOf(name: string): Address {
    return this.pports.get(name) as Address;
  }

  controlUrlOf(name: string): string {
    return this.controlUrls.get(name) as string;
  }

  /** `setup-dht <LEADER> <RING> <YEAR>`, timed to the leader's `total:` line. */
  async setup(): Promise<TimedBuild> {
    const leader = this.peer(LEADER);
    const from = leader.lines.length;
    const lines = await expectSuccess(leader, `setup-dht ${LEADER} ${RING} ${YEAR}`, SETUP_DONE);
    const { names, counts } = ringReport(lines);
    return { ms: sinceCommand(leader, from, TOTAL), names, counts };
  }

  /**
   * Tears the DHT down (untimed) and waits until every peer says it is out of it. A member
   * leaves only once the next one has acknowledged the teardown it handed on, which with
   * loss can be after the leader's teardown-complete; a setup-dht sent before then has its
   * set-id refused by that member and waits for the manager's 30 s timeout.
   */
  async teardown(): Promise<void> {
    await expectSuccess(this.peer(LEADER), `teardown-dht ${LEADER}`, TEARDOWN_DONE);
    for (const [name, peer] of this.peers) {
      for (let tries = 0; ; tries += 1) {
        const lines = await peer.run("status", /^ {2}(not in a DHT|node \d+ of)/);
        if (lines.at(-1)?.includes("not in a DHT")) break;
        if (tries === 0) this.lateLeavers += 1;
        if (tries > 100) throw new Error(`${name} is still in a DHT after the teardown`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  /**
   * `leave-dht` or `join-dht` on `peer`, timed to its `dht-rebuilt ...: SUCCESS` line; the
   * counts are those `leader` printed for the rebuilt ring.
   */
  async churn(command: "leave-dht" | "join-dht", name: string, leader: string) {
    const rebuilder = this.peer(leader);
    rebuilder.mark();
    const leaderFrom = rebuilder.lines.length;
    const peer = this.peer(name);
    const from = peer.lines.length;
    await expectSuccess(peer, `${command} ${name}`, REBUILT, /^dht-rebuilt/);
    const ms = sinceCommand(peer, from, REBUILT);
    await rebuilder.waitFor(TOTAL, STEP_MS);
    const { names, counts } = ringReport(rebuilder.lines.slice(leaderFrom));
    return { ms, names, counts } satisfies TimedBuild;
  }

  /**
   * Kills every daemon. Not SIGTERM: that is a polite exit, each member leaving the DHT and
   * deregistering (and waiting 8 s for a manager stopped with it), seconds of work between
   * rounds that nothing measures and that would load the machine for the next round.
   */
  async stop(): Promise<void> {
    const daemons = [...this.peers.values(), this.manager];
    for (const daemon of daemons) daemon.child.kill("SIGKILL");
    await Promise.all(daemons.map((daemon) => daemon.exited));
  }
}

/**
 * Sends `command` and throws unless the line that ends it (matching `until`, and
 * `outcome` if given) says SUCCESS: a bench must not time a command that failed.
 */
async function expectSuccess(
  daemon: Daemon,
  command: string,
  until: RegExp,
  outcome?: RegExp,
): Promise<string[]> {
  const lines = await daemon.run(command, until, STEP_MS);
  const last = lines.at(-1) ?? "";
  if (!last.endsWith("SUCCESS") || (outcome && !outcome.test(last))) {
    throw new Error(`${daemon.label} ${command}: ${last}`);
  }
  return lines;
}
