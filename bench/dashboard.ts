/**
 * `npm run bench` (second part): does the dashboard stay responsive while a DHT of 48,534
 * records is built and queried? Starts the server (a manager, six peers added and
 * registered through the API), opens the dashboard in Debian's Chromium, and per run:
 * `setup-dht alpha 5 1996` through the API while the page is live, 50 queries from the peer
 * left out of the ring, then a teardown. The page's long tasks and animation-frame gaps are
 * measured per phase, with the timeline entries it received and its JS heap; the gzip sizes
 * of the built assets come along. Prints a table and writes bench/results/dashboard.json.
 * Options: --runs <R> (3), --queries <Q> (50).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { ringReport } from "../daemons/demo/acceptance.ts";
import {
  DATA_DIR,
  openDashboard,
  REPO_ROOT,
  type RunningBrowser,
  type RunningServer,
  startServer,
} from "../e2e/support/harness.ts";
import { StormringApi } from "./support/api.ts";
import {
  installProbes,
  type PhaseMetrics,
  readHeap,
  readProbes,
  readTimelineRange,
  resetProbes,
} from "./support/page-probes.ts";
import {
  LEADER,
  machineFacts,
  PEERS,
  RING,
  writeResults,
  YEAR,
  yearEventIds,
} from "./support/scenario.ts";

const READY_TEXT = `DHT of ${RING}, year ${YEAR}, ready`;
const STEP_MS = 180_000;
const WEB_DIST = path.join(REPO_ROOT, "web", "dist");

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    queries: { type: "string", default: "50" },
  },
});
const runCount = Number(values.runs);
const queryCount = Number(values.queries);

/** The page is served from web/dist; a missing build would measure a 404. */
function ensureWebBuild(): void {
  if (existsSync(path.join(WEB_DIST, "index.html"))) return;
  execFileSync("npm", ["run", "build:web"], { cwd: REPO_ROOT, stdio: "inherit" });
}

/** Raw and gzip bytes of each built JS and CSS file: what a browser downloads. */
function assetSizes() {
  const dir = path.join(WEB_DIST, "assets");
  return readdirSync(dir)
    .filter((file) => /\.(js|css)$/.test(file))
    .map((file) => {
      const bytes = readFileSync(path.join(dir, file));
      return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
    });
}

/** `count` event ids spread evenly over the year's file, so every node gets asked. */
function queryIds(count: number): number[] {
  const ids = yearEventIds(DATA_DIR);
  return Array.from({ length: count }, (_, i) => ids[Math.floor((i * ids.length) / count)] ?? 0);
}

/** Waits until the page holds every timeline entry the server has; returns that seq. */
async function waitForCatchUp(api: StormringApi, page: Page, after: number): Promise<number> {
  const serverLast = await api.lastTimelineSeq(after);
  const deadline = Date.now() + STEP_MS;
  while ((await readTimelineRange(page)).max < serverLast) {
    if (Date.now() > deadline) throw new Error(`page never reached timeline seq ${serverLast}`);
    await page.waitForTimeout(50);
  }
  return serverLast;
}

interface RunResult {
  setupCommandMs: number;
  setupPageReadyMs: number;
  setupCaughtUpMs: number;
  setup: PhaseMetrics;
  queriesMs: number;
  queries: PhaseMetrics;
  /** Entries the page holds (since it opened) and those that arrived during this run. */
  timelineEntries: number;
  timelineEntriesThisRun: number;
  timelineMaxSeq: number;
  heapBefore: { performanceMemory: number; cdp: number };
  heapAfter: { performanceMemory: number; cdp: number };
}

/** One setup (timed from the API call), the queries, then a teardown back to "no DHT". */
async function measureRun(api: StormringApi, page: Page, ids: Map<string, string>) {
  const heapBefore = await readHeap(page);
  const seqBefore = (await readTimelineRange(page)).max;
  await resetProbes(page);
  const started = performance.now();
  const setupLines = await api.command(
    ids.get(LEADER) ?? "",
    `setup-dht ${LEADER} ${RING} ${YEAR}`,
  );
  const setupCommandMs = performance.now() - started;
  await page.getByText(READY_TEXT).first().waitFor({ timeout: STEP_MS });
  const setupPageReadyMs = performance.now() - started;
  const seqAfterSetup = await waitForCatchUp(api, page, seqBefore);
  const setupCaughtUpMs = performance.now() - started;
  const setup = await readProbes(page);

  const ring = ringReport(setupLines).names;
  const outsider = PEERS.find((name) => !ring.includes(name));
  if (ring.length !== RING || outsider === undefined) {
    throw new Error(`no ring of ${RING} in the setup's lines: ${setupLines.join(" | ")}`);
  }
  await resetProbes(page);
  const queriesStarted = performance.now();
  for (const eventId of queryIds(queryCount)) {
    await api.command(ids.get(outsider) ?? "", `query-dht ${outsider} ${eventId}`);
  }
  const queriesMs = performance.now() - queriesStarted;
  await waitForCatchUp(api, page, seqAfterSetup);
  const queries = await readProbes(page);
  const range = await readTimelineRange(page);
  const heapAfter = await readHeap(page);

  await api.command(ids.get(LEADER) ?? "", `teardown-dht ${LEADER}`);
  await page.getByText("no DHT").first().waitFor({ timeout: STEP_MS });
  const result: RunResult = {
    setupCommandMs,
    setupPageReadyMs,
    setupCaughtUpMs,
    setup,
    queriesMs,
    queries,
    timelineEntries: range.max - range.min,
    timelineEntriesThisRun: range.max - seqBefore,
    timelineMaxSeq: range.max,
    heapBefore,
    heapAfter,
  };
  return result;
}

