/**
 * The peer's answers to the control channel's two lecture frames: `inspect` (what a node
 * inspector shows that only the daemon knows) and `faults` (a loss set at run time, or
 * the next message on one link dropped), each said back in a line.
 */

import type { StormTable } from "../data/hash-table.ts";
import type { PeerInspection, TrafficCounts } from "../observe/inspection.ts";
import { fromRecordLine } from "../protocol/record-line.ts";
import type { Address } from "../transport/address.ts";
import type { FaultChange, RunTimeFaults } from "../transport/faults.ts";

export function inspectPeer(
  clock: number,
  counters: TrafficCounts,
  table: StormTable | null,
  eventId: number | null,
): PeerInspection {
  return {
    clock,
    counters,
    table: table?.occupancy() ?? null,
    lookup: eventId === null ? null : lookUp(table, eventId),
  };
}

function lookUp(table: StormTable | null, eventId: number): PeerInspection["lookup"] {
  const line = table?.find(eventId);
  return line === undefined
    ? { eventId, held: false }
    : { eventId, held: true, record: fromRecordLine(line) };
}

/** Applies `change`; returns what now holds, a line per setting changed. */
export function applyFaults(
  faults: RunTimeFaults,
  change: FaultChange,
  nameOf: (address: Address) => string,
): string[] {
  const lines: string[] = [];
  if (change.loss !== undefined) {
    faults.setLoss(change.loss);
    lines.push(`loss: ${Math.round(change.loss * 100)}% of the datagrams sent are dropped`);
  }
  if (change.dropNext !== undefined) {
    faults.dropNextTo(change.dropNext);
    lines.push(`the next message to ${nameOf(change.dropNext)} will be dropped`);
  }
  if (lines.length === 0) throw new Error("a faults frame names loss or dropNext");
  return lines;
}
