/**
 * Load from C clients at once: each runs its commands one after another (a peer takes one
 * command at a time) as fast as it gets answers, so the ring sees C commands in flight.
 * A rate is every timed command over the wall time from the first sent to the last
 * answered; a latency is one command's, sent on the control channel to its result frame.
 */
import type { Client } from "./replicated-ring.ts";
import { stats } from "./stats.ts";

/** Longest a command may go unanswered before the bench calls it a failure (a hang). */
const ANSWER_MS = 30_000;
/** How many failures a result keeps word for word; `failures` counts them all. */
const EXAMPLES = 5;

/** Runs one command line on a client; resolves with the lines its result frame carried. */
export async function runOn(client: Client, line: string): Promise<string[]> {
  // The client keeps every frame and scans them per command: forget the last command's.
  client.control.frames.length = 0;
  const result = await client.control.command(line, ANSWER_MS);
  return result.lines;
}

/**
 * One client's command number `index`: null when it did what it should, else what went
 * wrong (the lines it printed), so a failure is reported rather than timed.
 */
export type ClientCommand = (client: Client, index: number) => Promise<string | null>;

export interface LoadResult {
  count: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  failureExamples: string[];
}

/**
 * `warmup` commands per client first (untimed: the daemons' code is compiled by then),
 * then `perClient` each, timed; command indices run on from the warm-up's, so a command
 * that writes never reuses a key.
 */
export async function runLoad(
  clients: Client[],
  perClient: number,
  warmup: number,
  command: ClientCommand,
): Promise<LoadResult> {
  const failures: string[] = [];
  const attempt = async (client: Client, index: number): Promise<boolean> => {
    try {
      const wrong = await command(client, index);
      if (wrong !== null) failures.push(`${client.name}: ${wrong}`);
      return wrong === null;
    } catch (error) {
      failures.push(`${client.name}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  };
  await Promise.all(
    clients.map(async (client) => {
      for (let index = 0; index < warmup; index += 1) await attempt(client, index);
    }),
  );
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let index = warmup; index < warmup + perClient; index += 1) {
        const sentAt = performance.now();
        if (await attempt(client, index)) latencies.push(performance.now() - sentAt);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const summary = stats(latencies);
  return {
    count: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: summary.median,
    p99Ms: summary.p99,
    failures: failures.length,
    failureExamples: failures.slice(0, EXAMPLES),
  };
}