async function main() {
  ensureWebBuild();
  const assets = assetSizes();
  const runs: RunResult[] = [];
  let server: RunningServer | undefined;
  let browser: RunningBrowser | undefined;
  try {
    server = await startServer();
    const api = new StormringApi(server.url);
    const ids = new Map<string, string>();
    for (const name of PEERS) ids.set(name, await api.addRegisteredPeer(name));
    browser = await openDashboard(server.url);
    await installProbes(browser.page);
    await browser.page.getByText("no DHT").first().waitFor({ timeout: STEP_MS });
    for (let run = 1; run <= runCount; run += 1) {
      const result = await measureRun(api, browser.page, ids);
      runs.push(result);
      process.stderr.write(
        `run ${run}/${runCount}: setup ${result.setupCommandMs.toFixed(0)} ms, ` +
          `${result.setup.longTaskCount} long tasks, max frame gap ${result.setup.maxFrameGapMs.toFixed(0)} ms\n`,
      );
    }
  } finally {
    // Stop everything this bench started, also when a step failed.
    await browser?.close();
    await server?.stop();
  }
  return { assets, runs, pageErrors: browser?.pageErrors ?? [] };
}

const { assets, runs, pageErrors } = await main();
const results = {
  machine: machineFacts(),
  config: { dataDir: DATA_DIR, runs: runCount, queries: queryCount, ringSize: RING, year: YEAR },
  note: "setup times run from the API call; long tasks and frame gaps are the page's own (PerformanceObserver 'longtask', requestAnimationFrame), per phase; heap is usedJSHeapSize",
  runs,
  assets,
  pageErrors,
};
const outFile = writeResults("dashboard.json", results);

const cell = (x: number) => x.toFixed(0).padStart(9);
const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1).padStart(9);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const row = (label: string, pick: (run: RunResult) => string) =>
  `${label.padEnd(38)}${runs.map(pick).join("")}`;
/** The rows of one phase's page metrics. */
const phaseRows = (phase: "setup" | "queries") => [
  row(`${phase}: long tasks`, (r) => cell(r[phase].longTaskCount)),
  row(`${phase}: long tasks total, ms`, (r) => cell(r[phase].longTaskTotalMs)),
  row(`${phase}: longest long task, ms`, (r) => cell(r[phase].longTaskMaxMs)),
  row(`${phase}: longest frame gap, ms`, (r) => cell(r[phase].maxFrameGapMs)),
  row(`${phase}: p95 frame gap, ms`, (r) => cell(r[phase].p95FrameGapMs)),
];
process.stdout.write(
  [
    "",
    `stormring dashboard bench: ${results.machine.cpus} CPUs, node ${results.machine.node}, ${results.machine.date}`,
    `setup-dht ${LEADER} ${RING} ${YEAR} via the API with the dashboard open in Chromium, then ${queryCount} queries`,
    `${"".padEnd(38)}${runs.map((_, i) => `run ${i + 1}`.padStart(9)).join("")}`,
    row("setup: API call returned, ms", (r) => cell(r.setupCommandMs)),
    row("setup: page shows ready, ms", (r) => cell(r.setupPageReadyMs)),
    row("setup: page caught up, ms", (r) => cell(r.setupCaughtUpMs)),
    ...phaseRows("setup"),
    row("queries: wall, ms", (r) => cell(r.queriesMs)),
    ...phaseRows("queries"),
    row("timeline entries in the page, total", (r) => cell(r.timelineEntries)),
    row("timeline entries in the page, this run", (r) => cell(r.timelineEntriesThisRun)),
    row("heap before, MB (performance.memory)", (r) => mb(r.heapBefore.performanceMemory)),
    row("heap after, MB (performance.memory)", (r) => mb(r.heapAfter.performanceMemory)),
    "",
    `assets: ${assets.map((a) => `${a.file} ${kb(a.bytes)} (gzip ${kb(a.gzipBytes)})`).join(", ")}`,
    `page errors: ${pageErrors.length}; results in ${outFile}`,
    "",
  ].join("\n"),
);
