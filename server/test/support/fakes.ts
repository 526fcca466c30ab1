/**
 * Small in-memory stand-ins for the Supervisor and the Aggregator, implementing what the
 * app uses of them, for app.inject tests without processes or sockets.
 */

import { EventEmitter } from "node:events";
import type { DhtSnapshot } from "../../../daemons/src/manager/state.ts";
import type { PeerInspection } from "../../../daemons/src/observe/inspection.ts";
import type { PeerSnapshot } from "../../../daemons/src/peer/snapshot.ts";
import type { FaultChange } from "../../../daemons/src/transport/faults.ts";
import { peerSnapshot as fixtureSnapshot } from "../../../web/test/support/fixtures.ts";
import type { CommandResult, DaemonView, TimelineEntry } from "../../src/aggregator.ts";
import type { AppAggregator, AppSupervisor } from "../../src/app.ts";
import type { DaemonSignal, SupervisedDaemon } from "../../src/supervisor.ts";

/** What the fakes were closed by, in order ("aggregator", "supervisor"). */
export type CloseLog = string[];

export class FakeSupervisor implements AppSupervisor {
  readonly daemons = new Map<string, SupervisedDaemon>();
  private nextPeer = 1;
  failNextStart: string | null = null;
  /** Every signal sent, as [id, signal]. */
  readonly signals: [string, DaemonSignal][] = [];
  /** Every daemon restarted, by id. */
  readonly restarted: string[] = [];

  constructor(private readonly closeLog: CloseLog = []) {}

  add(id: string, kind: "manager" | "peer", fields: Partial<SupervisedDaemon> = {}) {
    const daemon: SupervisedDaemon = {
      id,
      kind,
      pid: 1000 + this.daemons.size,
      alive: true,
      paused: false,
      exitCode: null,
      signal: null,
      ended: null,
      controlUrl: `ws://127.0.0.1:${7000 + this.daemons.size}`,
      managerPort: 5000,
      lastOutput: [],
      ...fields,
    };
    this.daemons.set(id, daemon);
    return daemon;
  }

  async startPeer(): Promise<SupervisedDaemon> {
    if (this.failNextStart !== null) {
      const why = this.failNextStart;
      this.failNextStart = null;
      throw new Error(why);
    }
    while (this.daemons.has(`peer-${this.nextPeer}`)) this.nextPeer += 1;
    return this.add(`peer-${this.nextPeer}`, "peer");
  }

  list(): SupervisedDaemon[] {
    return [...this.daemons.values()];
  }

  /** As the real one: KILL ends the daemon as crashed; false if it is not running. */
  signal(id: string, signal: DaemonSignal): boolean {
    const daemon = this.daemons.get(id);
    if (daemon === undefined || !daemon.alive) return false;
    this.signals.push([id, signal]);
    if (signal === "KILL") {
      Object.assign(daemon, { alive: false, exitCode: null, signal: "SIGKILL", ended: "crashed" });
    }
    if (signal === "STOP" || signal === "CONT") daemon.paused = signal === "STOP";
    return true;
  }

  /** A fresh daemon of the same id and kind, with a new pid and control URL. */
  async restart(id: string): Promise<SupervisedDaemon> {
    const daemon = this.daemons.get(id);
    if (daemon === undefined) throw new Error(`no daemon "${id}"`);
    if (this.failNextStart !== null) {
      const why = this.failNextStart;
      this.failNextStart = null;
      throw new Error(why);
    }
    this.restarted.push(id);
    const fresh = {
      ...daemon,
      pid: (daemon.pid ?? 0) + 100,
      alive: true,
      paused: false,
      exitCode: null,
      signal: null,
      ended: null,
      controlUrl: `ws://127.0.0.1:${8000 + this.restarted.length}`,
    };
    this.daemons.set(id, fresh);
    return fresh;
  }

  get(id: string): SupervisedDaemon | undefined {
    return this.daemons.get(id);
  }

  async stopAll(): Promise<void> {
    this.closeLog.push("supervisor");
  }
}

