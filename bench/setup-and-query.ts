/**
 * `npm run bench` (first part): stormring against its floor, a plain node:dgram chain
 * written in bench/floor/ that moves the same records in datagrams of the same size with
 * the same window, measured in the same run and interleaved with it, so that noise on
 * the shared machine falls on both alike and the ratios are what count.
 *
 * Per round, on fresh processes (a manager and six peers; five floor nodes): a cold
 * setup-dht 1996 on 5 and a cold floor store, a teardown, a warm setup and a warm floor
 * store, then a leave and a join with their floor stores; the two sides take turns going
 * first. Every build's per-node counts are checked against the hashing of the file
 * (test/support/independent.ts). In the last round, the query phase (query-phase.ts).
 * Then rounds with 5% loss, cold and warm setups only. What each figure includes is in
 * support/figures.ts and the README. Writes bench/results/setup-and-query.json.
 * Options: --data-dir <dir> (else $DHT_DATA_DIR, else the shipped data/), --rounds <R> (7),
 * --loss-rounds <L> (7), --queries <Q> (3000), --warmup <W> (200), --block <B> (100),
 * --seed <S> (1996), --echo.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { DaemonOptions } from "../daemons/demo/processes.ts";
import { TEST_DATA_DIR } from "../daemons/test/support/paths.ts";
import { FloorChain } from "./floor/chain.ts";
import { FloorWalker } from "./floor/walk-client.ts";
import { ConsoleAsker, ControlAsker } from "./support/askers.ts";
import {
  FAULTS,
  type FigureKey,
  formatTable,
  INCLUDES,
  type PairedFigure,
  summarisePaired,
  tableRows,
  type WayKey,
} from "./support/figures.ts";
import {
  type AskedWay,
  planQueries,
  runQueryPhase,
  type WayResult,
} from "./support/query-phase.ts";
import {
  checkCounts,
  LEADER,
  machineFacts,
  PEERS,
  RING,
  writeResults,
  YEAR,
  yearEventIds,
} from "./support/scenario.ts";
import { rounded, roundedThroughout, stats } from "./support/stats.ts";
import { StormringRing, type TimedBuild } from "./support/stormring-ring.ts";
import { StormringWalker } from "./support/stormring-walker.ts";

const { values } = parseArgs({
  options: {
    "data-dir": { type: "string" },
    rounds: { type: "string", default: "7" },
    "loss-rounds": { type: "string", default: "7" },
    queries: { type: "string", default: "3000" },
    warmup: { type: "string", default: "200" },
    block: { type: "string", default: "100" },
    seed: { type: "string", default: "1996" },
    echo: { type: "boolean", default: false },
  },
});
const dataDir = path.resolve(values["data-dir"] ?? process.env.DHT_DATA_DIR ?? TEST_DATA_DIR);
const config = {
  dataDir,
  rounds: Number(values.rounds),
  lossRounds: Number(values["loss-rounds"]),
  queries: Number(values.queries),
  warmup: Number(values.warmup),
  block: Number(values.block),
  seed: Number(values.seed),
  ringSize: RING,
  year: YEAR,
};
const echo = values.echo
  ? (label: string, line: string) => process.stdout.write(`${label.padEnd(8)}| ${line}\n`)
  : undefined;
/** The file both sides read: the plain .csv where there is one, as the peer's loader does. */
const plainFile = path.join(dataDir, `details-${YEAR}.csv`);
const yearFile = existsSync(plainFile) ? plainFile : `${plainFile}.gz`;
const eventIds = yearEventIds(dataDir);
const CONTROL_PEER = "golf";

const paired = new Map<FigureKey, PairedFigure>();

/**
 * Times one figure on both sides, one after the other, which goes first alternating from
 * round to round, so neither side always runs on the heels of the other's work.
 */
