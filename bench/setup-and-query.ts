/**
 * `npm run bench`: how long `setup-dht <leader> 5 1996` takes on fresh ("cold") and
 * reused ("warm") daemons, once more with 5% datagram loss, and how long queries from a
 * peer outside the ring take. Every time runs from writing the command to the daemon's
 * stdin to the line that ends it arriving on its stdout, so the pipes are included.
 * Prints a table and writes bench/results/setup-and-query.json.
 * Options: --data-dir <dir> (else $DHT_DATA_DIR, else the shipped data/), --rounds <R> (5), --queries <Q> (200), --seed <S> (1996), --echo.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { ringReport } from "../daemons/demo/acceptance.ts";
import {
  Daemon,
  type DaemonOptions,
  freePort,
  freshStateFile,
  register,
  startPeer,
} from "../daemons/demo/processes.ts";
import { TEST_DATA_DIR } from "../daemons/test/support/paths.ts";
import {
  LEADER,
  machineFacts,
  PEERS,
  RING,
  writeResults,
  YEAR,
  yearEventIds,
} from "./support/scenario.ts";

const FAULTS = "drop=0.05";
const STEP_MS = 60_000;
const SETUP_DONE = /^dht-complete \w+: |: FAILURE|refused/;
const TEARDOWN_DONE = /^teardown-complete \w+: |: FAILURE/;
/** One query in this many asks for an event id that is not in the file. */
const ABSENT_EVERY = 10;

const { values } = parseArgs({
  options: {
    "data-dir": { type: "string" },
    rounds: { type: "string", default: "5" },
    queries: { type: "string", default: "200" },
    seed: { type: "string", default: "1996" },
    echo: { type: "boolean", default: false },
  },
});
const dataDir = path.resolve(values["data-dir"] ?? process.env.DHT_DATA_DIR ?? TEST_DATA_DIR);
const rounds = Number(values.rounds);
const queryCount = Number(values.queries);
const seed = Number(values.seed);
const echo = values.echo
  ? (label: string, line: string) => process.stdout.write(`${label.padEnd(8)}| ${line}\n`)
  : undefined;

/** mulberry32: a small seeded generator, so the query ids are the same on every run. */
function seeded(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Linear interpolation between the closest ranks of an ascending array. */
function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const [low, high] = [sorted[Math.floor(at)] ?? Number.NaN, sorted[Math.ceil(at)] ?? Number.NaN];
  return low + (high - low) * (at - Math.floor(at));
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const [n, min, max] = [samples.length, quantile(sorted, 0), quantile(sorted, 1)];
  const mean = samples.reduce((sum, x) => sum + x, 0) / n;
  return { n, median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), mean, min, max };
}

/** The time from the last command written to `daemon` to the first later line matching. */
function elapsed(daemon: Daemon, from: number, pattern: RegExp): number {
  const index = daemon.lines.findIndex((line, i) => i >= from && pattern.test(line));
  if (index < 0) throw new Error(`${daemon.label}: no line matching ${pattern}`);
  return (daemon.times[index] as number) - daemon.lastSentAt;
}

/** Sends `command` to `daemon` and throws unless its reply line (matching `until`) is SUCCESS. */
async function expectSuccess(daemon: Daemon, command: string, until: RegExp): Promise<string[]> {
  const lines = await daemon.run(command, until, STEP_MS);
  if (!lines.at(-1)?.endsWith("SUCCESS")) throw new Error(`${command}: ${lines.at(-1)}`);
  return lines;
}

async function timedSetup(leader: Daemon) {
  const from = leader.lines.length;
  const setup = `setup-dht ${LEADER} ${RING} ${YEAR}`;
  const lines = await expectSuccess(leader, setup, SETUP_DONE);
  return { ms: elapsed(leader, from, /^total: /), names: ringReport(lines).names };
}

/**
 * On fresh processes (a manager and the six peers, registered): a cold setup, a teardown,
 * a warm setup, then the queries if asked for. Stops every process it started.
 */
async function round(options: DaemonOptions, withQueries: boolean) {
  const port = await freePort();
  const managerArgs = [String(port), "--host", "127.0.0.1", "--state-file", freshStateFile()];
  const daemons = [Daemon.start("manager", "dht-manager", managerArgs, options)];
  try {
    await daemons[0]?.waitFor(/manager listening on/);
    const peers = new Map(PEERS.map((name) => [name, startPeer(name, port, dataDir, options)]));
    daemons.push(...peers.values());
    const peer = (name: string) => peers.get(name) as Daemon;
    for (const name of PEERS) await register(peer(name), name);
    const cold = await timedSetup(peer(LEADER));
    await expectSuccess(peer(LEADER), `teardown-dht ${LEADER}`, TEARDOWN_DONE);
    const warm = await timedSetup(peer(LEADER));
    const outsider = PEERS.find((name) => !warm.names.includes(name)) ?? "";
    const samples = withQueries ? await runQueries(peer(outsider), outsider) : [];
    return { coldMs: cold.ms, warmMs: warm.ms, samples };
  } finally {
    await Promise.all(daemons.map((daemon) => daemon.stop()));
  }
}

/** Event ids from the year's file, with about one in ABSENT_EVERY replaced by an absent id. */
function queryIds(): { eventId: number; present: boolean }[] {
  const ids = yearEventIds(dataDir);
  const known = new Set(ids);
  const [low, high] = [Math.min(...ids), Math.max(...ids)];
  const random = seeded(seed);
  return Array.from({ length: queryCount }, (_, i) => {
    if (i % ABSENT_EVERY === ABSENT_EVERY - 1) {
      let eventId = low;
      while (known.has(eventId)) eventId = low + Math.floor(random() * (high - low));
      return { eventId, present: false };
    }
    return { eventId: ids[Math.floor(random() * ids.length)] as number, present: true };
  });
}

