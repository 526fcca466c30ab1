/** Resident memory of a process, for the tests that bound its growth and the benches (Linux). */
import { readFileSync } from "node:fs";
import type { Daemon } from "../../demo/processes.ts";

export function rssOfProcess(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

export function rssOf(daemon: Daemon): number {
  return rssOfProcess(daemon.child.pid ?? 0);
}

/** Samples are noisy (the garbage collector's sawtooth): compare medians of them. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
