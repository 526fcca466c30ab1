/**
 * Summaries of timing samples, and a seeded random source (the synthetic year's, so query
 * ids and entry nodes repeat run after run).
 */
export { seededRandom as seeded } from "../../data/src/synthesize.ts";

/** Linear interpolation between the closest ranks of an ascending array. */
export function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const [low, high] = [sorted[Math.floor(at)] ?? Number.NaN, sorted[Math.ceil(at)] ?? Number.NaN];
  return low + (high - low) * (at - Math.floor(at));
}

export interface Summary {
  n: number;
  median: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export function stats(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const [n, min, max] = [samples.length, quantile(sorted, 0), quantile(sorted, 1)];
  const mean = samples.reduce((sum, x) => sum + x, 0) / n;
  const [median, p95, p99] = [
    quantile(sorted, 0.5),
    quantile(sorted, 0.95),
    quantile(sorted, 0.99),
  ];
  return { n, median, p95, p99, mean, min, max };
}

/** Rounds for the results file: microseconds are the finest a loopback hop is worth. */
export function rounded(value: number, digits = 3): number {
  return Number(value.toFixed(digits));
}

/** `value` with every fractional number in it rounded, for a results file people read. */
export function roundedThroughout<T>(value: T, digits = 3): T {
  const round = (_key: string, x: unknown) =>
    typeof x === "number" && !Number.isInteger(x) ? rounded(x, digits) : x;
  return JSON.parse(JSON.stringify(value, round)) as T;
}
