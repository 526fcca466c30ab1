/**
 * `npm run soak -- <minutes>`: model-based runs (daemons/test/support/model-run.ts) one
 * seed after another for as long as asked (default 10 minutes), longer sequences than
 * `npm test` plays. A failure prints the seed and path that replay it and exits 1:
 * `STORMRING_MODEL_SEED=<seed> npm run soak` plays that seed once and stops (with
 * STORMRING_MODEL_PATH=<path> only the failing run; STORMRING_MODEL_SHRINK=1 shrinks it to
 * a shortest failing sequence, slowly: every try starts the daemons again).
 */
import { modelSeed, runModel } from "./support/model-run.ts";

const minutes = Number(process.argv[2] ?? 10);
if (!(minutes > 0)) {
  process.stderr.write(`usage: npm run soak -- <minutes>, not "${process.argv[2]}"\n`);
  process.exit(2);
}
const replaying = process.env.STORMRING_MODEL_SEED !== undefined;
const path = process.env.STORMRING_MODEL_PATH;
const endAt = Date.now() + minutes * 60_000;
let seed = modelSeed();
let rounds = 0;
let sequences = 0;
do {
  try {
    const played = await runModel({
      runs: 3,
      maxCommands: 60,
      seed,
      shrink: process.env.STORMRING_MODEL_SHRINK === "1",
      ...(path === undefined ? {} : { path }),
    });
    rounds += 1;
    sequences += played.length;
    process.stdout.write(`soak: seed ${seed} passed (${played.length} runs)\n`);
  } catch (error) {
    process.stdout.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.stdout.write(
      `soak: FAILED with seed ${seed}; replay: STORMRING_MODEL_SEED=${seed} npm run soak\n`,
    );
    process.exit(1);
  }
  seed = (seed + 1) % 2 ** 31;
} while (!replaying && Date.now() < endAt);
process.stdout.write(`soak: ${rounds} seeds, ${sequences} sequences, no failure\n`);
process.exit(0);
