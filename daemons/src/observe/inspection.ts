/**
 * What a node inspector asks a peer for over the control channel (`inspect`): facts only
 * the daemon has, counted since it started (its traffic by kind, what it dropped and why),
 * its Lamport clock, how full its table is, and whether it holds one event id. The rest
 * of what an inspector shows (name, addresses, neighbour, console lines) is in the
 * snapshots and events already.
 */
import type { TableOccupancy } from "../data/hash-table.ts";

export interface TrafficCounts {
  /** Messages sent for the first time (requests, peer messages, probes; not acks). */
  sent: number;
  /** Messages delivered: manager replies, and peer messages in link order. */
  received: number;
  /** Sends of a message again after a timeout or a loss. */
  retransmitted: number;
  /** Copies of a peer message already delivered (their ack had been lost). */
  duplicatesDropped: number;
  /** Datagrams the codec or the signature check rejected. */
  malformedDropped: number;
  /** Well-formed messages the meaning checks refused (not from the ring, not expected). */
  refusedDropped: number;
}

export interface PeerInspection {
  clock: number;
  counters: TrafficCounts;
  /** Null while the peer holds no table (outside a DHT). */
  table: TableOccupancy | null;
  /** The event id asked about, whether this node's table holds it, and the copy it holds. */
  lookup: { eventId: number; held: boolean; record?: string[] } | null;
}

/** The peer's running counts, fed by its observation as it reports each message. */
export class TrafficCounters {
  private readonly counts: TrafficCounts = {
    sent: 0,
    received: 0,
    retransmitted: 0,
    duplicatesDropped: 0,
    malformedDropped: 0,
    refusedDropped: 0,
  };

  sent(retransmission: boolean): void {
    if (retransmission) this.counts.retransmitted += 1;
    else this.counts.sent += 1;
  }

  received(): void {
    this.counts.received += 1;
  }

  duplicate(): void {
    this.counts.duplicatesDropped += 1;
  }

  dropped(why: "malformed" | "refused"): void {
    if (why === "malformed") this.counts.malformedDropped += 1;
    else this.counts.refusedDropped += 1;
  }

  get now(): TrafficCounts {
    return { ...this.counts };
  }
}
