/**
 * Ordered reliable links between peers' p-ports (PROTOCOL.md section 7): one outgoing
 * link per remote address, one incoming link per remote address, cumulative plus
 * selective acks coalesced to one per link per event-loop turn. A teardown or a count
 * barrier therefore never overtakes the stores sent before it.
 *
 * Like the RPC classes, the endpoint does not own the socket's datagram handler: the
 * caller routes datagrams to `handle` (and observes their Lamport clock).
 */
import {
  type Ack,
  type Datagram,
  isPeerMessage,
  type PeerBody,
  type PeerMessage,
} from "../protocol/messages.ts";
import { LinkFailedError, TransportClosedError } from "./errors.ts";
import type { RunTimeFaults } from "./faults.ts";
import type { Identity } from "./identity.ts";
import { IncomingLink } from "./incoming-link.ts";
import { type LinkSettings, OutgoingLink, type OutgoingLinkHost } from "./outgoing-link.ts";
import { type Address, addressKey, type TransportObserver, type UdpEndpoint } from "./udp.ts";

export { LinkFailedError };

export type LinkOptions = Partial<LinkSettings> & {
  observer?: TransportObserver;
  /** A "drop next message" set at run time applies to the links' first sends. */
  faults?: RunTimeFaults;
};

export type LinkStats = {
  /** Peer messages sent for the first time. */
  sent: number;
  /** Peer messages sent again (timeouts and fast retransmissions). */
  retransmissions: number;
  /** Peer messages received, duplicates included. */
  received: number;
  /** Peer messages handed to the message handler. */
  delivered: number;
  duplicatesDropped: number;
  outOfOrderBuffered: number;
  /** Arrivals dropped because they were too far ahead, or from a retired sess. */
  discarded: number;
  acksSent: number;
  acksReceived: number;
  /** Links given up because the peer stopped acknowledging. */
  failures: number;
  /** Incoming links forgotten to stay within MAX_INCOMING_LINKS. */
  linksForgotten: number;
  /** Held arrivals dropped because their sender had stopped (see HELD_EXPIRY_DEAD_AFTERS). */
  heldExpired: number;
};

export type PeerMessageHandler = (message: PeerMessage, from: Address) => void;

const DEFAULT_SETTINGS: LinkSettings = {
  window: 32,
  minRtoMs: 20,
  maxRtoMs: 1_000,
  initialRtoMs: 200,
  maxRetransmissions: 15,
  deadAfterMs: 3_000,
};

/** Held seqs listed in one ack; the schema allows 256, a window's worth is enough. */
const SACK_LIMIT = 64;

/**
 * Bounds on what anyone can make a receiver hold, since a source address costs an
 * attacker nothing. Past MAX_INCOMING_LINKS the least recently heard link is forgotten: a
 * ring has far fewer neighbours, so only a flood of forged addresses evicts a live one
 * (`--secret` stops those). Early arrivals held beyond gaps share HELD_BYTES_LIMIT; one
 * that does not fit is refused and retransmitted later.
 */
const MAX_INCOMING_LINKS = 512;
const HELD_BYTES_LIMIT = 8 * 1024 * 1024;
/**
 * A link that delivered nothing for this many dead-after times has a sender that gave up
 * (and starts a new session when it sends again): what it held is dropped.
 */
const HELD_EXPIRY_DEAD_AFTERS = 3;

export class LinkEndpoint {
  private readonly settings: LinkSettings;
  private readonly observer: TransportObserver;
  private readonly outgoing = new Map<string, OutgoingLink>();
  /** By address, least recently heard first. */
  private readonly incoming = new Map<string, IncomingLink>();
  /** Bytes held beyond gaps, over all incoming links. */
  private heldBytes = 0;
  private lastExpiryAt = 0;
  /** Addresses whose link was reset: a new link to them counts in a fresh sess. */
  private readonly resetAddresses = new Set<string>();
  private readonly acksDue = new Set<IncomingLink>();
  private ackFlush: NodeJS.Immediate | undefined;
  private messageHandler: PeerMessageHandler = () => {};
  private closed = false;
  private readonly counters: LinkStats = {
    sent: 0,
    retransmissions: 0,
    received: 0,
    delivered: 0,
    duplicatesDropped: 0,
    outOfOrderBuffered: 0,
    discarded: 0,
    acksSent: 0,
    acksReceived: 0,
    failures: 0,
    linksForgotten: 0,
    heldExpired: 0,
  };
  private readonly host: OutgoingLinkHost;

  constructor(
    private readonly endpoint: UdpEndpoint,
    private readonly identity: Identity,
    options: LinkOptions = {},
  ) {
    const { observer, faults, ...settings } = options;
    this.settings = { ...DEFAULT_SETTINGS, ...definedOnly(settings) };
    this.observer = observer ?? {};
    this.host = {
      identity,
      settings: this.settings,
      transmit: (message, bytes, to, retransmission) => {
        if (retransmission) this.counters.retransmissions += 1;
        else this.counters.sent += 1;
        // Lost before the wire, so the link retransmits it as after any loss.
        const dropped = !retransmission && faults?.takesNextMessage(to, message.type) === true;
        if (!dropped) this.endpoint.sendBytes(bytes, to);
        this.observer.sent?.(
          message,
          to,
          dropped ? { retransmission, dropped } : { retransmission },
        );
      },
      failed: (link) => {
        this.counters.failures += 1;
        this.forgetOutgoing(link);
      },
    };
  }

  /** Sets the handler that receives every peer message once, in the order it was sent. */
  onMessage(handler: PeerMessageHandler): void {
    this.messageHandler = handler;
  }