async function both(
  key: FigureKey,
  stormringStep: () => Promise<TimedBuild>,
  floorStep: () => Promise<{ ms: number; counts: number[] }>,
  ringSize: number,
): Promise<TimedBuild> {
  const figure = paired.get(key) ?? { stormring: [], floor: [] };
  let built: TimedBuild | undefined;
  let floorMs = 0;
  const runStormring = async () => {
    built = await stormringStep();
    checkCounts(`stormring ${key}`, built.counts, eventIds, ringSize);
  };
  const runFloor = async () => {
    const stored = await floorStep();
    checkCounts(`floor ${key}`, stored.counts, eventIds, ringSize);
    floorMs = stored.ms;
  };
  const floorFirst = figure.floor.length % 2 === 0;
  for (const step of floorFirst ? [runFloor, runStormring] : [runStormring, runFloor]) {
    await step();
  }
  figure.stormring.push((built as TimedBuild).ms);
  figure.floor.push(floorMs);
  paired.set(key, figure);
  return built as TimedBuild;
}

/** By round kind: peers found still in the DHT after a teardown-complete (a daemon race). */
const lateLeavers = { clean: 0, lossy: 0 };
let queryResults: Map<WayKey, WayResult> | undefined;
let daemonWalkMs: number[] = [];

async function queryPhase(ring: StormringRing, chain: FloorChain, members: string[]) {
  const outsider = PEERS.find((name) => !members.includes(name)) as string;
  await ring.addPeer(CONTROL_PEER, ["--control-port", "0"]);
  const floorWalker = await FloorWalker.open(chain.ports);
  const walker = await StormringWalker.open(members.map((name) => ring.pportOf(name)));
  const control = await ControlAsker.connect(ring.controlUrlOf(CONTROL_PEER), CONTROL_PEER);
  try {
    const ways: AskedWay<WayKey>[] = [
      { key: "floorWalk", asker: floorWalker },
      { key: "walk", asker: walker },
      { key: "console", asker: new ConsoleAsker(ring.peer(outsider), outsider) },
      { key: "control", asker: control },
    ];
    const plan = planQueries(eventIds, config.queries, RING, config.seed);
    queryResults = await runQueryPhase(ways, plan, config.warmup, config.block);
    daemonWalkMs = control.daemonWalkMs.slice(config.warmup);
  } finally {
    control.close();
    floorWalker.close();
    await walker.close();
  }
}

async function round(index: number, lossy: boolean, withQueries: boolean): Promise<void> {
  const env = lossy ? { STORMRING_FAULTS: FAULTS } : {};
  const options: DaemonOptions = { env, ...(echo ? { echo } : {}) };
  const [ring, chain] = await Promise.all([
    StormringRing.start(PEERS, dataDir, options),
    FloorChain.start(RING, options),
  ]);
  const all = [0, 1, 2, 3, 4];
  try {
    const [cold, warm] = lossy ? ["setupColdLoss", "setupWarmLoss"] : ["setupCold", "setupWarm"];
    await both(
      cold as FigureKey,
      () => ring.setup(),
      () => chain.store(all, yearFile),
      RING,
    );
    await ring.teardown();
    const built = await both(
      warm as FigureKey,
      () => ring.setup(),
      () => chain.store(all, yearFile),
      RING,
    );
    if (withQueries) await queryPhase(ring, chain, built.names);
    if (!lossy) {
      // Node 2 leaves, so node 3 leads the rebuilt ring and reads the year for the first
      // time; the outsider joins the ring node 3 leads. The floor's stores mirror both.
      const [leaver, newLeader] = [built.names[2] as string, built.names[3] as string];
      const outsider = PEERS.find((name) => !built.names.includes(name)) as string;
      await both(
        "leave",
        () => ring.churn("leave-dht", leaver, newLeader),
        () => chain.store([3, 4, 0, 1], yearFile),
        RING - 1,
      );
      await both(
        "join",
        () => ring.churn("join-dht", outsider, newLeader),
        () => chain.store([3, 4, 0, 1, 2], yearFile),
        RING,
      );
    }
    const label = lossy ? `round ${index} (${FAULTS})` : `round ${index}`;
    const last = (key: string) =>
      paired
        .get(key as FigureKey)
        ?.stormring.at(-1)
        ?.toFixed(0);
    const lastFloor = (key: string) =>
      paired
        .get(key as FigureKey)
        ?.floor.at(-1)
        ?.toFixed(0);
    process.stderr.write(
      `${label}: cold ${last(cold)} ms (floor ${lastFloor(cold)}), warm ${last(warm)} ms (floor ${lastFloor(warm)})\n`,
    );
  } finally {
    lateLeavers[lossy ? "lossy" : "clean"] += ring.lateLeavers;
    await Promise.all([ring.stop(), chain.stop()]);
  }
}

