/**
 * `npm run bench:replication`: what replication costs and what it keeps. For each ring
 * size n (default 5), replicas k = 1, 2, 3 and both models (chain, eventual), on 1996,
 * a fresh manager and n + C peers are started, the DHT set up with those options, and:
 * 1. C free peers insert new records (Shelby's tornado re-keyed) as fast as they are
 *    answered: writes/s over all of them, p50/p99 per write; every write must succeed;
 * 2. the same clients query a seeded sample of the year's ids: queries/s, p50/p99, each
 *    answer checked to be the record asked for;
 * 3. writers and readers of the same few new events at once, for a few seconds: the
 *    history's linearizability, its share of stale reads, and whether every copy agrees
 *    once the writes have stopped (read through each holder's control channel);
 * 4. the consistency run again on a fresh ring whose members, and only they, delay every
 *    datagram they send by a random 0..D ms (STORMRING_FAULTS, the daemons' own fault
 *    injection): on loopback a background copy otherwise lands before any later read, so
 *    only with the delay can a read reach a copy the write has not got to yet.
 * The assignment's DHT (setup-dht with no options) is measured too, for queries only (it
 * takes no writes): the reference each row's queries/s is given as a ratio of.
 * Writes bench/results/replication.json and three SVG plots beside it; prints a table.
 * Options: --rings 5 --replicas 1,2,3 --models chain,eventual --clients 4 --inserts 300
 *   --queries 300 --warmup 10 --writers 2 --readers 2 --keys 4 --seconds 8 --seed 1
 *   --copy-delay-ms 40 (D; 0 leaves out step 4)
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { FAULTS_ENV } from "../daemons/src/transport/faults.ts";
import { TEST_DATA_DIR } from "../daemons/test/support/paths.ts";
import { type LoadResult, runLoad, runOn } from "./support/client-load.ts";
import { type ConsistencyResult, runConsistency } from "./support/consistency-run.ts";
import {
  type Client,
  ReplicatedRing,
  type RingConfig,
  recordLine,
  setupOptions,
} from "./support/replicated-ring.ts";
import {
  type ReplicationRow,
  replicationPlots,
  replicationTable,
} from "./support/replication-report.ts";
import { machineFacts, writeResults, yearEventIds } from "./support/scenario.ts";
import { roundedThroughout, seeded, stats } from "./support/stats.ts";

const { values } = parseArgs({
  options: {
    rings: { type: "string", default: "5" },
    replicas: { type: "string", default: "1,2,3" },
    models: { type: "string", default: "chain,eventual" },
    clients: { type: "string", default: "4" },
    inserts: { type: "string", default: "300" },
    queries: { type: "string", default: "300" },
    warmup: { type: "string", default: "10" },
    writers: { type: "string", default: "2" },
    readers: { type: "string", default: "2" },
    keys: { type: "string", default: "4" },
    seconds: { type: "string", default: "8" },
    seed: { type: "string", default: "1" },
    "copy-delay-ms": { type: "string", default: "40" },
  },
});
const numbers = (text: string) => text.split(",").map(Number);
const rings = numbers(values.rings);
const replicaCounts = numbers(values.replicas);
const models = values.models.split(",") as ("chain" | "eventual")[];
const clientCount = Number(values.clients);
const [insertsPerClient, queriesPerClient, warmup] = [
  values.inserts,
  values.queries,
  values.warmup,
].map(Number) as [number, number, number];
const consistencyPlan = {
  writers: Number(values.writers),
  readers: Number(values.readers),
  // New events, so the run starts from "not found" and every value read names its write.
  keys: Array.from({ length: Number(values.keys) }, (_, i) => 990_000_001 + i),
  durationMs: Number(values.seconds) * 1000,
  settleMs: 1000,
};
const copyDelayMs = Number(values["copy-delay-ms"]);
/** Every datagram a member sends is held back 0..copyDelayMs ms; the links keep order. */
const memberFaults = { [FAULTS_ENV]: `delay=1,delayMs=${copyDelayMs}` };
const delayedPlan = {
  ...consistencyPlan,
  // A copy is a few delayed hops, and a retransmission (the RTO backs off) can add more:
  // 2 s is ample at 40 ms; a longer delay gets proportionally longer.
  settleMs: Math.max(2000, 50 * copyDelayMs),
};
/** Free peers: enough for the load's clients and for the consistency run's writers and readers. */
const freePeers = Math.max(clientCount, consistencyPlan.writers + consistencyPlan.readers);

