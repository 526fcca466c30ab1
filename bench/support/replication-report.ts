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
  /**
   * The consistency run again, on a fresh ring whose members (not the clients, not the
   * manager) delay every datagram they send by up to copyDelayMs, so a background copy
   * lags behind the write it was acknowledged for; null for the assignment's DHT or when
   * the phase is off (--copy-delay-ms 0).
   */
  delayed: { copyDelayMs: number; setupMs: number; consistency: ConsistencyResult } | null;
}

const MODELS = ["chain", "eventual"] as const;

/** One series per (n, model) of y against k; `suffix` tells apart series of another run. */
function seriesOf(rows: ReplicationRow[], y: (row: ReplicationRow) => number | null, suffix = "") {
  const rings = [...new Set(rows.map((row) => row.ringSize))];
  const label = (model: Model, ringSize: number) =>
    (rings.length > 1 ? `${model}, n = ${ringSize}` : model) + suffix;
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

const staleShare = (consistency: ConsistencyResult | null | undefined) =>
  consistency ? 100 * consistency.stale.share : null;

export function replicationPlots(rows: ReplicationRow[]): Record<string, string> {
  const references = rows.filter((row) => row.model === "none");
  const delayMs = rows.find((row) => row.delayed)?.delayed?.copyDelayMs;
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
      // The legend has room for short names only: the title says what "delayed" means.
      title:
        delayMs === undefined
          ? "stale reads in the consistency run against replicas"
          : `stale reads against replicas (delayed: members send 0..${delayMs} ms late)`,
      xLabel: "replicas k",
      yLabel: "stale reads (% of reads)",
      series: [
        ...seriesOf(rows, (row) => staleShare(row.consistency)),
        // Only when the delayed runs were made: no empty series in the legend otherwise.
        ...(delayMs === undefined
          ? []
          : seriesOf(rows, (row) => staleShare(row.delayed?.consistency), ", delayed")),
      ],
    }),
  };
}

const fixed = (value: number | undefined, digits: number) =>
  value === undefined ? "-" : value.toFixed(digits);
const yesNo = (ok: boolean | undefined) => (ok === undefined ? "-" : ok ? "yes" : "NO");

/** A consistency run's three cells (linearizable, stale reads, converged) and its failures. */
function consistencyCells(consistency: ConsistencyResult | null | undefined) {
  if (!consistency) return { cells: ["-", "-", "-"], failures: 0 };
  const { stale, writes, reads } = consistency;
  return {
    cells: [
      yesNo(consistency.linearizable.ok),
      `${stale.stale}/${stale.reads} (${(100 * stale.share).toFixed(1)}%)`,
      yesNo(consistency.converged.ok),
    ],
    failures: writes.failed + writes.unknown + reads.failed,
  };
}

/** A plain Markdown table of every row, for stdout. */
export function replicationTable(rows: ReplicationRow[]): string[] {
  const delayMs = rows.find((row) => row.delayed)?.delayed?.copyDelayMs ?? 0;
  const lines = [
    `| n | k | model | setup s | writes/s | write p50 ms | p99 ms | queries/s | vs no options | query p50 ms | p99 ms | nodes/query | linearizable | stale reads | converged | ≤${delayMs} ms: linearizable | stale reads | converged | failures |`,
    `|${" --- |".repeat(19)}`,
  ];
  for (const row of rows) {
    const { inserts, queries } = row;
    const plain = consistencyCells(row.consistency);
    const delayed = consistencyCells(row.delayed?.consistency);
    const failures =
      (inserts?.failures ?? 0) + queries.failures + plain.failures + delayed.failures;
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
      ...plain.cells,
      ...delayed.cells,
      failures,
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines;
}
