/**
 * What the floor's links carry, shared by its nodes and the bench's walk client. The first
 * byte says which message it is. Records travel as stormring's record lines (the 14 fields
 * joined by tabs), newline-separated and otherwise as they are: the plainest packing of
 * the same records, so a datagram of the same size carries what it can. Which node keeps a
 * record, and how a line reads, is the daemons' own code (data/hashing.ts,
 * protocol/record-line.ts): the floor differs in how it moves records, not in what they are.
 */
import { LINK_HEADER_BYTES } from "./link.ts";

/** The peer's default --max-datagram (daemons/src/cli/args.ts): a store's whole datagram. */
export const MAX_DATAGRAM = 1_400;
const STORE = 0x53; // "S"
const COUNT = 0x43; // "C"
const FIND = 0x46; // "F"
const RESULT = 0x52; // "R"
/** Type and table size ahead of the records. */
const STORE_HEADER_BYTES = 5;
/** Room for record lines in one store, after the link's header and the store's own. */
export const STORE_BUDGET = MAX_DATAGRAM - LINK_HEADER_BYTES - STORE_HEADER_BYTES;

/** One hop of a walk: the query, the node ids visited so far, and where to answer. */
export interface Find {
  queryId: number;
  eventId: number;
  idSeq: number[];
  clientPort: number;
}

/** The owner's answer: the record line, or null when the event is not in the table. */
export interface Result {
  queryId: number;
  eventId: number;
  idSeq: number[];
  line: string | null;
}

export type FloorMessage =
  | { kind: "store"; tableSize: number; lines: string[] }
  | { kind: "count"; tableSize: number; counts: number[] }
  | ({ kind: "find" } & Find)
  | ({ kind: "result" } & Result);

export function storeBytes(tableSize: number, lines: readonly string[]): Buffer {
  const text = lines.join("\n");
  const bytes = Buffer.allocUnsafe(STORE_HEADER_BYTES + Buffer.byteLength(text));
  bytes[0] = STORE;
  bytes.writeUInt32BE(tableSize, 1);
  bytes.write(text, STORE_HEADER_BYTES);
  return bytes;
}

export function countBytes(tableSize: number, counts: readonly number[]): Buffer {
  const bytes = Buffer.allocUnsafe(5 + 4 * counts.length);
  bytes[0] = COUNT;
  bytes.writeUInt32BE(tableSize, 1);
  for (const [index, count] of counts.entries()) bytes.writeUInt32BE(count, 5 + 4 * index);
  return bytes;
}

/** Queries are small and rare next to stores: JSON is plain enough for them. */
export function findBytes(find: Find): Buffer {
  return Buffer.concat([Buffer.of(FIND), Buffer.from(JSON.stringify(find))]);
}

export function resultBytes(result: Result): Buffer {
  return Buffer.concat([Buffer.of(RESULT), Buffer.from(JSON.stringify(result))]);
}

export function decode(payload: Buffer): FloorMessage {
  const type = payload[0];
  if (type === STORE) {
    const lines = payload.toString("utf8", STORE_HEADER_BYTES).split("\n");
    return { kind: "store", tableSize: payload.readUInt32BE(1), lines };
  }
  if (type === COUNT) {
    const counts: number[] = [];
    for (let at = 5; at + 4 <= payload.length; at += 4) counts.push(payload.readUInt32BE(at));
    return { kind: "count", tableSize: payload.readUInt32BE(1), counts };
  }
  const body = JSON.parse(payload.toString("utf8", 1));
  if (type === FIND) return { ...(body as Find), kind: "find" };
  if (type === RESULT) return { ...(body as Result), kind: "result" };
  throw new Error(`floor message of unknown type ${type}`);
}
