/**
 * One model-based run: fast-check generates sequences of steps, each sequence is played
 * against a fresh manager and fresh peers, and a failure reports the seed and path that
 * replay it (STORMRING_MODEL_SEED, STORMRING_MODEL_PATH).
 */
import fc from "fast-check";
import { LiveSystem } from "./live-system.ts";
import { modelSteps } from "./model-commands.ts";
import { emptyModel } from "./ring-model.ts";

export interface ModelRunOptions {
  /** How many sequences to play. */
  runs: number;
  /** The longest sequence. */
  maxCommands: number;
  seed: number;
  /** A failing run's path, to replay exactly that sequence. */
  path?: string;
  /** Shrink a failure to a shorter sequence (slow: every try starts the daemons again). */
  shrink?: boolean;
}

/** Plays the sequences; resolves with each one played, rejects with fast-check's report. */
export async function runModel(options: ModelRunOptions): Promise<string[]> {
  const played: string[] = [];
  const property = fc.asyncProperty(modelSteps(options.maxCommands), async (sequence) => {
    const system = await LiveSystem.start();
    try {
      await fc.asyncModelRun(() => ({ model: emptyModel(), real: system }), sequence);
      // A sequence prints the steps whose preconditions held, the ones that ran.
      played.push(String(sequence));
    } finally {
      await system.stop();
    }
  });
  await fc.assert(property, {
    numRuns: options.runs,
    seed: options.seed,
    endOnFailure: options.shrink !== true,
    includeErrorInReport: true,
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  return played;
}

/** The seed from STORMRING_MODEL_SEED, else a fresh one. */
export function modelSeed(): number {
  const given = process.env.STORMRING_MODEL_SEED;
  return given === undefined ? Date.now() % 2 ** 31 : Number(given);
}
