/**
 * Watches daemons' control channels (local ones the supervisor started, or remote ones by
 * URL) and keeps one merged model: each daemon's latest snapshot, one bounded timeline of
 * all their events numbered in arrival order, and the answered queries. Emits "update"
 * with the new timeline entries (batched per tick) or "state" when a view or the DHT may
 * have changed. A daemon whose channel closes is shown disconnected; nothing reconnects.
 */
import { EventEmitter } from "node:events";
import WebSocket from "ws";
import type { DaemonEvent, ServerFrame } from "../../daemons/src/control/events.ts";

export type { DaemonEvent } from "../../daemons/src/control/events.ts";

export interface AggregatorOptions {
  /** Sent as `Authorization: Bearer` to every daemon. */
  token?: string;
  /** Timeline entries kept (the oldest are dropped); default 20000. */
  timelineLimit?: number;
}

export interface TimelineEntry {
  /** Global, from 1, in the order the aggregator received the events. */
  seq: number;
  daemonId: string;
  at: number;
  clock: number;
  event: DaemonEvent;
}

/** What an "update" listener receives: new timeline entries, or "state" (views/dht changed). */
export type AggregatorUpdate = TimelineEntry[] | "state";

export interface DaemonView {
  id: string;
  kind: "manager" | "peer";
  connected: boolean;
  /** A peer's registered name, from its own snapshot. */
  name?: string;
  /** A peer's Free | Leader | InDHT from the manager's snapshot, or "unregistered". */
  state?: string;
  snapshot: unknown;
}

export interface QuerySummary {
  daemonId: string;
  eventId: number;
  found: boolean;
  idSeq: number[];
}

interface CommandResult {
  ok: boolean;
  lines: string[];
}

interface PendingCommand {
  resolve: (result: CommandResult) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Connection {
  id: string;
  kind: "manager" | "peer";
  socket: WebSocket;
  connected: boolean;
  snapshot: unknown;
  pending: Map<string, PendingCommand>;
}

const DEFAULT_TIMELINE_LIMIT = 20_000;
const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;
const QUERY_LIMIT = 1_000;

export class Aggregator extends EventEmitter {
  private readonly connections = new Map<string, Connection>();
  private readonly limit: number;
  /** Entries from index `start` on are live; the dead prefix is cut in chunks (amortised). */
  private entries: TimelineEntry[] = [];
  private start = 0;
  private lastSeq = 0;
  private unsent: TimelineEntry[] = [];
  private readonly answered: QuerySummary[] = [];
  private lastRequest = 0;

  constructor(private readonly options: AggregatorOptions = {}) {
    super();
    this.limit = Math.max(1, options.timelineLimit ?? DEFAULT_TIMELINE_LIMIT);
  }

