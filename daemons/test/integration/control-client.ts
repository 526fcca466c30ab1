/**
 * A test client of the control channel: records every frame, waits for frames matching a
 * predicate, and sends commands, answering with their result frame.
 */
import WebSocket from "ws";
import type { Daemon } from "../../demo/processes.ts";
import type { DaemonEvent, ServerFrame } from "../../src/observe/events.ts";
import type { PeerInspection } from "../../src/observe/inspection.ts";

export type EventFrame = Extract<ServerFrame, { type: "event" }>;
export type ResultFrame = Extract<ServerFrame, { type: "result" }>;

/** The control channel URL a daemon printed. */
export async function controlUrl(daemon: Daemon): Promise<string> {
  const line = await daemon.waitFor(/^control channel on ws:\/\/\S+$/);
  return line.slice("control channel on ".length);
}

export class ControlClient {
  readonly frames: ServerFrame[] = [];
  private readonly waiters = new Set<() => void>();
  private lastRequest = 0;

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      this.frames.push(JSON.parse(data.toString()) as ServerFrame);
      for (const wake of [...this.waiters]) wake();
    });
  }

  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<ControlClient> {
    const socket = new WebSocket(url, options);
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(new ControlClient(socket)));
      socket.once("error", reject);
    });
  }

  /** Resolves with the HTTP status a refused handshake got. */
  static refusal(url: string, options: WebSocket.ClientOptions = {}): Promise<number> {
    const socket = new WebSocket(url, options);
    return new Promise((resolve, reject) => {
      socket.once("unexpected-response", (_request, response) => {
        resolve(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.once("open", () => {
        socket.close();
        reject(new Error("the connection was accepted"));
      });
      socket.once("error", () => {});
    });
  }

  get events(): EventFrame[] {
    return this.frames.filter((frame): frame is EventFrame => frame.type === "event");
  }

  eventsOf<K extends DaemonEvent["kind"]>(kind: K): Extract<DaemonEvent, { kind: K }>[] {
    return this.events
      .map((frame) => frame.event)
      .filter((event): event is Extract<DaemonEvent, { kind: K }> => event.kind === kind);
  }

  async waitFor<F extends ServerFrame>(
    match: (frame: ServerFrame) => frame is F,
    timeoutMs?: number,
  ): Promise<F>;
  async waitFor(match: (frame: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>;
  async waitFor(match: (frame: ServerFrame) => boolean, timeoutMs = 30_000): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    let from = 0;
    for (;;) {
      const found = this.frames.slice(from).find(match);
      if (found !== undefined) return found;
      from = this.frames.length;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, remaining);
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

  /** Sends a raw text frame. */
  sendText(text: string): void {
    this.socket.send(text);
  }

  /** Runs a console line over the channel; resolves with its result frame. */
  command(line: string, timeoutMs?: number): Promise<ResultFrame> {
    this.lastRequest += 1;
    const requestId = `r${this.lastRequest}`;
    this.socket.send(JSON.stringify({ type: "command", requestId, line }));
    return this.waitFor(
      (frame): frame is ResultFrame => frame.type === "result" && frame.requestId === requestId,
      timeoutMs,
    );
  }

  /** Asks a peer what a node inspector shows, and whether (and how) it holds `eventId`. */
  async inspect(eventId?: number): Promise<PeerInspection> {
    this.lastRequest += 1;
    const requestId = `r${this.lastRequest}`;
    this.socket.send(JSON.stringify({ type: "inspect", requestId, eventId }));
    const frame = await this.waitFor(
      (each) => each.type === "inspection" && each.requestId === requestId,
    );
    return (frame as Extract<ServerFrame, { type: "inspection" }>).inspection;
  }

  close(): void {
    this.socket.close();
  }
}
