/**
 * The Benchmarks view's words: the committed results `GET /api/bench` lists, grouped by
 * the benchmark that wrote them (the name's first word: `scale-time-vs-n.svg` is one of
 * bench:scale's plots), plots first, each titled from its name. Whatever the listing
 * holds is shown, so plots a benchmark adds later appear without a change here.
 */
import type { BenchFile } from "../api/types.ts";

export interface BenchPlot {
  file: string;
  /** "time vs n", from "scale-time-vs-n.svg". */
  title: string;
  url: string;
}

export interface BenchGroup {
  /** "scale", "replication", ... */
  name: string;
  plots: BenchPlot[];
  /** The numbers behind them (and other benchmarks' results): JSON files. */
  data: BenchPlot[];
}

/** The benchmarks whose plots the view shows first, in this order; any other after them. */
const FIRST = ["scale", "replication"];

export function benchUrl(file: string): string {
  return `/api/bench/${encodeURIComponent(file)}`;
}

/** A result's title from its name: the words after the benchmark's, "vs" kept. */
export function benchTitle(file: string): string {
  const [, ...words] = file.replace(/\.(svg|json)$/, "").split("-");
  return words.length === 0 ? "results" : words.join(" ");
}

/** The listing as groups: the known benchmarks first, then others by name. */
export function benchGroups(files: readonly BenchFile[]): BenchGroup[] {
  const groups = new Map<string, BenchGroup>();
  for (const { name, kind } of files) {
    const group = name.split(/[-.]/)[0] ?? name;
    let entry = groups.get(group);
    if (entry === undefined) {
      entry = { name: group, plots: [], data: [] };
      groups.set(group, entry);
    }
    const result = { file: name, title: benchTitle(name), url: benchUrl(name) };
    (kind === "svg" ? entry.plots : entry.data).push(result);
  }
  const rank = (name: string) => {
    const at = FIRST.indexOf(name);
    return at < 0 ? FIRST.length : at;
  };
  return [...groups.values()].sort(
    (left, right) =>
      Number(right.plots.length > 0) - Number(left.plots.length > 0) ||
      rank(left.name) - rank(right.name) ||
      left.name.localeCompare(right.name),
  );
}
