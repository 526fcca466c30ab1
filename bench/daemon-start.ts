/**
 * `npm run bench:start`: how long a daemon takes to start and how much memory it holds
 * idle, compiled (`bin/*.js`, running dist/) and from the sources through tsx, beside a
 * plain node process that prints a line and idles, measured in the same run. Start is
 * from spawn to the first line the process prints: the manager's `manager listening on`,
 * the peer's first answer to `help` written at spawn, the plain process's `ready`. Idle
 * RSS is read from /proc one second after that line. Writes bench/results/start.json.
 * Options: --rounds <R> (10).
 */
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { freePort, freshStateFile, REPO_ROOT } from "../daemons/demo/processes.ts";
import { median, rssOfProcess } from "../daemons/test/support/memory.ts";
import { machineFacts, writeResults } from "./support/scenario.ts";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "10" } } });
const rounds = Number(values.rounds);
const IDLE_MS = 1000;

interface Variant {
  label: string;
  /** The node arguments; `port` is a fresh free UDP port for the manager. */
  argv: (port: number) => string[];
  /** Written to stdin at spawn. */
  input?: string;
}

const plain = "console.log('ready'); setInterval(() => {}, 60000)";
const variants: Variant[] = [
  { label: "plain node (reference)", argv: () => ["-e", plain] },
  {
    label: "dht-manager, compiled",
    argv: (port) => ["bin/dht-manager.js", String(port), "--state-file", freshStateFile()],
  },
  {
    label: "dht-manager, tsx sources",
    argv: (port) => [
      ...["--import", "tsx", "daemons/src/cli/manager.ts"],
      ...[String(port), "--state-file", freshStateFile()],
    ],
  },
  {
    label: "dht-peer, compiled",
    argv: () => ["bin/dht-peer.js", "127.0.0.1", "9"],
    input: "help\n",
  },
  {
    label: "dht-peer, tsx sources",
    argv: () => ["--import", "tsx", "daemons/src/cli/peer.ts", "127.0.0.1", "9"],
    input: "help\n",
  },
];

/** One start: milliseconds from spawn to the first line, and the RSS once idle. */
async function startOnce(variant: Variant): Promise<{ startMs: number; rssBytes: number }> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, variant.argv(port), { cwd: REPO_ROOT, stdio: "pipe" });
  if (variant.input) child.stdin.write(variant.input);
  const startMs = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", () => resolve(performance.now() - spawnedAt));
    child.once("exit", (code) => reject(new Error(`${variant.label} exited (${code}) first`)));
  });
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const rssBytes = rssOfProcess(child.pid as number);
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("exit", resolve));
  return { startMs, rssBytes };
}

const samples = new Map<string, { startMs: number[]; rssBytes: number[] }>(
  variants.map((variant) => [variant.label, { startMs: [], rssBytes: [] }]),
);
// Rounds interleave the variants, so a noisy moment costs each of them alike.
for (let round = 0; round < rounds; round += 1) {
  for (const variant of variants) {
    const { startMs, rssBytes } = await startOnce(variant);
    const sample = samples.get(variant.label);
    sample?.startMs.push(startMs);
    sample?.rssBytes.push(rssBytes);
  }
}

const reference = samples.get(variants[0]?.label ?? "") as {
  startMs: number[];
  rssBytes: number[];
};
const referenceStart = median(reference.startMs);
const referenceRss = median(reference.rssBytes);
const rows = variants.map(({ label }) => {
  const sample = samples.get(label) as { startMs: number[]; rssBytes: number[] };
  const startMs = median(sample.startMs);
  const rssMb = median(sample.rssBytes) / 2 ** 20;
  return {
    label,
    startMsMedian: Number(startMs.toFixed(1)),
    startRatio: Number((startMs / referenceStart).toFixed(2)),
    idleRssMbMedian: Number(rssMb.toFixed(1)),
    rssRatio: Number((median(sample.rssBytes) / referenceRss).toFixed(2)),
  };
});

console.log(`daemon start and idle RSS, medians of ${rounds} rounds`);
console.log("| process | start ms | x plain node | idle RSS MB | x plain node |");
console.log("| --- | --- | --- | --- | --- |");
for (const row of rows) {
  console.log(
    `| ${row.label} | ${row.startMsMedian} | ${row.startRatio} | ${row.idleRssMbMedian} | ${row.rssRatio} |`,
  );
}
const file = writeResults("start.json", { machine: machineFacts(), rounds, idleMs: IDLE_MS, rows });
console.log(`results: ${file}`);
