/**
 * One process of the floor: a plain node:dgram node of a chain, the reference stormring's
 * figures are divided by (README, Benchmark). The bench starts five, tells each its place,
 * and has the first one (the leader) send a year's records down the chain: every node
 * keeps the records whose pos mod n is its id and forwards the rest to the next, a count
 * barrier follows the records round to the leader, which prints the per-node counts. The
 * same nodes answer walks: a query hops to random unvisited nodes until its owner answers
 * the asker, like stormring's hot-potato walk.
 *
 * Commands on stdin, one a line (what the bench times is from writing one to the line it
 * waits for, as for stormring's consoles):
 *   ring <id> <port>,<port>,...   this node's id and every node's port in id order; drops
 *                                 the records it holds (stormring's teardown). Prints `ring <id> of <n>`.
 *   store <csv or csv.gz file>    the leader (id 0) reads the year, unless it already holds
 *                                 that file's records from an earlier store (stormring's
 *                                 year cache), and sends them; prints `node <id>: <count> records`
 *                                 per node, then `total: <sum> records on <n> nodes`.
 * Prints `floor node on port <port>` once its socket is bound.
 */
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { ownerOf, tableSizeFor } from "../../daemons/src/data/hashing.ts";
import { eventIdOfLine, toRecordLine } from "../../daemons/src/protocol/record-line.ts";
import { FloorLinks } from "./link.ts";
import {
  countBytes,
  decode,
  type Find,
  findBytes,
  resultBytes,
  STORE_BUDGET,
  storeBytes,
} from "./messages.ts";

const links = await FloorLinks.bind();
let id = 0;
let ports: number[] = [];
let tableSize = 0;
/** The records this node keeps, by event id. */
let table = new Map<number, string>();
/** The leader's last year read, so a second store does not parse it again. */
let cache: { file: string; lines: string[] } | null = null;

const ringSize = () => ports.length;
const nextPort = () => ports[(id + 1) % ringSize()] as number;

/** Record lines bound for the next node, packed into stores of at most STORE_BUDGET bytes. */
let pending: string[] = [];
let pendingBytes = 0;
let flushScheduled = false;

function forward(line: string): void {
  const bytes = Buffer.byteLength(line) + 1;
  if (pending.length > 0 && pendingBytes + bytes > STORE_BUDGET) flush();
  pending.push(line);
  pendingBytes += bytes;
  // What one burst of arrivals leaves over goes out once the burst is handled, as the
  // daemons' LinkOutbox does, so a forwarded store is as full as the arrivals allow.
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      flush();
    });
  }
}

function flush(): void {
  if (pending.length === 0) return;
  links.send(nextPort(), storeBytes(tableSize, pending));
  pending = [];
  pendingBytes = 0;
}

/** Keeps the line if this node owns it, else passes it on. */
function place(line: string): void {
  const eventId = eventIdOfLine(line);
  if (ownerOf(eventId, tableSize, ringSize()) === id) table.set(eventId, line);
  else forward(line);
}

/** csv-parse on the whole file, as the peer's loader does, without its checks and reports. */
function readYear(file: string): string[] {
  const raw = readFileSync(file);
  const text = file.endsWith(".gz") ? gunzipSync(raw) : raw;
  const rows: string[][] = parse(text, {
    bom: true,
    record_delimiter: ["\r\n", "\n"],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  });
  return rows.slice(1).map(toRecordLine);
}

function store(file: string): void {
  if (cache?.file !== file) cache = { file, lines: readYear(file) };
  tableSize = tableSizeFor(cache.lines.length);
  table = new Map();
  for (const line of cache.lines) place(line);
  flush();
  // On the same link as the stores, so it arrives after the last of them.
  links.send(nextPort(), countBytes(tableSize, [table.size]));
}

function onCount(counts: number[]): void {
  if (id === 0) {
    for (const [node, count] of counts.entries()) console.log(`node ${node}: ${count} records`);
    const total = counts.reduce((sum, count) => sum + count, 0);
    console.log(`total: ${total} records on ${counts.length} nodes`);
    return;
  }
  flush();
  links.send(nextPort(), countBytes(tableSize, [...counts, table.size]));
}

function onFind({ queryId, eventId, clientPort, idSeq: before }: Find): void {
  const idSeq = [...before, id];
  if (ownerOf(eventId, tableSize, ringSize()) === id) {
    const line = table.get(eventId) ?? null;
    links.send(clientPort, resultBytes({ queryId, eventId, idSeq, line }));
    return;
  }
  const unvisited = ports.map((_, node) => node).filter((node) => !idSeq.includes(node));
  const next = unvisited[Math.floor(Math.random() * unvisited.length)] as number;
  links.send(ports[next] as number, findBytes({ queryId, eventId, idSeq, clientPort }));
}

links.onMessage((payload) => {
  const message = decode(payload);
  if (message.kind === "store") {
    tableSize = message.tableSize;
    for (const line of message.lines) place(line);
  } else if (message.kind === "count") {
    onCount(message.counts);
  } else if (message.kind === "find") {
    onFind(message);
  }
});

createInterface({ input: process.stdin }).on("line", (line) => {
  const [command, ...args] = line.trim().split(/\s+/);
  if (command === "ring") {
    id = Number(args[0]);
    ports = (args[1] ?? "").split(",").map(Number);
    table = new Map();
    console.log(`ring ${id} of ${ringSize()}`);
  } else if (command === "store") {
    store(args[0] ?? "");
  } else {
    console.log(`unknown command: ${line}`);
  }
});
console.log(`floor node on port ${links.port}`);
