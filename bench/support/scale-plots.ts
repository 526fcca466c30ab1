/** The scale benchmark's three plots, from its rows (bench/scale.ts). */
import { renderPlot } from "./svg-plot.ts";

export interface ScaleRow {
  records: number;
  ringSize: number;
  setupMs: number;
  leaveMs: number;
  joinMs: number;
  queries: { count: number; p50Ms: number; p99Ms: number; perSecond: number; wrong: number };
  /**
   * Peak RSS through setup, leave and join, per daemon, with what each held at the end; a
   * leader led a build (the setup, or the rebuild after the leave) and read the whole year.
   */
  rss: {
    name: string;
    role: "manager" | "leader" | "member" | "free";
    peakMb: number;
    held: number;
  }[];
}

const seconds = (ms: number) => ms / 1000;
const unique = (values: number[]) => [...new Set(values)].sort((a, b) => a - b);

export function scalePlots(rows: ScaleRow[]): Record<string, string> {
  const rings = unique(rows.map((row) => row.ringSize));
  const sizes = unique(rows.map((row) => row.records));
  const largest = sizes.at(-1) ?? 0;
  return {
    "scale-time-vs-records.svg": renderPlot({
      title: "setup-dht: time against records",
      xLabel: "records in the year",
      yLabel: "setup, command to counts (s)",
      series: rings.map((ringSize) => ({
        name: `n = ${ringSize}`,
        points: rows
          .filter((row) => row.ringSize === ringSize)
          .map((row) => [row.records, seconds(row.setupMs)]),
      })),
    }),
    "scale-time-vs-n.svg": renderPlot({
      title: `time against ring size (${largest.toLocaleString("en")} records)`,
      xLabel: "ring size n",
      yLabel: "command to counts (s)",
      series: (["setupMs", "leaveMs", "joinMs"] as const).map((phase) => ({
        name: phase.replace("Ms", ""),
        points: rows
          .filter((row) => row.records === largest)
          .map((row) => [row.ringSize, seconds(row[phase])]),
      })),
    }),
    "scale-rss-vs-share.svg": renderPlot({
      title: "peak RSS of each peer against the records it holds",
      xLabel: "records held after the join",
      yLabel: "peak RSS (MB)",
      series: sizes.flatMap((records) =>
        (["member", "leader"] as const).map((role) => ({
          name: `${role}s, ${records / 1000}k`,
          pointsOnly: true,
          points: rows
            .filter((row) => row.records === records)
            .flatMap((row) => row.rss.filter((entry) => entry.role === role))
            .map((entry) => [entry.held, entry.peakMb] as [number, number]),
        })),
      ),
    }),
  };
}
