/**
 * Watches daemons' control channels (local ones the supervisor started, or remote ones by
 * URL) and keeps one merged model: each daemon's latest snapshot (`daemon-views.ts`) and
 * one bounded timeline of all their events numbered in arrival order (`timeline.ts`).
 * Emits "update" with the new timeline entries (batched per tick) or "state" when a view
 * or the DHT may have changed. A daemon whose channel closes is shown disconnected;
 * nothing reconnects.
 */

import { EventEmitter } from "node:events";
import WebSocket from "ws";
import type { DhtSnapshot } from "../../daemons/src/manager/state.ts";
import type { ServerFrame } from "../../daemons/src/observe/events.ts";
import type { PeerInspection } from "../../daemons/src/observe/inspection.ts";
import type { FaultChange } from "../../daemons/src/transport/faults.ts";
import {
  type Channel,
  type DaemonKind,
  type DaemonView,
  daemonViews,
  dhtOf,
  managerSnapshot,
  registeredPortsOf,
} from "./daemon-views.ts";
import { type CommandResult, type ControlAnswer, PendingCommands } from "./pending-commands.ts";
import { Timeline, type TimelineEntry } from "./timeline.ts";

export type { DaemonEvent } from "../../daemons/src/observe/events.ts";
export type { DaemonView } from "./daemon-views.ts";
export { type CommandResult, CommandTimeoutError } from "./pending-commands.ts";
export type { TimelineEntry } from "./timeline.ts";

export interface AggregatorOptions {
  /** Sent as `Authorization: Bearer` to every daemon. */
  token?: string;
  /** Timeline entries kept (the oldest are dropped); default 20000. */
  timelineLimit?: number;
}

/** What an "update" listener receives: new timeline entries, or "state" (views/dht changed). */
export type AggregatorUpdate = TimelineEntry[] | "state";

interface Connection extends Channel {
  socket: WebSocket;
  pending: PendingCommands;
}

const DEFAULT_TIMELINE_LIMIT = 20_000;
const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;
/** An inspect or a faults change is answered at once; a silent daemon is paused or stuck. */
const DEFAULT_CONTROL_TIMEOUT_MS = 3_000;

export class Aggregator extends EventEmitter {
  private readonly connections = new Map<string, Connection>();
  private readonly entries: Timeline;
  private unsent: TimelineEntry[] = [];
  private lastRequest = 0;

  constructor(private readonly options: AggregatorOptions = {}) {
    super();
    this.entries = new Timeline(options.timelineLimit ?? DEFAULT_TIMELINE_LIMIT);
  }