const eventIds = yearEventIds(TEST_DATA_DIR);
const random = seeded(Number(values.seed));
/** Each client's queries, the same in every configuration; warm-up queries come first. */
const querySample = Array.from({ length: clientCount }, () =>
  Array.from(
    { length: warmup + queriesPerClient },
    () => eventIds[Math.floor(random() * eventIds.length)] as number,
  ),
);

/** Client c's insert number i gets an id of its own, far above the year's (7 digits). */
const insertedId = (client: number, index: number) => 900_000_000 + client * 100_000 + index;

function insertPhase(clients: Client[]): Promise<LoadResult> {
  return runLoad(clients.slice(0, clientCount), insertsPerClient, warmup, async (client, i) => {
    const eventId = insertedId(clients.indexOf(client), i);
    const lines = await runOn(client, `insert-event ${client.name} ${recordLine(eventId)}`);
    return lines.includes(`insert-event ${eventId}: SUCCESS`) ? null : lines.join(" | ");
  });
}

/** The queries, with how many nodes each walk visited (its id-seq), the walk's length. */
async function queryPhase(clients: Client[]) {
  const visited: number[] = [];
  const load = await runLoad(
    clients.slice(0, clientCount),
    queriesPerClient,
    warmup,
    async (client, i) => {
      const eventId = querySample[clients.indexOf(client)]?.[i] as number;
      const lines = await runOn(client, `query-dht ${client.name} ${eventId}`);
      const idSeq = lines.at(-1)?.startsWith("id-seq: ")
        ? lines.at(-1)?.slice(8).trim()
        : undefined;
      if (!lines.includes(`event id: ${eventId}`) || idSeq === undefined) return lines.join(" | ");
      if (i >= warmup) visited.push(idSeq.split(" ").length);
      return null;
    },
  );
  return { ...load, meanNodesVisited: stats(visited).mean };
}

/** Step 4 on its own fresh processes: the delay is read once, when a daemon starts. */
async function delayedRun(config: RingConfig): Promise<ReplicationRow["delayed"]> {
  if (config.replication === null || copyDelayMs === 0) return null;
  const ring = await ReplicatedRing.start(config, freePeers, TEST_DATA_DIR, memberFaults);
  try {
    const setupMs = await ring.setup(eventIds);
    return { copyDelayMs, setupMs, consistency: await runConsistency(ring, eventIds, delayedPlan) };
  } finally {
    await ring.stop();
  }
}

async function measure(
  config: RingConfig,
  referenceQueries: number,
): Promise<Omit<ReplicationRow, "delayed">> {
  const ring = await ReplicatedRing.start(config, freePeers, TEST_DATA_DIR);
  try {
    const setupMs = await ring.setup(eventIds);
    // The assignment's DHT is read-only: it has queries to measure and nothing else.
    const inserts = config.replication === null ? null : await insertPhase(ring.clients);
    const queries = await queryPhase(ring.clients);
    const consistency =
      config.replication === null ? null : await runConsistency(ring, eventIds, consistencyPlan);
    return {
      ringSize: config.ringSize,
      replicas: config.replication?.replicas ?? 1,
      model: config.replication?.consistency ?? "none",
      setupMs,
      inserts,
      queries: {
        ...queries,
        perSecondVsReference: queries.perSecond / (referenceQueries || queries.perSecond),
      },
      consistency,
    };
  } finally {
    await ring.stop();
  }
}

/**
 * What in a row says the daemons did wrong: any failed operation, or a broken promise. The
 * delay changes no promise: chain stays linearizable and copies converge once writes stop.
 * Eventual promises neither linearizability nor fresh reads, so those are results, not faults.
 */
