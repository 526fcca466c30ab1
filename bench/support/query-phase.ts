/**
 * The query phase: the same queries asked each way (the floor's walk, stormring's walk,
 * its console, its control channel), after a warm-up, in blocks that take turns, so a
 * noisy moment on the shared machine falls on every way alike. Queries are sequential:
 * the next is asked when the last is answered, and a block's rate is its queries over its
 * wall time.
 */
import { seeded, stats } from "./stats.ts";
import type { Walker, WalkOutcome } from "./walker.ts";

/** One query in this many asks for an event id that is not in the file. */
const ABSENT_EVERY = 10;
const ANSWER_MS = 10_000;

export interface PlannedQuery {
  eventId: number;
  present: boolean;
  /** The node a walker enters at (the console and the control channel ask the manager). */
  entry: number;
}

/** Event ids from the year's file, about one in ABSENT_EVERY replaced by an absent id. */
export function planQueries(
  ids: readonly number[],
  count: number,
  ringSize: number,
  seed: number,
): PlannedQuery[] {
  const known = new Set(ids);
  const [low, high] = [Math.min(...ids), Math.max(...ids)];
  const random = seeded(seed);
  return Array.from({ length: count }, (_, i) => {
    const entry = Math.floor(random() * ringSize);
    if (i % ABSENT_EVERY === ABSENT_EVERY - 1) {
      let eventId = low;
      while (known.has(eventId)) eventId = low + Math.floor(random() * (high - low));
      return { eventId, present: false, entry };
    }
    return { eventId: ids[Math.floor(random() * ids.length)] as number, present: true, entry };
  });
}

export interface AskedWay<K extends string = string> {
  key: K;
  asker: Walker;
}

export interface WayResult {
  ms: number[];
  /** Sequential queries per second over the blocks' wall time. */
  perSecond: number;
  meanHops: number;
  /** Answers that said found for an absent id or not found for a present one. */
  wrong: number;
}

async function ask(way: AskedWay, query: PlannedQuery): Promise<WalkOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${way.key}: no answer in ${ANSWER_MS} ms`)),
      ANSWER_MS,
    );
  });
  try {
    return await Promise.race([way.asker.query(query.eventId, query.entry), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Asks `warmup` queries each way (not recorded: the daemons' code is compiled by then),
 * then every planned query each way, in blocks of `blockSize` whose order rotates.
 */
export async function runQueryPhase<K extends string>(
  ways: AskedWay<K>[],
  plan: readonly PlannedQuery[],
  warmup: number,
  blockSize: number,
): Promise<Map<K, WayResult>> {
  for (const way of ways) {
    for (let i = 0; i < warmup; i += 1) await ask(way, plan[i % plan.length] as PlannedQuery);
  }
  const samples = new Map(
    ways.map((way) => [way.key, { outcomes: [] as WalkOutcome[], wallMs: 0 }]),
  );
  for (let start = 0, turn = 0; start < plan.length; start += blockSize, turn += 1) {
    const block = plan.slice(start, start + blockSize);
    for (let w = 0; w < ways.length; w += 1) {
      const way = ways[(w + turn) % ways.length] as AskedWay<K>;
      const sample = samples.get(way.key) as { outcomes: WalkOutcome[]; wallMs: number };
      const blockStart = performance.now();
      for (const query of block) sample.outcomes.push(await ask(way, query));
      sample.wallMs += performance.now() - blockStart;
    }
  }
  return new Map(
    [...samples].map(([key, { outcomes, wallMs }]) => [
      key,
      {
        ms: outcomes.map((outcome) => outcome.ms),
        perSecond: (outcomes.length / wallMs) * 1000,
        meanHops: stats(outcomes.map((outcome) => outcome.hops)).mean,
        wrong: outcomes.filter((outcome, i) => outcome.found !== plan[i]?.present).length,
      },
    ]),
  );
}
