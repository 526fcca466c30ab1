/**
 * The node inspector's words: one peer as the log has it at the cursor (its place in the
 * ring, addresses, right neighbour, records, its Lamport clock and last console lines),
 * and what the daemon answers now (counters, table occupancy, an id looked up) put into
 * lines. Only the daemon knows its counters and table, so those are always "now".
 */
import { ownerOf, positionOf } from "../../../daemons/src/data/hashing.ts";
import type { PeerInspection } from "../api/types.ts";
import { formatCount } from "./format.ts";
import { type EventLog, entriesUpTo } from "./log.ts";
import type { DaemonAtCursor, View } from "./view.ts";

/** Console lines the inspector shows, the newest last. */
export const CONSOLE_LINES = 12;

export interface InspectedNode {
  daemon: DaemonAtCursor;
  /** "node 2 of 5", or why it has no node id. */
  place: string;
  addresses: string;
  /** "bravo (127.0.0.1:5004)", or null outside a ring. */
  rightNeighbour: string | null;
  /** Its right neighbour's p-port address: where `Drop next message` aims. */
  rightNeighbourAddress: { ip: string; port: number } | null;
  recordsHeld: number;
  /** The clock its last event at the cursor carried; null before its first event. */
  clock: number | null;
  consoleLines: string[];
  /** Its run-time loss at the cursor, 0 to 0.5. */
  loss: number;
}

/** The peer `daemonId` at `cursor`, or null if it is not a peer drawn at the cursor. */
export function inspectedNode(view: View, log: EventLog, daemonId: string): InspectedNode | null {
  const daemon = view.daemons.find((each) => each.id === daemonId && each.kind === "peer");
  if (daemon === undefined) return null;
  const { snapshot } = daemon;
  let clock: number | null = null;
  const consoleLines: string[] = [];
  for (const entry of entriesUpTo(log, view.cursor)) {
    if (entry.daemonId !== daemonId) continue;
    clock = entry.clock;
    if (entry.event.kind === "console") consoleLines.push(entry.event.line);
  }
  const right = snapshot?.rightNeighbour ?? null;
  return {
    daemon,
    place: placeOf(daemon),
    addresses:
      snapshot?.addresses === null || snapshot?.addresses === undefined
        ? daemon.alive
          ? "not registered"
          : "not running"
        : `${snapshot.addresses.ip}, m-port ${snapshot.addresses.mport}, p-port ${snapshot.addresses.pport}`,
    rightNeighbour: right === null ? null : `${right.name} (${right.ip}:${right.port})`,
    rightNeighbourAddress: right === null ? null : { ip: right.ip, port: right.port },
    recordsHeld: snapshot?.recordsHeld ?? 0,
    clock,
    consoleLines: consoleLines.slice(-CONSOLE_LINES),
    loss: snapshot?.loss ?? 0,
  };
}

function placeOf({ snapshot, status }: DaemonAtCursor): string {
  if (snapshot?.id !== null && snapshot?.id !== undefined) {
    return `node ${snapshot.id} of ${snapshot.ringSize ?? "?"}`;
  }
  return status === "dead" || status === "gone" ? "not running" : "not in a ring";
}

/** The table in words: "9,711 records in 9,487 of 97,073 slots". */
export function occupancyLine(table: NonNullable<PeerInspection["table"]>): string {
  const { records, occupiedSlots, tableSize } = table;
  return `${formatCount(records)} records in ${formatCount(occupiedSlots)} of ${formatCount(tableSize)} slots`;
}

/** Chains by length, shortest first: "9,263 of 1 · 224 of 2". */
export function chainLine(table: NonNullable<PeerInspection["table"]>): string {
  const parts = table.chainLengths.flatMap((slots, index) =>
    slots === 0 ? [] : [`${formatCount(slots)} of ${index + 1}`],
  );
  return parts.length === 0 ? "no chains yet" : parts.join(" · ");
}

/**
 * Where the hashing puts `eventId` on this node's ring and what the daemon answered:
 * "pos 5536849 mod 97073 = 3826, owner 3826 mod 5 = 1 (bravo): held here".
 */
export function lookupLine(
  lookup: NonNullable<PeerInspection["lookup"]>,
  tableSize: number | null,
  members: readonly string[],
): string {
  const held = lookup.held ? "held here" : "not held here";
  const n = members.length;
  if (tableSize === null || n === 0) return `event ${lookup.eventId}: ${held}`;
  const pos = positionOf(lookup.eventId, tableSize);
  const owner = ownerOf(lookup.eventId, tableSize, n);
  const ownerName = members[owner] ?? "?";
  return `pos ${lookup.eventId} mod ${tableSize} = ${pos}, owner ${pos} mod ${n} = ${owner} (${ownerName}): ${held}`;
}
