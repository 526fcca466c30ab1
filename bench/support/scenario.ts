/**
 * What both benchmarks play, the acceptance demo's ring (PROTOCOL.md section 9), and how
 * they record what they measured.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { countsFor, eventIdsOf } from "../../daemons/test/support/independent.ts";

export const PEERS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
export const LEADER = "alpha";
export const RING = 5;
export const YEAR = 1996;

/** Peer names for rings of any size; letters only, as names must be: peeraa, peerab, ... */
export const peerName = (index: number) =>
  `peer${String.fromCharCode(97 + Math.floor(index / 26), 97 + (index % 26))}`;

/** Every event id of the year's file in `dataDir`. */
export function yearEventIds(dataDir: string): number[] {
  return eventIdsOf(path.join(dataDir, `details-${YEAR}.csv`)).filter(
    (id) => Number.isInteger(id) && id > 0,
  );
}

/**
 * Throws unless `counts` (records per node id) are what the hashing puts on a ring of
 * `ringSize` nodes, computed from the file without the daemons' loader or hashing
 * (test/support/independent.ts): a time is only worth recording for a build that is right.
 */
export function checkCounts(
  what: string,
  counts: readonly number[],
  eventIds: number[],
  ringSize: number,
): void {
  const expected = countsFor(eventIds, ringSize);
  if (expected.some((count, node) => counts[node] !== count) || counts.length !== ringSize) {
    throw new Error(`${what}: counts ${counts.join(" ")}, the hashing says ${expected.join(" ")}`);
  }
}

/**
 * The machine a result was measured on, recorded with it; the load averages because the
 * machine is shared, and another's work shows in absolute times (less so in the ratios).
 */
export function machineFacts() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "",
    memoryGb: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((load) => Number(load.toFixed(2))),
    date: new Date().toISOString(),
  };
}

/** Writes `results` as bench/results/<name>; returns the file's path relative to here. */
export function writeResults(name: string, results: unknown): string {
  const outDir = fileURLToPath(new URL("../results/", import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, name);
  writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  return path.relative(process.cwd(), outFile);
}