  /** Connects (replacing any connection of that id); resolves after the first snapshot. */
  attach(daemonId: string, kind: DaemonKind, url: string): Promise<void> {
    this.detach(daemonId);
    const headers = this.options.token ? { authorization: `Bearer ${this.options.token}` } : {};
    const socket = new WebSocket(url, { headers });
    const connection: Connection = {
      id: daemonId,
      kind,
      socket,
      connected: false,
      snapshot: null,
      pending: new PendingCommands(),
    };
    this.connections.set(daemonId, connection);
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        if (this.connections.get(daemonId) === connection) this.connections.delete(daemonId);
        socket.terminate();
        reject(new Error(`cannot attach ${daemonId} at ${url}: ${why}`));
      };
      socket.on("error", (error) => fail(error.message));
      socket.on("message", (data) => {
        const frame = parseFrame(data.toString());
        if (frame === null || this.connections.get(daemonId) !== connection) return;
        this.receive(connection, frame);
        if (frame.type === "snapshot" && !settled) {
          settled = true;
          resolve();
        }
      });
      socket.on("close", () => {
        fail("closed before its snapshot");
        this.disconnected(connection, `${daemonId} disconnected`);
      });
    });
  }

  /** Closes the connection and forgets the daemon; its commands in flight are rejected. */
  detach(daemonId: string): void {
    const connection = this.connections.get(daemonId);
    if (connection === undefined) return;
    this.connections.delete(daemonId);
    this.disconnected(connection, `${daemonId} was detached`);
    connection.socket.close();
    this.emit("update", "state");
  }

  /**
   * Runs a console line on a daemon; resolves with its result once the command finished,
   * rejects with a `CommandTimeoutError` if it did not within `timeoutMs`.
   */
  async command(
    daemonId: string,
    line: string,
    timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
  ): Promise<CommandResult> {
    const answer = await this.request(daemonId, { type: "command", line }, line, timeoutMs);
    if ("inspection" in answer)
      throw new Error(`${daemonId} answered "${line}" with an inspection`);
    return answer;
  }

  /** A peer's counters and table, and whether it holds `eventId` (the `inspect` frame). */
  async inspect(
    daemonId: string,
    eventId: number | null,
    timeoutMs = DEFAULT_CONTROL_TIMEOUT_MS,
  ): Promise<PeerInspection> {
    const frame = { type: "inspect", ...(eventId === null ? {} : { eventId }) };
    const answer = await this.request(daemonId, frame, "inspect", timeoutMs);
    if ("inspection" in answer) return answer.inspection;
    throw new Error(answer.lines.join("; ") || `${daemonId} cannot be inspected`);
  }

  /** Sets a peer's run-time faults (the `faults` frame); resolves with what now holds. */
  async faults(
    daemonId: string,
    change: FaultChange,
    timeoutMs = DEFAULT_CONTROL_TIMEOUT_MS,
  ): Promise<CommandResult> {
    const answer = await this.request(daemonId, { type: "faults", ...change }, "faults", timeoutMs);
    if ("inspection" in answer) throw new Error(`${daemonId} answered faults with an inspection`);
    return answer;
  }

  /** Sends one request frame on a daemon's channel; `what` names it in a timeout. */
  private request(
    daemonId: string,
    frame: { type: string } & Record<string, unknown>,
    what: string,
    timeoutMs: number,
  ): Promise<ControlAnswer> {
    const connection = this.connections.get(daemonId);
    if (connection === undefined) {
      return Promise.reject(new Error(`unknown daemon "${daemonId}"`));
    }
    if (!connection.connected || connection.socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new Error(`daemon "${daemonId}" is not connected`));
    }
    this.lastRequest += 1;
    const requestId = `agg-${this.lastRequest}`;
    const answer = connection.pending.wait(requestId, daemonId, what, timeoutMs);
    connection.socket.send(JSON.stringify({ ...frame, requestId }));
    return answer;
  }

  views(): DaemonView[] {
    return daemonViews([...this.connections.values()]);
  }

  /** Something outside the channels changed (a process started or exited): say "state". */
  processesChanged(): void {
    this.emit("update", "state");
  }

  /** The manager snapshot's `dht`, or null without a manager (or without a DHT). */
  dht(): DhtSnapshot | null {
    return dhtOf(managerSnapshot([...this.connections.values()]));
  }

  /** Every m-port and p-port of a peer the manager has registered (any host), unsorted. */
  registeredPorts(): number[] {
    return registeredPortsOf(managerSnapshot([...this.connections.values()]));
  }

  /** Entries with seq above `after`, at most `limit`; `next` is the `after` to ask next. */
  timeline(after: number, limit: number): { entries: TimelineEntry[]; next: number } {
    return this.entries.page(after, limit);
  }

  async close(): Promise<void> {
    const sockets = [...this.connections.values()].map((connection) => connection.socket);
    for (const id of [...this.connections.keys()]) this.detach(id);
    await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === WebSocket.CLOSED) return resolve();
            socket.once("close", () => resolve());
            // A daemon that does not finish the closing handshake is cut off.
            setTimeout(() => socket.terminate(), 1_000).unref();
          }),
      ),
    );
  }

  private receive(connection: Connection, frame: ServerFrame): void {
    if (frame.type === "snapshot") {
      connection.connected = true;
      connection.snapshot = frame.state;
      this.emit("update", "state");
    } else if (frame.type === "result") {
      const { type: _type, requestId, ...result } = frame;
      connection.pending.settle(String(requestId), result);
    } else if (frame.type === "inspection") {
      connection.pending.settle(String(frame.requestId), { inspection: frame.inspection });
    } else {
      this.record(connection, frame);
    }
  }

  private record(connection: Connection, frame: Extract<ServerFrame, { type: "event" }>): void {
    const entry = this.entries.append(connection.id, frame.at, frame.clock, frame.event);
    if (frame.event.kind === "state") {
      connection.snapshot = frame.event.state;
      this.emit("update", "state");
    }
    // Batched: a store or a walk brings bursts of events in one tick.
    if (this.unsent.length === 0) setImmediate(() => this.flush());
    this.unsent.push(entry);
  }

  private flush(): void {
    const entries = this.unsent;
    this.unsent = [];
    if (entries.length > 0) this.emit("update", entries satisfies AggregatorUpdate);
  }

  private disconnected(connection: Connection, why: string): void {
    const wasConnected = connection.connected;
    connection.connected = false;
    connection.pending.rejectAll(why);
    if (wasConnected) this.emit("update", "state");
  }
}

/** A frame as the daemon sent it; anything unparsable is ignored rather than fatal. */
function parseFrame(text: string): ServerFrame | null {
  try {
    const frame = JSON.parse(text) as ServerFrame;
    return typeof frame === "object" && frame !== null && "type" in frame ? frame : null;
  } catch {
    return null;
  }
}