  /**
   * Queues a message on the link to `to`; resolves when the peer acknowledges it, rejects
   * with LinkFailedError if the peer stops acknowledging.
   */
  send(to: Address, body: PeerBody): Promise<void> {
    if (this.closed) return Promise.reject(new TransportClosedError("link endpoint is closed"));
    const key = addressKey(to);
    let link = this.outgoing.get(key);
    if (link === undefined) {
      const sess = this.resetAddresses.has(key) ? this.identity.drawSess() : this.identity.sess;
      link = new OutgoingLink({ ...to }, sess, this.host);
      this.outgoing.set(key, link);
    }
    return link.enqueue(body);
  }

  /**
   * Consumes peer messages and acks; returns false for every other message type. `bytes`,
   * the datagram's size, counts against the budget for held arrivals.
   */
  handle(message: Datagram, from: Address, bytes: number): boolean {
    if (message.type === "ack") {
      if (!this.closed) this.receiveAck(message, from);
      return true;
    }
    if (!isPeerMessage(message)) return false;
    if (!this.closed) this.receivePeerMessage(message as PeerMessage, from, bytes);
    return true;
  }

  /** The counters, and what the incoming side holds now. */
  stats(): LinkStats & { incomingLinks: number; heldBytes: number } {
    return { ...this.counters, incomingLinks: this.incoming.size, heldBytes: this.heldBytes };
  }

  /** Clears every timer and rejects every pending send. Leaves the UDP endpoint open. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ackFlush !== undefined) clearImmediate(this.ackFlush);
    this.acksDue.clear();
    for (const link of this.outgoing.values()) {
      link.abandon(
        (message) =>
          new TransportClosedError(`link endpoint closed before ${message.type} was acknowledged`),
      );
    }
    this.outgoing.clear();
    this.incoming.clear();
    this.heldBytes = 0;
  }

  private receiveAck(ack: Ack, from: Address): void {
    this.counters.acksReceived += 1;
    this.observer.received?.(ack, from);
    const link = this.outgoing.get(addressKey(from));
    // An ack for another sess is about a link incarnation that was reset: stale.
    if (link !== undefined && link.sess === ack.ackSess) link.acknowledge(ack.ack, ack.sack);
  }

  private receivePeerMessage(message: PeerMessage, from: Address, bytes: number): void {
    this.counters.received += 1;
    this.observer.received?.(message, from);
    const now = performance.now();
    this.expireHeld(now);
    const link = this.incomingFrom(from, message.sess, now);
    const sender = link.from;
    const heldBefore = link.heldBytes;
    const deliver = (inOrder: PeerMessage) => {
      // The handler may close the endpoint (the peer is leaving): deliver nothing after that.
      if (this.closed) return;
      this.counters.delivered += 1;
      this.messageHandler(inOrder, sender);
    };
    const arrival = link.accept(message, deliver, bytes, HELD_BYTES_LIMIT - this.heldBytes);
    if (this.closed) return;
    this.heldBytes += link.heldBytes - heldBefore;
    if (arrival === "delivered") link.progressedAt = now;
    if (arrival === "stale-session") {
      this.counters.discarded += 1;
      return;
    }
    if (arrival === "duplicate") {
      this.counters.duplicatesDropped += 1;
      this.observer.duplicate?.(message, from);
    } else if (arrival === "buffered") this.counters.outOfOrderBuffered += 1;
    else if (arrival === "beyond-buffer") this.counters.discarded += 1;
    this.scheduleAck(link);
  }

  /** The link from `from`, made the most recently heard; a new one may evict the least. */
  private incomingFrom(from: Address, sess: number, now: number): IncomingLink {
    const key = addressKey(from);
    const known = this.incoming.get(key);
    if (known !== undefined) {
      this.incoming.delete(key);
      this.incoming.set(key, known);
      return known;
    }
    if (this.incoming.size >= MAX_INCOMING_LINKS) {
      const [oldestKey, oldest] = this.incoming.entries().next().value as [string, IncomingLink];
      this.incoming.delete(oldestKey);
      this.acksDue.delete(oldest);
      this.heldBytes -= oldest.heldBytes;
      this.counters.linksForgotten += 1;
    }
    const link = new IncomingLink({ ...from }, sess, 4 * this.settings.window, SACK_LIMIT, now);
    this.incoming.set(key, link);
    return link;
  }

  /** At most once a second: drops what links whose senders gave up still hold. */
  private expireHeld(now: number): void {
    if (this.heldBytes === 0 || now - this.lastExpiryAt < 1_000) return;
    this.lastExpiryAt = now;
    const expiry = HELD_EXPIRY_DEAD_AFTERS * this.settings.deadAfterMs;
    for (const link of this.incoming.values()) {
      if (link.heldBytes > 0 && now - link.progressedAt > expiry) {
        this.heldBytes -= link.dropHeld();
        this.counters.heldExpired += 1;
      }
    }
  }

  /** Every arrival is acknowledged, but with one ack per link per event-loop turn. */
  private scheduleAck(link: IncomingLink): void {
    if (this.closed) return;
    this.acksDue.add(link);
    this.ackFlush ??= setImmediate(() => this.flushAcks());
  }

  private flushAcks(): void {
    this.ackFlush = undefined;
    for (const link of this.acksDue) {
      const ack = this.identity.stamp(link.ackBody()) as Ack;
      this.counters.acksSent += 1;
      this.endpoint.send(ack, link.from);
      this.observer.sent?.(ack, link.from, { retransmission: false });
    }
    this.acksDue.clear();
  }

  private forgetOutgoing(link: OutgoingLink): void {
    const key = addressKey(link.to);
    if (this.outgoing.get(key) === link) this.outgoing.delete(key);
    this.resetAddresses.add(key);
  }
}

/** Drops undefined values, so `{ window: undefined }` does not override a default. */
function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
