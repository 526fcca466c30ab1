/**
 * `GET /api/live`: pushes `{type:"state", state}` and `{type:"timeline", entries}` to
 * browsers. Aggregator "update"s are coalesced: a flush happens at most once per 50 ms
 * window, sends the state only if it changed and the timeline entries since the last
 * flush, and a flush that sent k messages holds the next one back k windows, so no client
 * gets more than about 20 messages a second however busy the daemons are.
 */
import type { Aggregator, TimelineEntry } from "./aggregator.ts";
import type { ApiState } from "./state.ts";

export const LIVE_WINDOW_MS = 50;
const PAGE = 1000;

/** The aggregator's "update" event (EventEmitter), whatever it carries. */
export interface UpdateSource {
  on(event: "update", listener: () => void): unknown;
  off(event: "update", listener: () => void): unknown;
}

export type LiveAggregator = Pick<Aggregator, "timeline"> & UpdateSource;

export interface LiveSocket {
  readonly readyState: number;
  send(data: string): void;
  on(event: "close", listener: () => void): unknown;
}

/**
 * `seq` of a state: the newest timeline entry sent when it was taken, so a page that is
 * still receiving the entries before it (a first connect, a reconnect) knows from which
 * point of its log on the state holds.
 */
export type LiveMessage =
  | { type: "state"; state: ApiState; seq: number }
  | { type: "timeline"; entries: TimelineEntry[] };

const OPEN = 1;

export class LiveHub {
  private readonly clients = new Set<LiveSocket>();
  private timer: NodeJS.Timeout | null = null;
  private notBefore = 0;
  private cursor: number;
  private lastState = "";
  private readonly onUpdate = () => this.schedule();

  constructor(
    private readonly aggregator: LiveAggregator,
    private readonly currentState: () => ApiState,
  ) {
    this.cursor = this.lastSeq();
    this.aggregator.on("update", this.onUpdate);
  }

  /** Greets a new client with the state and, if asked, the timeline after `after`. */
  add(socket: LiveSocket, after: number | undefined): void {
    this.clients.add(socket);
    socket.on("close", () => this.clients.delete(socket));
    const state = this.currentState();
    sendTo(socket, { type: "state", state, seq: this.cursor });
    if (after !== undefined && after < this.cursor) {
      const entries = this.entriesBetween(after, this.cursor);
      if (entries.length > 0) sendTo(socket, { type: "timeline", entries });
    }
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    this.aggregator.off("update", this.onUpdate);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.clients.clear();
  }

  private schedule(): void {
    if (this.timer !== null) return;
    const delay = Math.max(LIVE_WINDOW_MS, this.notBefore - Date.now());
    this.timer = setTimeout(() => this.flush(), delay);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = null;
    const messages: LiveMessage[] = [];
    const entries = this.entriesBetween(this.cursor, Number.POSITIVE_INFINITY);
    const last = entries.at(-1);
    if (last !== undefined) this.cursor = last.seq;
    const state = this.currentState();
    const stateJson = JSON.stringify(state);
    if (stateJson !== this.lastState) {
      this.lastState = stateJson;
      messages.push({ type: "state", state, seq: this.cursor });
    }
    if (entries.length > 0) messages.push({ type: "timeline", entries });
    for (const message of messages) {
      const data = JSON.stringify(message);
      for (const socket of this.clients) if (socket.readyState === OPEN) socket.send(data);
    }
    this.notBefore = Date.now() + LIVE_WINDOW_MS * messages.length;
  }

  private entriesBetween(after: number, upTo: number): TimelineEntry[] {
    const entries: TimelineEntry[] = [];
    let from = after;
    for (;;) {
      const page = this.aggregator.timeline(from, PAGE);
      entries.push(...page.entries.filter((entry) => entry.seq <= upTo));
      const last = page.entries.at(-1);
      if (last === undefined || page.entries.length < PAGE || last.seq >= upTo) return entries;
      from = page.next;
    }
  }

  private lastSeq(): number {
    const entries = this.entriesBetween(0, Number.POSITIVE_INFINITY);
    return entries.at(-1)?.seq ?? 0;
  }
}

function sendTo(socket: LiveSocket, message: LiveMessage): void {
  if (socket.readyState === OPEN) socket.send(JSON.stringify(message));
}
