/**
 * The control channel's WebSocket server (PROTOCOL.md section 8): a snapshot on connect,
 * then every published event with an increasing `seq`; command frames run as console lines.
 * A request carrying a browser Origin not in the allowed list is refused with 403; when a
 * token is set, a request without it (`?token=` or `Authorization: Bearer`) gets 401.
 */

import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { type WebSocket, WebSocketServer } from "ws";
import {
  type DaemonSnapshot,
  type FaultsFrame,
  parseClientFrame,
  type ServerFrame,
} from "../observe/events.ts";
import type { EventListener } from "../observe/hub.ts";
import type { PeerInspection } from "../observe/inspection.ts";
import type { CommandResult } from "../peer/runtime.ts";
import { messageOf } from "../support/errors.ts";
import type { FaultChange } from "../transport/faults.ts";

/** The daemon as the channel sees it; a peer also answers `inspect` and takes `faults`. */
export interface ControlSource {
  snapshot(): DaemonSnapshot;
  observe(listener: EventListener): () => void;
  command(line: string): Promise<CommandResult>;
  inspect?(eventId: number | null): PeerInspection;
  /** Throws an Error saying why a change cannot be made. */
  faults?(change: FaultChange): string[];
}

export interface ControlServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Required of every client when set. */
  token?: string | null;
  /** Origins allowed; a request with any other Origin header is refused. */
  origins?: readonly string[];
  source: ControlSource;
}

/** A client this far behind is disconnected rather than buffered without end. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const MAX_FRAME_BYTES = 64 * 1024;

export class ControlServer {
  private seq = 0;
  private readonly unsubscribe: () => void;

  private constructor(
    private readonly server: WebSocketServer,
    private readonly source: ControlSource,
  ) {
    server.on("connection", (socket) => this.accept(socket));
    this.unsubscribe = source.observe((published) => {
      if (server.clients.size === 0) return;
      this.seq += 1;
      const text = JSON.stringify({ type: "event", seq: this.seq, ...published });
      for (const client of server.clients) sendText(client, text);
    });
  }

  static start(options: ControlServerOptions): Promise<ControlServer> {
    const origins = new Set(options.origins ?? []);
    const token = options.token ? digest(options.token) : null;
    return new Promise((resolve, reject) => {
      const server = new WebSocketServer({
        host: options.host,
        port: options.port,
        maxPayload: MAX_FRAME_BYTES,
        verifyClient: ({ req }, done) => {
          const origin = req.headers.origin;
          if (origin !== undefined && !origins.has(origin)) done(false, 403, "Origin not allowed");
          else if (token !== null && !tokenMatches(req, token)) done(false, 401, "Token required");
          else done(true);
        },
      });
      server.once("error", reject);
      server.once("listening", () => {
        server.off("error", reject);
        // Errors of the listening socket after start are not fatal to the daemon.
        server.on("error", () => {});
        resolve(new ControlServer(server, options.source));
      });
    });
  }

  /** The address actually bound, e.g. `ws://127.0.0.1:8123`. */
  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === "string") return String(address);
    return `ws://${address.address}:${address.port}`;
  }

  close(): Promise<void> {
    this.unsubscribe();
    for (const client of this.server.clients) client.close(1001, "daemon exiting");
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      // Clients that do not finish the closing handshake promptly are cut off.
      setTimeout(() => {
        for (const client of this.server.clients) client.terminate();
      }, 500).unref();
    });
  }

  private accept(socket: WebSocket): void {
    socket.on("error", () => socket.terminate());
    this.send(socket, { type: "snapshot", ...this.source.snapshot() });
    socket.on("message", (data, isBinary) => {
      if (isBinary) {
        this.send(socket, { type: "result", requestId: null, ok: false, lines: ["binary frame"] });
        return;
      }
      void this.handle(socket, data.toString());
    });
  }

  private async handle(socket: WebSocket, text: string): Promise<void> {
    const parsed = parseClientFrame(text);
    if (parsed.kind === "malformed") {
      const { requestId, error } = parsed;
      this.send(socket, { type: "result", requestId, ok: false, lines: [`error: ${error}`] });
      return;
    }
    const { requestId } = parsed.frame;
    try {
      if (parsed.kind === "inspect") {
        const inspection = this.source.inspect?.(parsed.frame.eventId ?? null);
        if (inspection === undefined) throw new Error("this daemon cannot be inspected");
        this.send(socket, { type: "inspection", requestId, inspection });
      } else if (parsed.kind === "faults") {
        const lines = this.source.faults?.(faultChangeOf(parsed.frame));
        if (lines === undefined) throw new Error("this daemon takes no run-time faults");
        this.send(socket, { type: "result", requestId, ok: true, lines });
      } else {
        const result = await this.source.command(parsed.frame.line);
        this.send(socket, { type: "result", requestId, ...result });
      }
    } catch (error) {
      const why = messageOf(error);
      this.send(socket, { type: "result", requestId, ok: false, lines: [`error: ${why}`] });
    }
  }

  private send(socket: WebSocket, frame: ServerFrame): void {
    sendText(socket, JSON.stringify(frame));
  }
}

function faultChangeOf({ loss, dropNext }: FaultsFrame): FaultChange {
  return {
    ...(loss === undefined ? {} : { loss }),
    ...(dropNext === undefined ? {} : { dropNext }),
  };
}

function sendText(socket: WebSocket, text: string): void {
  if (socket.readyState !== socket.OPEN) return;
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.terminate();
    return;
  }
  socket.send(text);
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function tokenMatches(req: IncomingMessage, expected: Buffer): boolean {
  const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const query = new URL(req.url ?? "/", "http://control").searchParams.get("token");
  const given = bearer ?? query;
  return given !== undefined && given !== null && timingSafeEqual(digest(given), expected);
}
