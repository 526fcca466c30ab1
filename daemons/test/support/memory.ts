/** Resident memory of a daemon process, for the tests that bound its growth (Linux). */
import { readFileSync } from "node:fs";
import type { Daemon } from "../../demo/processes.ts";

export function rssOf(daemon: Daemon): number {
  const status = readFileSync(`/proc/${daemon.child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Samples are noisy (the garbage collector's sawtooth): compare medians of them. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
