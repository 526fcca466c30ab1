/**
 * Manager request/response over UDP (PROTOCOL.md sections 2 and 7). The client
 * retransmits the same datagram with backoff until the reply arrives; the server answers
 * a retransmitted request from a cache instead of acting on it twice.
 *
 * Neither owns the endpoint's datagram handler: the caller routes each datagram with
 * `handle`, so one socket can carry a client, a server and links. The router also applies
 * the Lamport receive rule (`identity.observe(message.clock)`) once per valid datagram.
 */
import { decode, encode } from "../protocol/codec.ts";
import {
  type Datagram,
  isManagerRequest,
  type ManagerRequest,
  type ManagerRequestBody,
  type Reply,
  type ReplyBody,
} from "../protocol/messages.ts";
import { RequestTimeoutError, TransportClosedError } from "./errors.ts";
import type { Identity } from "./identity.ts";
import { type Address, addressKey, type TransportObserver, type UdpEndpoint } from "./udp.ts";

export type RpcClientOptions = {
  /** Wait before the first retransmission; doubles after each one. */
  initialTimeoutMs?: number;
  /** Ceiling of the doubling wait. */
  maxTimeoutMs?: number;
  /** Transmissions (the first one included) before the request fails. */
  maxTries?: number;
  observer?: TransportObserver;
};

type PendingRequest = {
  request: ManagerRequest;
  bytes: Buffer;
  to: Address;
  toKey: string;
  tries: number;
  startedAt: number;
  timer: NodeJS.Timeout | undefined;
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
};

export class RpcClient {
  private readonly initialTimeoutMs: number;
  private readonly maxTimeoutMs: number;
  private readonly maxTries: number;
  private readonly observer: TransportObserver;
  /** Requests waiting for their reply, by request id. */
  private readonly pending = new Map<number, PendingRequest>();
  private closed = false;

  constructor(
    private readonly endpoint: UdpEndpoint,
    private readonly identity: Identity,
    options: RpcClientOptions = {},
  ) {
    this.initialTimeoutMs = options.initialTimeoutMs ?? 200;
    this.maxTimeoutMs = options.maxTimeoutMs ?? 1_000;
    this.maxTries = options.maxTries ?? 10;
    this.observer = options.observer ?? {};
  }

  /** Sends a request and resolves with the reply; rejects with RequestTimeoutError. */
  request(body: ManagerRequestBody, to: Address): Promise<Reply> {
    if (this.closed) return Promise.reject(new TransportClosedError("RPC client is closed"));
    const request = this.identity.stamp(body) as ManagerRequest;
    const bytes = encode(request);
    return new Promise<Reply>((resolve, reject) => {
      const pending: PendingRequest = {
        request,
        bytes,
        to: { ...to },
        toKey: addressKey(to),
        tries: 0,
        startedAt: performance.now(),
        timer: undefined,
        resolve,
        reject,
      };
      this.pending.set(request.id, pending);
      this.transmit(pending);
    });
  }

  /**
   * Consumes replies. One matching a pending request (same id, from the address it was sent
   * to) settles it; any other reply is a late duplicate and is dropped. Returns false for
   * every other message type.
   */
  handle(message: Datagram, from: Address): boolean {
    if (message.type !== "reply") return false;
    this.observer.received?.(message, from);
    const pending = this.pending.get(message.re);
    if (pending !== undefined && pending.toKey === addressKey(from)) {
      this.settle(pending);
      pending.resolve(message);
    }
    return true;
  }

  /** Rejects every pending request and clears its timer. */
  close(): void {
    this.closed = true;
    for (const pending of [...this.pending.values()]) {
      this.settle(pending);
      pending.reject(
        new TransportClosedError(`RPC client closed before ${pending.request.type} was answered`),
      );
    }
  }

  private transmit(pending: PendingRequest): void {
    const retransmission = pending.tries > 0;
    pending.tries += 1;
    this.endpoint.sendBytes(pending.bytes, pending.to);
    this.observer.sent?.(pending.request, pending.to, { retransmission });
    const wait = Math.min(this.initialTimeoutMs * 2 ** (pending.tries - 1), this.maxTimeoutMs);
    pending.timer = setTimeout(() => this.onTimeout(pending), wait);
  }

  private onTimeout(pending: PendingRequest): void {
    pending.timer = undefined;
    if (pending.tries < this.maxTries) {
      this.transmit(pending);
      return;
    }
    this.settle(pending);
    pending.reject(
      new RequestTimeoutError(
        pending.request.type,
        pending.to,
        pending.tries,
        performance.now() - pending.startedAt,
      ),
    );
  }