function problemsOf(row: ReplicationRow): string[] {
  const { inserts, queries } = row;
  const problems = [
    ...(inserts?.failureExamples ?? []).map((example) => `insert: ${example}`),
    ...queries.failureExamples.map((example) => `query: ${example}`),
  ];
  const runs = [
    { run: row.consistency, label: "consistency run" },
    { run: row.delayed?.consistency, label: `consistency run, members delay ≤${copyDelayMs} ms` },
  ];
  for (const { run, label } of runs) {
    if (!run) continue;
    problems.push(...run.problemExamples.map((example) => `${label}: ${example}`));
    if (row.model === "chain" && !run.linearizable.ok) {
      problems.push(`${label}: chain not linearizable: ${run.linearizable.reason}`);
    }
    if (!run.converged.ok)
      problems.push(`${label}: copies differ: ${JSON.stringify(run.converged)}`);
  }
  return problems;
}

const started = performance.now();
const rows: ReplicationRow[] = [];
for (const ringSize of rings) {
  const configs: RingConfig[] = [
    { ringSize, replication: null },
    ...replicaCounts.flatMap((replicas) =>
      models.map((consistency) => ({ ringSize, replication: { replicas, consistency } })),
    ),
  ];
  let referenceQueries = 0;
  for (const config of configs) {
    // One after the other, the first ring stopped first: never two rings on the machine.
    const measured = await measure(config, referenceQueries);
    const row: ReplicationRow = { ...measured, delayed: await delayedRun(config) };
    if (config.replication === null) referenceQueries = row.queries.perSecond;
    rows.push(row);
    const { inserts, queries, consistency } = row;
    const verdict = (run: ConsistencyResult) =>
      `linearizable ${run.linearizable.ok}, stale ${run.stale.stale}/${run.stale.reads}, converged ${run.converged.ok}`;
    process.stderr.write(
      `n=${ringSize}${setupOptions(config.replication) || " (no options)"}: setup ${(row.setupMs / 1000).toFixed(1)} s` +
        (inserts ? `, ${inserts.perSecond.toFixed(0)} writes/s (${inserts.failures} failed)` : "") +
        `, ${queries.perSecond.toFixed(0)} queries/s (${queries.failures} wrong)` +
        (consistency ? `, ${verdict(consistency)}` : "") +
        (row.delayed ? `; delayed: ${verdict(row.delayed.consistency)}` : "") +
        ` [${((performance.now() - started) / 1000).toFixed(0)} s]\n`,
    );
  }
}

const file = writeResults(
  "replication.json",
  roundedThroughout({
    machine: machineFacts(),
    config: {
      year: 1996,
      rings,
      replicas: replicaCounts,
      models,
      clients: clientCount,
      insertsPerClient,
      queriesPerClient,
      warmupPerClient: warmup,
      consistency: consistencyPlan,
      copyDelayMs,
      memberFaults: copyDelayMs === 0 ? null : memberFaults[FAULTS_ENV],
      delayedSettleMs: delayedPlan.settleMs,
      seed: Number(values.seed),
    },
    note: "a fresh manager and n + C peers per row; clients are free peers driven over their control channels, one command at a time each, all at once; a latency runs from the command frame sent to its result frame; a rate is the timed commands over the wall time of all clients' (warm-up excluded); queries/s also as a ratio to the row with no options (the assignment's read-only DHT) of the same n; delayed: the consistency run again on its own fresh processes, every member started with memberFaults (each datagram it sends held back 0..copyDelayMs ms; clients and manager without), so background copies lag behind acknowledged writes; its setupMs is under the delay too",
    rows,
    totalSeconds: (performance.now() - started) / 1000,
  }),
);
for (const [name, svg] of Object.entries(replicationPlots(rows))) {
  writeFileSync(path.join(path.dirname(file), name), svg);
}
for (const line of replicationTable(rows)) console.log(line);
console.log(
  `results: ${file} and its plots, in ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
const problems = rows.flatMap(problemsOf);
if (problems.length > 0) {
  console.error(`the daemons did not do what they should:\n${problems.join("\n")}`);
  process.exitCode = 1;
}
