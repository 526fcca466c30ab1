/**
 * Everything a peer shows of itself, in one place: the labelled trace on stdout and the
 * control channel's events (messages, console lines, state, store progress, query hops).
 * The shell reports each message once here; both views are fed from that one call.
 */

import type { PeerSnapshot } from "../peer/snapshot.ts";
import { describePeerMessage, describeReply, describeRequest } from "../protocol/describe.ts";
import { type Datagram, isPeerMessage } from "../protocol/messages.ts";
import type { Identity } from "../transport/identity.ts";
import { messageEvent } from "./events.ts";
import { EventHub, type EventListener } from "./hub.ts";
import { TrafficCounters, type TrafficCounts } from "./inspection.ts";
import { StoreProgress } from "./progress.ts";
import { gaveUpEvent, queryEventOf } from "./query-events.ts";
import { storeSummary, Trace, type TraceLevel } from "./trace.ts";

/** How long the state must settle before a state event, so a burst of steps gives one. */
const STATE_SETTLE_MS = 50;

function describe(message: Datagram): string {
  if (message.type === "reply") return describeReply(message);
  if (message.type === "ack") return `ack ${message.ack}`;
  return isPeerMessage(message) ? describePeerMessage(message) : describeRequest(message);
}

export class PeerObservation {
  private readonly hub: EventHub;
  private readonly trace: Trace;
  private progress: StoreProgress | null = null;
  private stateTimer: NodeJS.Timeout | null = null;
  private lastState = "";
  private readonly counters = new TrafficCounters();

  constructor(
    private readonly identity: Identity,
    traceLevel: TraceLevel,
    out: (line: string) => void,
    private readonly snapshot: () => PeerSnapshot,
  ) {
    this.hub = new EventHub(() => identity.clock);
    // The trace names this peer once it has a name; before that, by its process id.
    const self = () => identity.name || `peer ${process.pid}`;
    this.trace = new Trace(self, traceLevel, out, (direction, peer, stores) => {
      if (!this.hub.active) return;
      const [from, to] = direction === "sent" ? [identity.name, peer] : [peer, identity.name];
      const summary = storeSummary(stores);
      this.hub.publish({
        kind: "message",
        direction,
        messageType: "store",
        from,
        to,
        summary,
        ...stores,
      });
    });
  }

  /** Subscribes to this peer's events; returns the function that unsubscribes. */
  observe(listener: EventListener): () => void {
    this.lastState = JSON.stringify(this.snapshot());
    return this.hub.observe(listener);
  }

  /** Every line the peer prints, the trace's included, is also a console event. */
  printed(line: string): void {
    this.hub.publish({ kind: "console", line });
  }

  /** `dropped`: a run-time fault lost it on purpose before it left (it is retransmitted). */
  sent(peer: string, message: Datagram, retransmission: boolean, dropped = false): void {
    this.counters.sent(retransmission);
    if (dropped)
      this.trace.note(`dropped on purpose (a run-time fault): ${message.type} to ${peer}`);
    if (message.type === "store") {
      if (!retransmission) this.trace.sentStore(peer, message.records.length);
      return;
    }
    // A probe a second per link, a check-in every few seconds, would drown the diagram:
    // they are in the verbose trace only.
    if (message.type === "probe" || message.type === "check-in") {
      if (message.type === "check-in") this.rememberCheckIn(message.id);
      this.trace.routine("sent", peer, describe(message), retransmission);
      return;
    }
    const summary = describe(message);
    this.trace.sent(peer, summary, retransmission);
    this.publishMessage("sent", peer, message, summary, retransmission, dropped);
  }

  received(peer: string, message: Datagram): void {
    this.counters.received();
    if (message.type === "store") {
      this.trace.receivedStore(peer, message.records.length);
      return;
    }
    if (message.type === "probe" || (message.type === "reply" && this.checkIns.has(message.re))) {
      this.trace.routine("received", peer, describe(message), false);
      return;
    }
    const summary = describe(message);
    this.trace.received(peer, summary);
    this.publishMessage("received", peer, message, summary);
  }

  /** The ids of the last check-ins sent, so their replies are routine too. */
  private readonly checkIns = new Set<number>();

  private rememberCheckIn(id: number): void {
    this.checkIns.add(id);
    if (this.checkIns.size > 16)
      this.checkIns.delete(this.checkIns.values().next().value as number);
  }

  /** A query this peer asked got no answer in time. */
  gaveUp(queryId: number, eventId: number, reason: string): void {
    if (!this.hub.active) return;
    this.hub.publish(gaveUpEvent(this.identity.name, queryId, eventId, reason));
  }

  /** A datagram dropped: `malformed` by the codec or signature, `refused` by the meaning checks. */
  invalid(from: string, error: string, why: "malformed" | "refused"): void {
    this.counters.dropped(why);
    this.trace.invalid(from, error);
  }

  /** A copy of a peer message already delivered arrived and was dropped. */
  duplicate(): void {
    this.counters.duplicate();
  }

  /** What this peer has sent, received and dropped since it started. */
  get traffic(): TrafficCounts {
    return this.counters.now;
  }

  /** A leader starts storing `total` records; progress counts what reaches its node. */
  storing(total: number): void {
    if (!this.hub.active) return;
    this.progress = new StoreProgress(total, (stored) =>
      this.hub.publish({ kind: "store-progress", stored, total }),
    );
  }

  stored(records: number): void {
    this.progress?.add(records);
  }

  /** A state event once the state settles, if it differs from the last one published. */
  stateMayHaveChanged(): void {
    if (!this.hub.active || this.stateTimer !== null) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      const snapshot = this.snapshot();
      const text = JSON.stringify(snapshot);
      if (text === this.lastState) return;
      this.lastState = text;
      this.hub.publish({ kind: "state", daemon: "peer", state: snapshot });
    }, STATE_SETTLE_MS);
    this.stateTimer.unref();
  }

  close(): void {
    if (this.stateTimer !== null) clearTimeout(this.stateTimer);
    this.stateTimer = null;
  }

  private publishMessage(
    direction: "sent" | "received",
    peer: string,
    message: Datagram,
    summary: string,
    retransmission = false,
    dropped = false,
  ): void {
    if (!this.hub.active) return;
    const event = messageEvent(
      direction,
      this.identity.name,
      peer,
      message,
      summary,
      retransmission,
      dropped,
    );
    this.hub.publish(event);
    // A resent query is the same hop, already reported; only the message event repeats.
    if (isPeerMessage(message) && !retransmission) {
      const query = queryEventOf(direction, message, event.from, event.to);
      if (query !== null) this.hub.publish(query);
    }
  }
}