  /** Connects (replacing any connection of that id); resolves after the first snapshot. */
  attach(daemonId: string, kind: "manager" | "peer", url: string): Promise<void> {
    this.detach(daemonId);
    const headers = this.options.token ? { authorization: `Bearer ${this.options.token}` } : {};
    const socket = new WebSocket(url, { headers });
    const connection: Connection = {
      id: daemonId,
      kind,
      socket,
      connected: false,
      snapshot: null,
      pending: new Map(),
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

  /** Runs a console line on a daemon; resolves with its result once the command finished. */
  command(
    daemonId: string,
    line: string,
    timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
  ): Promise<CommandResult> {
    const connection = this.connections.get(daemonId);
    if (connection === undefined) {
      return Promise.reject(new Error(`unknown daemon "${daemonId}"`));
    }
    if (!connection.connected || connection.socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new Error(`daemon "${daemonId}" is not connected`));
    }
    this.lastRequest += 1;
    const requestId = `agg-${this.lastRequest}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        connection.pending.delete(requestId);
        reject(new Error(`"${line}" on ${daemonId} got no result within ${timeoutMs} ms`));
      }, timeoutMs);
      connection.pending.set(requestId, { resolve, reject, timer });
      connection.socket.send(JSON.stringify({ type: "command", requestId, line }));
    });
  }

  views(): DaemonView[] {
    const registered = this.registeredStates();
    return [...this.connections.values()].map((connection) => {
      const view: DaemonView = {
        id: connection.id,
        kind: connection.kind,
        connected: connection.connected,
        snapshot: connection.snapshot,
      };
      if (connection.kind === "peer") {
        const name = field(connection.snapshot, "name");
        if (typeof name === "string") view.name = name;
        view.state = (typeof name === "string" && registered.get(name)) || "unregistered";
      }
      return view;
    });
  }

  /** Something outside the channels changed (a process started or exited): say "state". */
  processesChanged(): void {
    this.emit("update", "state");
  }

  /** The manager snapshot's `dht`, or null without a manager (or without a DHT). */
  dht(): unknown | null {
    return field(this.managerSnapshot(), "dht") ?? null;
  }

  /** Every m-port and p-port of a peer the manager has registered (any host), unsorted. */
  registeredPorts(): number[] {
    const peers = field(this.managerSnapshot(), "peers");
    if (!Array.isArray(peers)) return [];
    return peers
      .flatMap((peer) => [field(peer, "mport"), field(peer, "pport")])
      .filter((port): port is number => typeof port === "number");
  }

  /** Entries with seq above `after`, at most `limit`; `next` is the `after` to ask next. */
  timeline(after: number, limit: number): { entries: TimelineEntry[]; next: number } {
    const first = this.entries[this.start]?.seq ?? this.lastSeq + 1;
    const from = this.start + Math.max(0, after + 1 - first);
    const entries = this.entries.slice(from, from + Math.max(0, limit));
    return { entries, next: entries.at(-1)?.seq ?? Math.min(after, this.lastSeq) };
  }

  /** Answers received by the asking peer, oldest first (the last 1000). */
  queries(): QuerySummary[] {
    return this.answered.map((query) => ({ ...query, idSeq: [...query.idSeq] }));
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
      const pending = connection.pending.get(String(frame.requestId));
      if (pending === undefined) return;
      connection.pending.delete(String(frame.requestId));
      clearTimeout(pending.timer);
      pending.resolve({ ok: frame.ok, lines: frame.lines });
    } else {
      this.record(connection, frame);
    }
  }

  private record(connection: Connection, frame: Extract<ServerFrame, { type: "event" }>): void {
    const { at, clock, event } = frame;
    this.lastSeq += 1;
    const entry: TimelineEntry = { seq: this.lastSeq, daemonId: connection.id, at, clock, event };
    this.entries.push(entry);
    if (this.entries.length - this.start > this.limit) this.start += 1;
    if (this.start >= this.limit) {
      this.entries = this.entries.slice(this.start);
      this.start = 0;
    }
    if (event.kind === "state") {
      connection.snapshot = event.state;
      this.emit("update", "state");
    }
    if (event.kind === "query-result" && event.direction === "received") {
      const { eventId, found, idSeq } = event;
      this.answered.push({ daemonId: connection.id, eventId, found, idSeq: [...idSeq] });
      if (this.answered.length > QUERY_LIMIT) this.answered.shift();
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
    for (const [requestId, pending] of connection.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`${why} before request ${requestId} finished`));
    }
    connection.pending.clear();
    if (wasConnected) this.emit("update", "state");
  }

  private managerSnapshot(): unknown {
    const managers = [...this.connections.values()].filter((each) => each.kind === "manager");
    return (managers.find((each) => each.connected) ?? managers[0])?.snapshot ?? null;
  }

  /** Registered peer name to its state, from the manager's snapshot. */
  private registeredStates(): Map<string, string> {
    const states = new Map<string, string>();
    const peers = field(this.managerSnapshot(), "peers");
    if (!Array.isArray(peers)) return states;
    for (const peer of peers) {
      const name = field(peer, "name");
      const state = field(peer, "state");
      if (typeof name === "string" && typeof state === "string") states.set(name, state);
    }
    return states;
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
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
