/**
 * Which records of a store a node keeps and which go on. The store flood runs from the
 * leader (node 0) up to node n - 1; a record stops at the last of its holders on that path,
 * and every holder it passes keeps it. With one copy that is the assignment's rule: a
 * record goes on until it reaches its owner.
 */
import { ownerOf } from "../data/hashing.ts";
import { chainIndexOf, holdersOf, SINGLE_COPY } from "../data/placement.ts";
import { eventIdOfLine, type RecordLine } from "../protocol/record-line.ts";
import { ringSizeOf } from "./membership.ts";
import type { Membership } from "./state.ts";

export interface Split {
  own: RecordLine[];
  onward: RecordLine[];
  /** How many of `own` are copies here rather than primaries. */
  copies: number;
}

export function splitStore(
  lines: readonly RecordLine[],
  tableSize: number,
  membership: Membership,
): Split {
  const ringSize = ringSizeOf(membership);
  const { nodeId } = membership;
  const { replicas } = membership.replication ?? SINGLE_COPY;
  const own: RecordLine[] = [];
  const onward: RecordLine[] = [];
  let copies = 0;
  for (const line of lines) {
    const primary = ownerOf(eventIdOfLine(line), tableSize, ringSize);
    if (replicas === 1) {
      if (primary === nodeId) own.push(line);
      else if (primary > nodeId) onward.push(line);
      continue;
    }
    const holders = holdersOf(primary, replicas, ringSize);
    if (chainIndexOf(nodeId, primary, replicas, ringSize) !== -1) {
      own.push(line);
      if (primary !== nodeId) copies += 1;
    }
    if (holders.some((holder) => holder > nodeId)) onward.push(line);
  }
  return { own, onward, copies };
}
