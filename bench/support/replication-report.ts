/** The replication bench's rows, its three plots and its table (bench/replication.ts). */
import type { LoadResult } from "./client-load.ts";
import type { ConsistencyResult } from "./consistency-run.ts";
import { renderPlot } from "./svg-plot.ts";

/** "none": the assignment's DHT, set up with no options, which takes no writes. */
export type Model = "chain" | "eventual" | "none";

export interface ReplicationRow {
  ringSize: number;
  replicas: number;
  model: Model;
  setupMs: number;
  /** null for the assignment's DHT. */
  inserts: LoadResult | null;
  queries: LoadResult & { perSecondVsReference: number; meanNodesVisited: number };
  consistency: ConsistencyResult | null;
}

const MODELS = ["chain", "eventual"] as const;

function seriesOf(rows: ReplicationRow[], y: (row: ReplicationRow) => number | null) {
  const rings = [...new Set(rows.map((row) => row.ringSize))];
  const label = (model: Model, ringSize: number) =>
    rings.length > 1 ? `${model}, n = ${ringSize}` : model;
  return rings.flatMap((ringSize) =>
    MODELS.map((model) => ({
      name: label(model, ringSize),
      points: rows
        .filter((row) => row.model === model && row.ringSize === ringSize)
        .flatMap((row): [number, number][] => {
          const value = y(row);
          return value === null ? [] : [[row.replicas, value]];
        }),
    })),
  );
}

export function replicationPlots(rows: ReplicationRow[]): Record<string, string> {
  const references = rows.filter((row) => row.model === "none");
  return {
    "replication-inserts.svg": renderPlot({
      title: "insert-event throughput against replicas",
      xLabel: "replicas k",
      yLabel: "writes/s, all clients",
      series: seriesOf(rows, (row) => row.inserts?.perSecond ?? null),
    }),
    "replication-queries.svg": renderPlot({
      title: "query-dht throughput against replicas",
      xLabel: "replicas k",
      yLabel: "queries/s, all clients",
      series: [
        ...seriesOf(rows, (row) => row.queries.perSecond),
        ...references.map((row) => ({
          name: `no options, n = ${row.ringSize}`,
          pointsOnly: true,
          points: [[1, row.queries.perSecond]] as [number, number][],
        })),
      ],
    }),
    "replication-stale.svg": renderPlot({
      title: "stale reads in the consistency run against replicas",
      xLabel: "replicas k",
      yLabel: "stale reads (% of reads)",
      series: seriesOf(rows, (row) =>
        row.consistency === null ? null : 100 * row.consistency.stale.share,
      ),
    }),
  };
}

const fixed = (value: number | undefined, digits: number) =>
  value === undefined ? "-" : value.toFixed(digits);
const yesNo = (ok: boolean | undefined) => (ok === undefined ? "-" : ok ? "yes" : "NO");

/** A plain Markdown table of every row, for stdout. */
export function replicationTable(rows: ReplicationRow[]): string[] {
  const lines = [
    "| n | k | model | setup s | writes/s | write p50 ms | p99 ms | queries/s | vs no options | query p50 ms | p99 ms | nodes/query | linearizable | stale reads | converged | failures |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const row of rows) {
    const { inserts, queries, consistency } = row;
    const stale = consistency
      ? `${consistency.stale.stale}/${consistency.stale.reads} (${(100 * consistency.stale.share).toFixed(1)}%)`
      : "-";
    const failures =
      (inserts?.failures ?? 0) +
      queries.failures +
      (consistency ? consistency.writes.failed + consistency.writes.unknown : 0) +
      (consistency?.reads.failed ?? 0);
    const cells = [
      row.ringSize,
      row.replicas,
      row.model === "none" ? "no options" : row.model,
      (row.setupMs / 1000).toFixed(2),
      fixed(inserts?.perSecond, 0),
      fixed(inserts?.p50Ms, 2),
      fixed(inserts?.p99Ms, 2),
      queries.perSecond.toFixed(0),
      `${queries.perSecondVsReference.toFixed(2)}x`,
      queries.p50Ms.toFixed(2),
      queries.p99Ms.toFixed(2),
      queries.meanNodesVisited.toFixed(2),
      yesNo(consistency?.linearizable.ok),
      stale,
      yesNo(consistency?.converged.ok),
      failures,
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines;
}
