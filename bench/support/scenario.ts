/**
 * What both benchmarks play, the acceptance demo's ring (PROTOCOL.md section 9), and how
 * they record what they measured.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { eventIdsOf } from "../../daemons/test/support/independent.ts";

export const PEERS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
export const LEADER = "alpha";
export const RING = 5;
export const YEAR = 1996;

/** Every event id of the year's file in `dataDir`. */
export function yearEventIds(dataDir: string): number[] {
  return eventIdsOf(path.join(dataDir, `details-${YEAR}.csv`)).filter(
    (id) => Number.isInteger(id) && id > 0,
  );
}

/** The machine a result was measured on, recorded with it. */
export function machineFacts() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "",
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
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
