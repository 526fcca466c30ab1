/**
 * A replicated ring as the dashboard tells it: which replication the ring was set up
 * with (its members' snapshots say), where an event's copies live (the daemons' own
 * `data/placement.ts`: the primary `pos mod n`, then the next k - 1 nodes to the right)
 * and, in words, which of them a node is: "the tail of 3 copies", "copy 2 of 3".
 */
import { ownerOf } from "../../../daemons/src/data/hashing.ts";
import { holdersOf, type Replication } from "../../../daemons/src/data/placement.ts";
import type { View } from "./view.ts";

export type { Replication };

/** The replication the ring's members hold, or null: no ring, or the assignment's. */
export function ringReplication(view: View): Replication | null {
  const members = new Set(view.dht?.members ?? []);
  for (const daemon of view.daemons) {
    const replication = daemon.snapshot?.replication ?? null;
    if (daemon.name !== null && members.has(daemon.name) && replication !== null) {
      return replication;
    }
  }
  return null;
}

/** What the ring's replication means, for its caption; null with one copy of each record. */
export function replicationCaption(replication: Replication | null): string | null {
  if (replication === null || replication.replicas < 2) return null;
  const copies = `${replication.replicas} copies of each record, ${replication.consistency}`;
  return replication.consistency === "chain"
    ? `${copies}: a write goes down the chain to the tail, a read ends at the tail`
    : `${copies}: the primary acknowledges a write, any copy answers a read`;
}

/** Where one event's copies live on a ring that keeps more than one. */
export interface EventCopies {
  primary: number;
  /** Chain order: the primary first, the tail last. */
  holders: number[];
  consistency: Replication["consistency"];
}

/** The copies of `eventId`, or null when the ring keeps one copy (or s is unknown). */
export function copiesOf(
  eventId: number,
  tableSize: number | null,
  ringSize: number,
  replication: Replication | null,
): EventCopies | null {
  if (replication === null || tableSize === null || ringSize === 0) return null;
  const primary = ownerOf(eventId, tableSize, ringSize);
  const holders = holdersOf(primary, replication.replicas, ringSize);
  if (holders.length < 2) return null;
  return { primary, holders, consistency: replication.consistency };
}

/** Which copy node `nodeId` holds, in chain order from 0 (the primary); -1: none. */
export function copyIndexOf(copies: EventCopies, nodeId: number): number {
  return copies.holders.indexOf(nodeId);
}

/**
 * "the tail of 3 copies", "the primary, copy 1 of 3" or "copy 2 of 3"; null for a node
 * that holds none. With chain, a copy before the tail answers only for a tail found dead.
 */
export function copyPhrase(copies: EventCopies, nodeId: number): string | null {
  const index = copyIndexOf(copies, nodeId);
  if (index < 0) return null;
  const count = copies.holders.length;
  if (index === count - 1) return `the tail of ${count} copies`;
  if (index === 0) return `the primary, copy 1 of ${count}`;
  return `copy ${index + 1} of ${count}`;
}

/** The nodes that may answer a read with every copy alive: the tail (chain), any copy (eventual). */
export function readersOf(copies: EventCopies): number[] {
  return copies.consistency === "chain" ? copies.holders.slice(-1) : copies.holders;
}
