/**
 * Where a replicated ring keeps a record: its primary is `pos mod n`, as the assignment
 * hashes it, and its k - 1 copies live on the next nodes to the right, so a chain runs
 * primary -> primary + 1 -> ... -> tail. With k = 1 the primary is the only holder and
 * the tail. Every node computes the same placement from the same numbers.
 */
import { ownerOf } from "./hashing.ts";

/** The ring's replication: how many holders each record has and how writes reach them. */
export interface Replication {
  replicas: number;
  consistency: "chain" | "eventual";
}

/** The assignment's ring: one copy, nothing to keep consistent. */
export const SINGLE_COPY: Replication = { replicas: 1, consistency: "chain" };

/** The holders of a record whose primary is `primary`, in chain order (primary first). */
export function holdersOf(primary: number, replicas: number, ringSize: number): number[] {
  const count = Math.min(replicas, ringSize);
  return Array.from({ length: count }, (_, offset) => (primary + offset) % ringSize);
}

/** The node a chain's reads and acknowledgements come from: its last copy. */
export function tailOf(primary: number, replicas: number, ringSize: number): number {
  return (primary + Math.min(replicas, ringSize) - 1) % ringSize;
}

/** How far `nodeId` is down the chain of `primary` (0 for the primary), or -1 off it. */
export function chainIndexOf(
  nodeId: number,
  primary: number,
  replicas: number,
  ringSize: number,
): number {
  const offset = (nodeId - primary + ringSize) % ringSize;
  return offset < Math.min(replicas, ringSize) ? offset : -1;
}

/** What each node should hold: `counts` in all, `copies` of them not its own primaries. */
export function expectedHoldings(
  eventIds: Iterable<number>,
  tableSize: number,
  ringSize: number,
  replicas: number,
): { counts: number[]; copies: number[] } {
  const counts = new Array<number>(ringSize).fill(0);
  const copies = new Array<number>(ringSize).fill(0);
  for (const eventId of eventIds) {
    const primary = ownerOf(eventId, tableSize, ringSize);
    for (const holder of holdersOf(primary, replicas, ringSize)) {
      counts[holder] = (counts[holder] ?? 0) + 1;
      if (holder !== primary) copies[holder] = (copies[holder] ?? 0) + 1;
    }
  }
  return { counts, copies };
}