const started = performance.now();
const machineAtStart = machineFacts();
for (let r = 1; r <= config.rounds; r += 1) await round(r, false, r === config.rounds);
for (let r = 1; r <= config.lossRounds; r += 1) await round(r, true, false);

const querySummaries = new Map(
  [...(queryResults ?? new Map<WayKey, WayResult>())].map(([key, result]) => [
    key,
    { ...result, ms: stats(result.ms) },
  ]),
);
const rows = tableRows(paired, querySummaries);
const results = {
  machine: machineAtStart,
  loadAverageAtEnd: machineFacts().loadAverage,
  config,
  note: "stormring / floor: above 1 a time is that many times the floor's, below 1 a rate is that fraction of the floor's. Paired figures: medians over the rounds, ratio the median of the per-round ratios.",
  includes: INCLUDES,
  table: rows,
  paired: Object.fromEntries([...paired].map(([key, figure]) => [key, summarisePaired(figure)])),
  queries: Object.fromEntries(
    [...(queryResults ?? [])].map(([key, result]) => [
      key,
      {
        ms: querySummaries.get(key)?.ms,
        perSecond: result.perSecond,
        meanHops: result.meanHops,
        wrong: result.wrong,
        samplesMs: result.ms,
      },
    ]),
  ),
  daemonTimedWalk: {
    note: "the control peer's own events (query-hop sent to query-result received) in whole milliseconds: the mean only is meaningful, as a check on the bench's walk",
    meanMs: daemonWalkMs.length > 0 ? stats(daemonWalkMs).mean : null,
    n: daemonWalkMs.length,
  },
  lateLeaversAfterTeardown: {
    note: "peers still in the DHT when asked right after the leader's teardown-complete; a setup-dht sent then has its set-id refused and waits 30 s, so the bench waits until each is out",
    ...lateLeavers,
  },
  totalSeconds: rounded((performance.now() - started) / 1000, 1),
};
const outFile = writeResults("setup-and-query.json", roundedThroughout(results));
const wrong = [...(queryResults?.values() ?? [])].reduce((sum, way) => sum + way.wrong, 0);

process.stdout.write(
  [
    "",
    `stormring bench: ${machineAtStart.cpus} CPUs, node ${machineAtStart.node}, load ${machineAtStart.loadAverage.join(" ")}, ${machineAtStart.date}`,
    `setup-dht ${LEADER} ${RING} ${YEAR}: ${config.rounds} rounds, ${config.lossRounds} with ${FAULTS}; ${config.queries} queries each way after ${config.warmup} to warm up`,
    "",
    formatTable(rows),
    "",
    `walk as the asking daemon's events time it (whole ms, mean of ${results.daemonTimedWalk.n}): ${results.daemonTimedWalk.meanMs?.toFixed(2)} ms`,
    `mean id-seq length: ${[...querySummaries].map(([key, s]) => `${key} ${s.meanHops.toFixed(2)}`).join(", ")} (theory (n+1)/2 = ${((RING + 1) / 2).toFixed(2)}); wrong answers ${wrong}`,
    "",
    "What each figure includes (also in the README, Benchmark):",
    ...Object.entries(INCLUDES).map(
      ([key, { stormring, floor }]) => `- ${key}: stormring: ${stormring}; floor: ${floor}`,
    ),
    "",
    `total ${results.totalSeconds} s; results in ${outFile}`,
    "",
  ].join("\n"),
);
if (wrong > 0) process.exitCode = 1;
