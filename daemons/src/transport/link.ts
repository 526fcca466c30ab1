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
import type { Identity } from "./identity.ts";
import { IncomingLink } from "./incoming-link.ts";
import { type LinkSettings, OutgoingLink, type OutgoingLinkHost } from "./outgoing-link.ts";
import { type Address, addressKey, type TransportObserver, type UdpEndpoint } from "./udp.ts";

export { LinkFailedError };

export type LinkOptions = Partial<LinkSettings> & { observer?: TransportObserver };

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

export class LinkEndpoint {
  private readonly settings: LinkSettings;
  private readonly observer: TransportObserver;
  private readonly outgoing = new Map<string, OutgoingLink>();
  private readonly incoming = new Map<string, IncomingLink>();
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
  };
  private readonly host: OutgoingLinkHost;

  constructor(
    private readonly endpoint: UdpEndpoint,
    private readonly identity: Identity,
    options: LinkOptions = {},
  ) {
    const { observer, ...settings } = options;
    this.settings = { ...DEFAULT_SETTINGS, ...definedOnly(settings) };
    this.observer = observer ?? {};
    this.host = {
      identity,
      settings: this.settings,
      transmit: (message, bytes, to, retransmission) => {
        if (retransmission) this.counters.retransmissions += 1;
        else this.counters.sent += 1;
        this.endpoint.sendBytes(bytes, to);
        this.observer.sent?.(message, to, { retransmission });
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

  /** Consumes peer messages and acks; returns false for every other message type. */
  handle(message: Datagram, from: Address): boolean {
    if (message.type === "ack") {
      if (!this.closed) this.receiveAck(message, from);
      return true;
    }
    if (!isPeerMessage(message)) return false;
    if (!this.closed) this.receivePeerMessage(message as PeerMessage, from);
    return true;
  }

  stats(): LinkStats {
    return { ...this.counters };
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
  }

  private receiveAck(ack: Ack, from: Address): void {
    this.counters.acksReceived += 1;
    this.observer.received?.(ack, from);
    const link = this.outgoing.get(addressKey(from));
    // An ack for another sess is about a link incarnation that was reset: stale.
    if (link !== undefined && link.sess === ack.ackSess) link.acknowledge(ack.ack, ack.sack);
  }

  private receivePeerMessage(message: PeerMessage, from: Address): void {
    this.counters.received += 1;
    this.observer.received?.(message, from);
    const key = addressKey(from);
    let link = this.incoming.get(key);
    if (link === undefined) {
      link = new IncomingLink({ ...from }, message.sess, 4 * this.settings.window, SACK_LIMIT);
      this.incoming.set(key, link);
    }
    const sender = link.from;
    const arrival = link.accept(message, (inOrder) => {
      // The handler may close the endpoint (the peer is leaving): deliver nothing after that.
      if (this.closed) return;
      this.counters.delivered += 1;
      this.messageHandler(inOrder, sender);
    });
    if (arrival === "stale-session") {
      this.counters.discarded += 1;
      return;
    }
    if (arrival === "duplicate") this.counters.duplicatesDropped += 1;
    else if (arrival === "buffered") this.counters.outOfOrderBuffered += 1;
    else if (arrival === "beyond-buffer") this.counters.discarded += 1;
    this.scheduleAck(link);
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
