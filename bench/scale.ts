/**
 * `npm run bench:scale`: the DHT past the classroom. For each size (default 100,000 and
 * 1,000,000 records) it writes a synthetic year (`npm run data -- synthesize`: real 1996
 * records re-keyed with unique seeded ids) into a temporary folder, and for each ring size
 * (default 8, 16, 32) starts a fresh manager and n + 1 peers and times, from the command
 * on stdin to the leader's `total:` line: setup-dht, a leave (the member with id 1), a
 * join (the peer left out); then 2,000 queries from the peer outside the ring. Every
 * count line is checked against the hashing (computed here from the file), every query's
 * outcome against the file, and each daemon's RSS is sampled through every phase.
 * Writes bench/results/scale.json and three SVG plots beside it.
 * Options: --sizes 100000,1000000 --rings 8,16,32 --queries 2000 --seed 1 --echo
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ringReport } from "../daemons/demo/acceptance.ts";
import { type Daemon, register, startManager, startPeer } from "../daemons/demo/processes.ts";
import { countsFor, eventIdsOf } from "../daemons/test/support/independent.ts";
import { median } from "../daemons/test/support/memory.ts";
import { TEST_DATA_DIR } from "../daemons/test/support/paths.ts";
import { synthesizeYear } from "../data/src/synthesize.ts";
import { RssSampler } from "./support/rss-sampler.ts";
import { type ScaleRow, scalePlots } from "./support/scale-plots.ts";
import { machineFacts, peerName, writeResults } from "./support/scenario.ts";
import { seeded, stats } from "./support/stats.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100000,1000000" },
    rings: { type: "string", default: "8,16,32" },
    queries: { type: "string", default: "2000" },
    seed: { type: "string", default: "1" },
    echo: { type: "boolean", default: false },
  },
});
const sizes = values.sizes.split(",").map(Number);
const rings = values.rings.split(",").map(Number);
const queryCount = Number(values.queries);
const seed = Number(values.seed);
const echo = values.echo
  ? (label: string, line: string) => process.stdout.write(`${label.padEnd(5)}| ${line}\n`)
  : undefined;
/** A million records take tens of seconds to store: far longer than the default waits. */
const WAIT = ["--wait-timeout", "600s"];
const PEER_WAIT = ["--command-timeout", "610s"];
const STEP_MS = 620_000;
const TOTAL = /^total: \d+ records on \d+ nodes$/;
const MB = 2 ** 20;

function check(what: string, actual: number[], expected: number[]): void {
  if (actual.join(",") !== expected.join(",")) {
    throw new Error(
      `${what}: counts ${actual.join(",")} but the hashing gives ${expected.join(",")}`,
    );
  }
}

/** Runs `command` on `from`, waits for `until` on `from` and then `total:` on `leader`. */
async function timed(from: Daemon, command: string, until: RegExp, leader: Daemon) {
  leader.mark();
  const leaderStart = leader.lines.length;
  const lines = await from.run(command, until, STEP_MS);
  if (!lines.at(-1)?.endsWith("SUCCESS")) throw new Error(`${command}: ${lines.at(-1)}`);
  // The leader may have printed its counts already (a setup's come before dht-complete).
  const printed = () =>
    leader.lines.findIndex((line, index) => index >= leaderStart && TOTAL.test(line));
  if (printed() < 0) await leader.waitFor(TOTAL, STEP_MS);
  const totalAt = printed();
  const ms = (leader.times[totalAt] as number) - from.lastSentAt;
  return { ms, report: ringReport(leader.lines.slice(leaderStart)) };
}

