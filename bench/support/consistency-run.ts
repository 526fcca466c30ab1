/**
 * The consistency run: writers and readers of the same few events at once, each
 * operation recorded as the client saw it (invoked, answered, how), then judged by the
 * history checker: linearizability, the share of stale reads, and, once writes have
 * stopped and the background copies have had time to land, whether every copy agrees.
 */
import {
  checkConverged,
  checkLinearizable,
  type History,
  type Operation,
  staleReads,
} from "../../daemons/test/support/history-checker.ts";
import { runOn } from "./client-load.ts";
import { type Client, type ReplicatedRing, recordLine } from "./replicated-ring.ts";

export interface ConsistencyPlan {
  writers: number;
  readers: number;
  keys: number[];
  durationMs: number;
  /** How long after the last write the copies are read for the convergence check. */
  settleMs: number;
}

export interface ConsistencyResult {
  writes: { ok: number; failed: number; unknown: number };
  reads: { ok: number; failed: number };
  /** The checker's verdict, with its reason when no order explains what readers saw. */
  linearizable: { ok: boolean; reason?: string };
  stale: { reads: number; stale: number; share: number };
  converged: { ok: boolean; key?: number; values?: { holder: string; value: string | null }[] };
  /** Operations that did not end ok, word for word (the first few). */
  problemExamples: string[];
}

const PROBLEM_EXAMPLES = 5;
const TOR_F_SCALE = "tor f scale: ";

/** The value a query's lines show: null when not found (or when no answer came). */
function valueIn(lines: string[]): string | null {
  if (lines.some((line) => line.endsWith("not found in the DHT."))) return null;
  const field = lines.find((line) => line.startsWith(TOR_F_SCALE));
  return field === undefined ? null : field.slice(TOR_F_SCALE.length);
}

/** How a write ended: a timeout may still take effect later, so it is unknown ("info"). */
function writeOutcome(lines: string[], key: number): Operation["outcome"] {
  if (lines.includes(`insert-event ${key}: SUCCESS`)) return "ok";
  return lines.some((line) => / FAILURE (TIMEOUT|UNDELIVERED)\b/.test(line)) ? "info" : "fail";
}

export async function runConsistency(
  ring: ReplicatedRing,
  eventIds: number[],
  plan: ConsistencyPlan,
): Promise<ConsistencyResult> {
  const history: History = [];
  const problems: string[] = [];
  const started = performance.now();
  const now = () => performance.now() - started;
  // Writers share one counter, so every value written is distinct and a read names its write.
  let written = 0;
  const record = (client: Client, operation: Omit<Operation, "client">, lines: string[]) => {
    history.push({ client: client.name, ...operation });
    if (operation.outcome !== "ok") problems.push(`${client.name}: ${lines.join(" | ")}`);
  };
  const write = async (client: Client, key: number) => {
    const value = `${client.name}-${written++}`;
    const invokedAt = now();
    const lines = await runOn(client, `insert-event ${client.name} ${recordLine(key, value)}`);
    const outcome = writeOutcome(lines, key);
    const completedAt = outcome === "info" ? null : now();
    record(client, { kind: "write", key, value, invokedAt, completedAt, outcome }, lines);
  };
  const read = async (client: Client, key: number) => {
    const invokedAt = now();
    const lines = await runOn(client, `query-dht ${client.name} ${key}`);
    const answered =
      lines.at(-1)?.startsWith("id-seq:") && !lines.some((l) => l.includes("refused"));
    const [value, outcome] = answered ? [valueIn(lines), "ok" as const] : [null, "fail" as const];
    record(client, { kind: "read", key, value, invokedAt, completedAt: now(), outcome }, lines);
  };
  // Each client steps through the keys from its own offset, so every key sees writes and
  // reads overlapping from different clients.
  const loop = (client: Client, offset: number, operation: typeof write) => async () => {
    for (let round = offset; now() < plan.durationMs; round += 1) {
      await operation(client, plan.keys[round % plan.keys.length] as number);
    }
  };
  const writers = ring.clients.slice(0, plan.writers);
  const readers = ring.clients.slice(plan.writers, plan.writers + plan.readers);
  await Promise.all([
    ...writers.map((client, i) => loop(client, i, write)()),
    ...readers.map((client, i) => loop(client, i + writers.length, read)()),
  ]);
  await new Promise((resolve) => setTimeout(resolve, plan.settleMs));
  const copies = await ring.copiesOf(plan.keys, eventIds);

  const count = (kind: Operation["kind"], outcome: Operation["outcome"]) =>
    history.filter((op) => op.kind === kind && op.outcome === outcome).length;
  const linearizable = checkLinearizable(history);
  const stale = staleReads(history);
  return {
    writes: {
      ok: count("write", "ok"),
      failed: count("write", "fail"),
      unknown: count("write", "info"),
    },
    reads: { ok: count("read", "ok"), failed: count("read", "fail") },
    linearizable: linearizable.ok ? { ok: true } : { ok: false, reason: linearizable.reason },
    stale: { reads: stale.reads, stale: stale.stale, share: stale.share },
    converged: checkConverged(copies),
    problemExamples: problems.slice(0, PROBLEM_EXAMPLES),
  };
}