export type CommandHandler = (
  daemonId: string,
  line: string,
  timeoutMs?: number,
) => Promise<CommandResult>;

export class FakeAggregator extends EventEmitter implements AppAggregator {
  readonly viewsById = new Map<string, DaemonView>();
  readonly entries: TimelineEntry[] = [];
  readonly commands: { daemonId: string; line: string; timeoutMs?: number }[] = [];
  dhtValue: DhtSnapshot | null = null;
  onCommand: CommandHandler = async (_id, line) => ({ ok: true, lines: [`ran ${line}`] });
  /** Every inspect and faults request, as [id, what was asked]. */
  readonly controls: [string, unknown][] = [];
  onInspect: (daemonId: string, eventId: number | null) => Promise<PeerInspection> = async (
    _id,
    eventId,
  ) => ({
    clock: 7,
    counters: {
      sent: 3,
      received: 2,
      retransmitted: 1,
      duplicatesDropped: 0,
      malformedDropped: 0,
      refusedDropped: 0,
    },
    table: null,
    lookup: eventId === null ? null : { eventId, held: false },
  });

  constructor(private readonly closeLog: CloseLog = []) {
    super();
  }

  async attach(daemonId: string, kind: "manager" | "peer", _url: string): Promise<void> {
    this.viewsById.set(daemonId, { id: daemonId, kind, connected: true, snapshot: null });
  }

  command(daemonId: string, line: string, timeoutMs?: number) {
    this.commands.push({ daemonId, line, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    return this.onCommand(daemonId, line, timeoutMs);
  }

  inspect(daemonId: string, eventId: number | null): Promise<PeerInspection> {
    this.controls.push([daemonId, { inspect: eventId }]);
    return this.onInspect(daemonId, eventId);
  }

  async faults(daemonId: string, change: FaultChange): Promise<CommandResult> {
    this.controls.push([daemonId, change]);
    return { ok: true, lines: [`faults ${JSON.stringify(change)}`] };
  }

  views(): DaemonView[] {
    return [...this.viewsById.values()];
  }

  dht(): DhtSnapshot | null {
    return this.dhtValue;
  }

  /** As the real one: the m-ports and p-ports in the manager view's snapshot `peers`. */
  registeredPorts(): number[] {
    const snapshot = this.viewsById.get("manager")?.snapshot ?? null;
    return snapshot !== null && "peers" in snapshot
      ? snapshot.peers.flatMap((peer) => [peer.mport, peer.pport])
      : [];
  }

  timeline(after: number, limit: number): { entries: TimelineEntry[]; next: number } {
    const entries = this.entries.filter((entry) => entry.seq > after).slice(0, limit);
    return { entries, next: entries.at(-1)?.seq ?? after };
  }

  async close(): Promise<void> {
    this.closeLog.push("aggregator");
  }

  /** Appends an event to the timeline and announces it as the real aggregator would. */
  push(daemonId: string, line: string): TimelineEntry {
    const seq = this.entries.length + 1;
    const entry: TimelineEntry = {
      seq,
      daemonId,
      at: Date.now(),
      clock: seq,
      event: { kind: "console", line },
    };
    this.entries.push(entry);
    this.emit("update");
    return entry;
  }
}

/** A manager and two peers, one registered, all attached; `closed` logs what was closed. */
export async function fakeRing() {
  const closed: CloseLog = [];
  const supervisor = new FakeSupervisor(closed);
  const aggregator = new FakeAggregator(closed);
  for (const [id, kind] of [
    ["manager", "manager"],
    ["peer-1", "peer"],
    ["peer-2", "peer"],
  ] as const) {
    const daemon = supervisor.add(id, kind);
    await aggregator.attach(id, kind, daemon.controlUrl ?? "");
  }
  const registered = aggregator.viewsById.get("peer-1");
  if (registered) Object.assign(registered, { name: "alpha", state: "registered" });
  return { supervisor, aggregator, closed };
}

/** A free, registered peer's snapshot, with `fields` changed. */
export const peerSnapshot = (fields: Partial<PeerSnapshot> = {}): PeerSnapshot =>
  fixtureSnapshot("alpha", fields);