async function runQueries(peer: Daemon, name: string, ids: number[]) {
  const known = new Set(ids);
  const random = seeded(seed);
  const samples: number[] = [];
  let wrong = 0;
  const started = performance.now();
  for (let index = 0; index < queryCount; index += 1) {
    // One in ten asks for an id no record has (synthetic ids are all 9 digits or more).
    const absent = index % 10 === 9;
    const eventId = absent
      ? 1 + Math.floor(random() * 99_999_999)
      : (ids[Math.floor(random() * ids.length)] as number);
    const lines = await peer.run(
      `query-dht ${name} ${eventId}`,
      /^id-seq: |gave up|: FAILURE/,
      30_000,
    );
    samples.push((peer.times.at(-1) as number) - peer.lastSentAt);
    const missing = lines.some((line) => line.includes("not found in the DHT"));
    if (!lines.at(-1)?.startsWith("id-seq: ") || missing !== (absent || !known.has(eventId)))
      wrong += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  const summary = stats(samples);
  return {
    count: samples.length,
    p50Ms: summary.median,
    p99Ms: summary.p99,
    perSecond: samples.length / seconds,
    wrong,
  };
}

async function runRing(
  dataDir: string,
  year: string,
  ids: number[],
  ringSize: number,
): Promise<ScaleRow> {
  const { manager, port } = await startManager({ args: WAIT, ...(echo ? { echo } : {}) });
  const names = Array.from({ length: ringSize + 1 }, (_, index) => peerName(index));
  const peers = new Map(
    names.map((name) => [
      name,
      startPeer(name, port, dataDir, { args: PEER_WAIT, ...(echo ? { echo } : {}) }),
    ]),
  );
  const peer = (name: string) => peers.get(name) as Daemon;
  const sampler = new RssSampler([manager, ...peers.values()]);
  try {
    for (const name of names) await register(peer(name), name);
    const [leaderName = ""] = names;
    sampler.start();
    const setup = await timed(
      peer(leaderName),
      `setup-dht ${leaderName} ${ringSize} ${year}`,
      /^dht-complete \w+: |: FAILURE|refused/,
      peer(leaderName),
    );
    check(`setup n=${ringSize}`, setup.report.counts, countsFor(ids, ringSize));
    const leaver = setup.report.names[1] as string;
    const newLeader = peer(setup.report.names[2] as string);
    const leave = await timed(
      peer(leaver),
      `leave-dht ${leaver}`,
      /^dht-rebuilt \w+ \w+: |: FAILURE/,
      newLeader,
    );
    check(`leave n=${ringSize}`, leave.report.counts, countsFor(ids, ringSize - 1));
    const joiner = names.find((name) => !setup.report.names.includes(name)) as string;
    const join = await timed(
      peer(joiner),
      `join-dht ${joiner}`,
      /^dht-rebuilt \w+ \w+: |: FAILURE/,
      newLeader,
    );
    check(`join n=${ringSize}`, join.report.counts, countsFor(ids, ringSize));
    const peaks = sampler.stop();
    const queries = await runQueries(peer(leaver), leaver, ids);
    const held = new Map(join.report.names.map((name, id) => [name, join.report.counts[id] ?? 0]));
    const roleOf = (daemon: Daemon): ScaleRow["rss"][number]["role"] => {
      if (daemon === manager) return "manager";
      if (!held.has(daemon.label)) return "free";
      // Both leaders read the whole year: the setup's, and the right neighbour of the leaver.
      return daemon.label === leaderName || daemon === newLeader ? "leader" : "member";
    };
    const rss = [manager, ...peers.values()].map((daemon) => ({
      name: daemon.label,
      role: roleOf(daemon),
      peakMb: (peaks.get(daemon.label) ?? 0) / MB,
      held: held.get(daemon.label) ?? 0,
    }));
    return {
      records: ids.length,
      ringSize,
      setupMs: setup.ms,
      leaveMs: leave.ms,
      joinMs: join.ms,
      queries,
      rss,
    };
  } finally {
    sampler.stop();
    await Promise.all([manager, ...peers.values()].map((daemon) => daemon.stop()));
  }
}

const started = performance.now();
const rows: ScaleRow[] = [];
const dataDir = mkdtempSync(path.join(tmpdir(), "stormring-scale-"));
try {
  for (const [index, records] of sizes.entries()) {
    const year = String(9101 + index);
    const made = await synthesizeYear({
      sourceYear: "1996",
      dataDir: TEST_DATA_DIR,
      year,
      records,
      seed,
      outDir: dataDir,
    });
    const ids = eventIdsOf(made.file);
    for (const ringSize of rings) {
      const row = await runRing(dataDir, year, ids, ringSize);
      rows.push(row);
      const leaderMb = row.rss.find((entry) => entry.role === "leader")?.peakMb ?? 0;
      process.stderr.write(
        `${records} records, n=${ringSize}: setup ${row.setupMs.toFixed(0)} ms, leave ${row.leaveMs.toFixed(0)} ms, join ${row.joinMs.toFixed(0)} ms, ` +
          `queries p50 ${row.queries.p50Ms.toFixed(2)} ms p99 ${row.queries.p99Ms.toFixed(2)} ms ${row.queries.perSecond.toFixed(0)}/s (${row.queries.wrong} wrong), leader peak ${leaderMb.toFixed(0)} MB\n`,
      );
    }
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

const file = writeResults("scale.json", {
  machine: machineFacts(),
  config: {
    sizes,
    rings,
    queries: queryCount,
    seed,
    generator: "npm run data -- synthesize (re-keyed 1996)",
  },
  note: "times run from writing the command to a daemon's stdin to the leader's `total:` line (leave and join: the new leader's); counts checked against the hashing; RSS peaks sampled every 200 ms through setup, leave and join",
  rows,
  totalSeconds: (performance.now() - started) / 1000,
});
for (const [name, svg] of Object.entries(scalePlots(rows))) {
  writeFileSync(path.join(path.dirname(file), name), svg);
}
console.log(
  "| records | n | setup s | leave s | join s | query p50 ms | p99 ms | queries/s | leader peak MB | member peak MB (median) |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const row of rows) {
  const members = row.rss.filter((entry) => entry.role === "member").map((entry) => entry.peakMb);
  const leaderMb = row.rss.find((entry) => entry.role === "leader")?.peakMb ?? 0;
  console.log(
    `| ${row.records} | ${row.ringSize} | ${(row.setupMs / 1000).toFixed(2)} | ${(row.leaveMs / 1000).toFixed(2)} | ${(row.joinMs / 1000).toFixed(2)} | ${row.queries.p50Ms.toFixed(2)} | ${row.queries.p99Ms.toFixed(2)} | ${row.queries.perSecond.toFixed(0)} | ${leaderMb.toFixed(0)} | ${median(members).toFixed(0)} |`,
  );
}
console.log(
  `results: ${file} and its plots, in ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