interface QuerySample {
  eventId: number;
  present: boolean;
  ms: number;
  idSeq: number[];
  outcome: "found" | "not found" | "refused";
}

async function runQueries(outsider: Daemon, name: string): Promise<QuerySample[]> {
  const samples: QuerySample[] = [];
  for (const { eventId, present } of queryIds()) {
    const from = outsider.lines.length;
    const lines = await outsider.run(
      `query-dht ${name} ${eventId}`,
      /^id-seq: |gave up|: FAILURE/,
      STEP_MS,
    );
    const last = lines.at(-1) ?? "";
    if (!last.startsWith("id-seq: ")) throw new Error(`query ${eventId} failed: ${last}`);
    const idSeq = last.slice("id-seq: ".length).trim().split(/\s+/).filter(Boolean).map(Number);
    const refused = lines.some((line) => line.includes("refused"));
    const missing = lines.some((line) => line.includes("not found in the DHT"));
    const outcome = refused ? "refused" : missing ? "not found" : "found";
    samples.push({ eventId, present, ms: elapsed(outsider, from, /^id-seq: /), idSeq, outcome });
  }
  return samples;
}

const started = performance.now();
const cold: number[] = [];
const warm: number[] = [];
let samples: QuerySample[] = [];
for (let r = 0; r < rounds; r += 1) {
  // The queries run once, in the last round, on the warm ring, from the peer left out of it.
  const result = await round({ echo }, r === rounds - 1);
  cold.push(result.coldMs);
  warm.push(result.warmMs);
  if (r === rounds - 1) samples = result.samples;
  const [c, w] = [result.coldMs.toFixed(0), result.warmMs.toFixed(0)];
  process.stderr.write(`round ${r + 1}/${rounds}: cold ${c} ms, warm ${w} ms\n`);
}
const faulty = await round({ echo, env: { STORMRING_FAULTS: FAULTS } }, false);
process.stderr.write(
  `faults ${FAULTS}: cold ${faulty.coldMs.toFixed(0)} ms, warm ${faulty.warmMs.toFixed(0)} ms\n`,
);

const queryMs = stats(samples.map((s) => s.ms));
const idSeqLength = stats(samples.map((s) => s.idSeq.length));
const wrong = samples.filter((s) => (s.present ? "found" : "not found") !== s.outcome).length;
const results = {
  machine: machineFacts(),
  config: { dataDir, rounds, queries: queryCount, seed, ringSize: RING, year: YEAR },
  note: "times run from writing the command to the daemon's stdin to the ending line on its stdout (pipes included); setups end at the leader's `total:` line, queries at `id-seq:` (manager round trip plus the walk)",
  setup: { coldMs: cold, warmMs: warm, cold: stats(cold), warm: stats(warm) },
  faults: { env: `STORMRING_FAULTS=${FAULTS}`, coldMs: faulty.coldMs, warmMs: faulty.warmMs },
  queries: {
    ms: queryMs,
    idSeqLength: { ...idSeqLength, theory: (RING + 1) / 2 },
    present: samples.filter((s) => s.present).length,
    absent: samples.filter((s) => !s.present).length,
    wrongOutcome: wrong,
    samples,
  },
  totalSeconds: (performance.now() - started) / 1000,
};
const outFile = writeResults("setup-and-query.json", results);

const f = (x: number) => x.toFixed(0).padStart(7);
const row = (label: string, xs: number[]) => {
  const s = stats(xs);
  const blanks = "".padStart(7 * (cold.length - xs.length));
  return `${label.padEnd(24)}${xs.map(f).join("")}${blanks}  | ${f(s.median)}${f(s.min)}${f(s.max)}`;
};
const header = `${"".padEnd(24)}${cold.map((_, i) => `r${i + 1}`.padStart(7)).join("")}  | ${"median".padStart(7)}${"min".padStart(7)}${"max".padStart(7)}`;
process.stdout.write(
  [
    "",
    `stormring bench: ${results.machine.cpus} CPUs, node ${results.machine.node}, ${results.machine.date}`,
    `setup-dht ${LEADER} ${RING} ${YEAR}, ms from writing the command to the leader's stdin to its "total:" line`,
    header,
    row("cold (fresh processes)", cold),
    row("warm (after teardown)", warm),
    row(`cold, ${FAULTS}`, [faulty.coldMs]),
    row(`warm, ${FAULTS}`, [faulty.warmMs]),
    "",
    `${samples.length} queries from the peer outside the ring (${results.queries.absent} for absent ids), ms from writing query-dht to its "id-seq:" line`,
    "(includes the stdin/stdout pipes and the manager round trip for a member):",
    `  median ${queryMs.median.toFixed(2)}  p95 ${queryMs.p95.toFixed(2)}  mean ${queryMs.mean.toFixed(2)}  max ${queryMs.max.toFixed(2)}`,
    `  mean id-seq length ${idSeqLength.mean.toFixed(2)} (theory (n+1)/2 = ${((RING + 1) / 2).toFixed(2)}), wrong outcomes ${wrong}`,
    "",
    `total ${results.totalSeconds.toFixed(1)} s; results in ${outFile}`,
    "",
  ].join("\n"),
);