  /** Every exit path of a request goes through here: timer cleared, entry removed. */
  private settle(pending: PendingRequest): void {
    clearTimeout(pending.timer);
    pending.timer = undefined;
    this.pending.delete(pending.request.id);
  }
}

export type RpcServerOptions = {
  /** How long a reply is kept to answer retransmissions of its request. */
  replyCacheTtlMs?: number;
  /** The most replies kept; the oldest go first. */
  replyCacheMax?: number;
  /** The most replies kept for one source address, so one sender cannot push out the rest. */
  replyCachePerSource?: number;
  observer?: TransportObserver;
  /**
   * Replies given before a restart, by request key (`address/sess/id`), and where each new
   * one is recorded before it is sent, so a retransmission after a restart is not run again.
   */
  replyLog?: ReplyLog;
};

export interface ReplyLog {
  earlier: Iterable<{ request: string; reply: Reply }>;
  record(request: string, reply: Reply): void;
}

export type RequestHandler = (request: ManagerRequest, from: Address) => ReplyBody;

/** Only the bytes: a retransmission is rare, so its reply is decoded again for observers. */
type CachedReply = { source: string; bytes: Buffer; expiresAt: number };

export class RpcServer {
  private readonly replyCacheTtlMs: number;
  private readonly replyCacheMax: number;
  private readonly replyCachePerSource: number;
  private readonly observer: TransportObserver;
  private readonly replyLog: ReplyLog | undefined;
  /**
   * Replies by `address/sess/id` of their request. A Map iterates in insertion order and
   * every entry lives equally long, so the oldest (first to expire) is always first.
   */
  private readonly replies = new Map<string, CachedReply>();
  /** Each source's cached keys, oldest first (the same order as `replies`). */
  private readonly keysBySource = new Map<string, string[]>();

  constructor(
    private readonly endpoint: UdpEndpoint,
    private readonly identity: Identity,
    private readonly handler: RequestHandler,
    options: RpcServerOptions = {},
  ) {
    this.replyCacheTtlMs = options.replyCacheTtlMs ?? 30_000;
    this.replyCacheMax = options.replyCacheMax ?? 10_000;
    this.replyCachePerSource = options.replyCachePerSource ?? 1_000;
    this.observer = options.observer ?? {};
    this.replyLog = options.replyLog;
    const expiresAt = performance.now() + this.replyCacheTtlMs;
    for (const { request, reply } of options.replyLog?.earlier ?? []) {
      this.cache(request, encode(reply), expiresAt);
    }
  }

  /** Consumes manager requests: answers each once, and a retransmission from the cache. */
  handle(message: Datagram, from: Address): boolean {
    if (!isManagerRequest(message)) return false;
    const request = message as ManagerRequest;
    this.observer.received?.(request, from);
    const now = performance.now();
    this.evictExpired(now);
    const key = `${addressKey(from)}/${request.sess}/${request.id}`;
    const cached = this.replies.get(key);
    if (cached !== undefined) {
      this.endpoint.sendBytes(cached.bytes, from);
      const again = this.observer.sent === undefined ? null : decode(cached.bytes);
      if (again?.ok) this.observer.sent?.(again.message, from, { retransmission: true });
      return true;
    }
    const reply = this.identity.stamp({ ...this.handler(request, from), re: request.id }) as Reply;
    const bytes = encode(reply);
    this.replyLog?.record(key, reply);
    this.cache(key, bytes, now + this.replyCacheTtlMs);
    this.endpoint.sendBytes(bytes, from);
    this.observer.sent?.(reply, from, { retransmission: false });
    return true;
  }

  /** How many replies the cache holds (for tests of its bound). */
  get cachedReplies(): number {
    return this.replies.size;
  }

  /** `key` is `address/sess/id`; its source is the address. */
  private cache(key: string, bytes: Buffer, expiresAt: number): void {
    const source = key.slice(0, key.indexOf("/"));
    this.replies.set(key, { source, bytes, expiresAt });
    const keys = this.keysBySource.get(source) ?? [];
    keys.push(key);
    this.keysBySource.set(source, keys);
    if (keys.length > this.replyCachePerSource) this.evict(keys[0] as string);
    if (this.replies.size > this.replyCacheMax)
      this.evict(this.replies.keys().next().value as string);
  }

  private evictExpired(now: number): void {
    for (const [key, cached] of this.replies) {
      if (cached.expiresAt > now) return;
      this.evict(key);
    }
  }

  /** Drops `key`, which is always the oldest of its source. */
  private evict(key: string): void {
    const cached = this.replies.get(key);
    if (cached === undefined) return;
    this.replies.delete(key);
    const keys = this.keysBySource.get(cached.source);
    keys?.shift();
    if (keys?.length === 0) this.keysBySource.delete(cached.source);
  }
}
