/**
 * What `npm run bench` reports: each figure, what its stormring time and its floor time
 * include, and the table of both with their ratio. The README's Benchmark section says
 * the same in prose; change them together.
 */
import { type Summary, stats } from "./stats.ts";

export const FAULTS = "drop=0.05";

export type FigureKey =
  | "setupCold"
  | "setupWarm"
  | "setupColdLoss"
  | "setupWarmLoss"
  | "leave"
  | "join"
  | "walk"
  | "console"
  | "control";

export const INCLUDES: Record<FigureKey, { stormring: string; floor: string }> = {
  setupCold: {
    stormring:
      "the first setup-dht on freshly started, registered daemons (start and register not timed), from writing it to the leader's stdin to its `total:` line; the leader reads, gunzips and csv-parses the year, the manager round trip, set-id to every node, the stores round the ring and the count round, all on code not yet compiled by the JIT",
    floor:
      "the first store on freshly started floor nodes, from writing it to the leader's stdin to its `total:` line; the leader reads, gunzips and csv-parses the year, the stores along the chain, the count round back to it",
  },
  setupWarm: {
    stormring:
      "the second setup-dht on the same daemons after a teardown (untimed; the bench waits until every peer is out of the DHT): as cold, but the leader's year cache holds the parsed year",
    floor: "the second store on the same nodes: the leader keeps the records it read",
  },
  setupColdLoss: {
    stormring: `as cold, with STORMRING_FAULTS=${FAULTS} on every daemon's sends`,
    floor: `as cold, with STORMRING_FAULTS=${FAULTS} on every node's sends`,
  },
  setupWarmLoss: {
    stormring: `as warm, with STORMRING_FAULTS=${FAULTS}`,
    floor: `as warm, with STORMRING_FAULTS=${FAULTS}`,
  },
  leave: {
    stormring:
      "leave-dht of node 2 after the warm setup, from stdin to its `dht-rebuilt ...: SUCCESS` line; manager round trips, the teardown and reset-id rounds, the new leader (node 3) reading and parsing the year for the first time, stores and counts over 4 nodes, rebuild-done",
    floor: "a store over 4 nodes led by node 3, which has not read the year yet",
  },
  join: {
    stormring:
      "join-dht of the peer outside the ring, from stdin to its `dht-rebuilt ...: SUCCESS` line; manager round trips, node-joining, the teardown and reset-id rounds, the leader's cached year stored over 5 nodes, rebuild-done",
    floor: "a store over 5 nodes led by node 3, which keeps the year it read for the leave",
  },
  walk: {
    stormring:
      "the walk alone: the bench's own socket (the daemons' transport) sends find-event to a random member, the hot-potato hops, the owner's find-result back to it",
    floor: "the same walk with the floor's query datagrams between its nodes",
  },
  console: {
    stormring:
      "query-dht typed on the peer outside the ring, from stdin to its `id-seq:` line; the manager round trip for a member, the walk, the record printed",
    floor: "the floor's walk",
  },
  control: {
    stormring:
      "query-dht as a command frame on the control channel of a seventh peer, to the result frame; as the console, plus the WebSocket both ways and an event per message and line for the client",
    floor: "the floor's walk",
  },
};

/** A figure measured once per round on each side, in the same round. */
export interface PairedFigure {
  stormring: number[];
  floor: number[];
}

/** The medians and the median of the per-round ratios, which pairs what noise each round had. */
export function summarisePaired({ stormring, floor }: PairedFigure) {
  const ratios = stormring.map((ms, round) => ms / (floor[round] as number));
  return {
    stormring: { medianMs: stats(stormring).median, ms: stormring },
    floor: { medianMs: stats(floor).median, ms: floor },
    ratio: stats(ratios).median,
    ratios,
  };
}

export interface Row {
  label: string;
  stormring: number;
  floor: number;
  unit: "ms" | "/s";
}

const PAIRED_ROWS: [FigureKey, string][] = [
  ["setupCold", "setup-dht 1996 n=5, cold (fresh processes)"],
  ["setupWarm", "setup-dht 1996 n=5, warm (second, same processes)"],
  ["setupColdLoss", `setup-dht cold, ${FAULTS}`],
  ["setupWarmLoss", `setup-dht warm, ${FAULTS}`],
  ["leave", "leave-dht (rebuild on 4)"],
  ["join", "join-dht (rebuild on 5)"],
];

/** The ways the query phase asks: the floor's walk, and stormring's three. */
export type WayKey = "floorWalk" | "walk" | "console" | "control";

const WAY_LABELS = {
  walk: "walk only",
  console: "query-dht via the console",
  control: "query-dht via the control channel",
} as const;

/**
 * The rows of the table: paired figures as medians with the median per-round ratio, then
 * each of stormring's ways to query against the floor's walk, asked in the same phase.
 */
export function tableRows(
  paired: Map<FigureKey, PairedFigure>,
  queries: Map<WayKey, { ms: Summary; perSecond: number }>,
): (Row & { ratio: number })[] {
  const rows: (Row & { ratio: number })[] = [];
  for (const [key, label] of PAIRED_ROWS) {
    const figure = paired.get(key);
    if (figure === undefined || figure.stormring.length === 0) continue;
    const summary = summarisePaired(figure);
    const [stormring, floor] = [summary.stormring.medianMs, summary.floor.medianMs];
    rows.push({ label, stormring, floor, unit: "ms", ratio: summary.ratio });
  }
  const floor = queries.get("floorWalk");
  if (floor === undefined) return rows;
  for (const key of ["walk", "console", "control"] as const) {
    const way = queries.get(key);
    if (way === undefined) continue;
    const add = (what: string, stormring: number, floorValue: number, unit: Row["unit"]) =>
      rows.push({
        label: `${WAY_LABELS[key]}, ${what}`,
        stormring,
        floor: floorValue,
        unit,
        ratio: stormring / floorValue,
      });
    add("p50", way.ms.median, floor.ms.median, "ms");
    add("p99", way.ms.p99, floor.ms.p99, "ms");
    add("sequential", way.perSecond, floor.perSecond, "/s");
  }
  return rows;
}

/** The table as Markdown, so it pastes into an issue or the README as it is. */
export function formatTable(rows: (Row & { ratio: number })[]): string {
  const value = (x: number, unit: Row["unit"]) =>
    unit === "/s" ? `${x.toFixed(0)}/s` : x < 10 ? `${x.toFixed(2)} ms` : `${x.toFixed(0)} ms`;
  return [
    "| figure | stormring | floor | stormring / floor |",
    "| --- | ---: | ---: | ---: |",
    ...rows.map(
      (row) =>
        `| ${row.label} | ${value(row.stormring, row.unit)} | ${value(row.floor, row.unit)} | ${row.ratio.toFixed(2)}x |`,
    ),
  ].join("\n");
}
