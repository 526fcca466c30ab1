/**
 * One configuration of the replication bench: a fresh manager, n members and C free peers
 * (every peer with a control channel), the DHT set up with the configuration's options.
 * The free peers are the clients, driven through their control channels; the members'
 * channels are opened only to read their copies once the load is over, so no member
 * builds events for an observer while it is being measured.
 * The members may be started with an environment of their own (STORMRING_FAULTS) that the
 * clients and the manager do not get.
 */

import { holdersOf } from "../../daemons/src/data/placement.ts";
import { ControlClient } from "../../daemons/test/integration/control-client.ts";
import type { Copy } from "../../daemons/test/support/history-checker.ts";
import { ownerIn } from "../../daemons/test/support/independent.ts";
import { SHELBY_TORNADO } from "../../daemons/test/support/sample-record.ts";
import { checkCounts, peerName, YEAR } from "./scenario.ts";
import { StormringRing } from "./stormring-ring.ts";

/** null: the assignment's DHT, set up with no options (read-only). */
export type Replication = { replicas: number; consistency: "chain" | "eventual" } | null;

export interface RingConfig {
  ringSize: number;
  replication: Replication;
}

/** A free peer that runs commands, one at a time, over its control channel. */
export interface Client {
  name: string;
  control: ControlClient;
}

const SETUP_DONE = /^dht-complete \w+: |: FAILURE|refused/;
const COUNTS_CHECKED = /^counts match the hashing|^WARNING: counts differ/;
const MEMBER_LINE = /^node (\d+) \((\w+)\): (\d+) records(?: \((\d+) primary, \d+ copies\))?$/;
const STEP_MS = 60_000;
const CONTROL_PORT = ["--control-port", "0"];

/** Shelby's tornado re-keyed as `eventId`, with `torFScale` as its last field. */
export const recordLine = (eventId: number, torFScale = SHELBY_TORNADO[13]): string =>
  [String(eventId), ...SHELBY_TORNADO.slice(1, 13), torFScale].join(",");

/** The options setup-dht is given for a configuration. */
export const setupOptions = (replication: Replication): string =>
  replication === null
    ? ""
    : ` replicas=${replication.replicas} consistency=${replication.consistency}`;

export class ReplicatedRing {
  /** Member names by node id, from the leader's count lines. */
  readonly members: string[] = [];
  /** The peers the manager left out of the ring, connected once the setup is done. */
  readonly clients: Client[] = [];
  private readonly memberControls = new Map<string, ControlClient>();

  private constructor(
    readonly config: RingConfig,
    private readonly processes: StormringRing,
    private readonly clientNames: string[],
  ) {}

  /**
   * Starts the manager and only the n peers that will be the members: the manager picks a
   * new DHT's members at random among the free peers, so with no others registered it has
   * no choice, and `memberEnv` reaches every member and no client. The clients are started
   * once the setup is done (see setup).
   */
  static async start(
    config: RingConfig,
    clientCount: number,
    dataDir: string,
    memberEnv: NodeJS.ProcessEnv = {},
  ) {
    const processes = await StormringRing.start([], dataDir, {});
    const clientNames = Array.from({ length: clientCount }, (_, i) =>
      peerName(config.ringSize + i),
    );
    try {
      for (let i = 0; i < config.ringSize; i += 1) {
        await processes.addPeer(peerName(i), CONTROL_PORT, memberEnv);
      }
    } catch (error) {
      await processes.stop();
      throw error;
    }
    return new ReplicatedRing(config, processes, clientNames);
  }

  /**
   * Sets the DHT up from the first peer and checks the build: the primaries per node
   * against the independent hashing, and the leader's own check of the copies. Then the
   * clients are started (free peers, without the members' environment) and connected.
   * Returns how long the setup took, from the command to the leader's check line.
   */
  async setup(eventIds: number[]): Promise<number> {
    const { ringSize, replication } = this.config;
    const leaderName = peerName(0);
    const leader = this.processes.peer(leaderName);
    const from = leader.lines.length;
    const command = `setup-dht ${leaderName} ${ringSize} ${YEAR}${setupOptions(replication)}`;
    const ended = await leader.run(command, SETUP_DONE, STEP_MS);
    if (!ended.at(-1)?.endsWith("SUCCESS")) throw new Error(`${command}: ${ended.at(-1)}`);
    // The count round may end before or after dht-complete: look from the command on.
    const checkedAt = () => leader.lines.findIndex((l, i) => i >= from && COUNTS_CHECKED.test(l));
    if (checkedAt() < 0) await leader.waitFor(COUNTS_CHECKED, STEP_MS);
    const ms = (leader.times[checkedAt()] as number) - leader.lastSentAt;
    const lines = leader.lines.slice(from, checkedAt() + 1);
    if (!lines.includes("counts match the hashing")) {
      throw new Error(`${command}: ${lines.at(-1)}`);
    }
    const primaries: number[] = [];
    for (const line of lines) {
      const match = MEMBER_LINE.exec(line);
      if (!match) continue;
      this.members[Number(match[1])] = match[2] as string;
      primaries[Number(match[1])] = Number(match[4] ?? match[3]);
    }
    checkCounts(command, primaries, eventIds, ringSize);
    for (const name of this.clientNames) {
      await this.processes.addPeer(name, CONTROL_PORT);
      const control = await ControlClient.connect(this.processes.controlUrlOf(name));
      await control.waitFor((frame) => frame.type === "snapshot");
      this.clients.push({ name, control });
    }
    return ms;
  }

  /**
   * Every holder's copy of each key (null where a holder has none), read through the
   * holders' control channels: the record's primary and the k - 1 nodes to its right.
   */
  async copiesOf(keys: number[], eventIds: number[]): Promise<Map<number, Copy[]>> {
    const { ringSize, replication } = this.config;
    const copies = new Map<number, Copy[]>();
    for (const key of keys) {
      const primary = ownerIn(eventIds, key, ringSize);
      const holders = holdersOf(primary, replication?.replicas ?? 1, ringSize);
      const values: Copy[] = [];
      for (const nodeId of holders) {
        const holder = this.members[nodeId] as string;
        const { lookup } = await (await this.memberControl(holder)).inspect(key);
        values.push({ holder, value: lookup?.held ? (lookup.record?.[13] ?? "") : null });
      }
      copies.set(key, values);
    }
    return copies;
  }

  /** Kills every daemon (as the other benches do between rounds: nothing polite to wait for). */
  async stop(): Promise<void> {
    for (const client of this.clients) client.control.close();
    for (const control of this.memberControls.values()) control.close();
    await this.processes.stop();
  }

  private async memberControl(name: string): Promise<ControlClient> {
    let control = this.memberControls.get(name);
    if (control === undefined) {
      control = await ControlClient.connect(this.processes.controlUrlOf(name));
      this.memberControls.set(name, control);
    }
    return control;
  }
}
