/**
 * Model-based runs against the real daemons: random sequences of register, setup-dht,
 * query-dht, leave-dht, join-dht, teardown-dht, deregister, kill -9 of a member and a
 * manager kill and restart, each step's outcome and then every daemon's state compared
 * with the model (daemons/test/support/ring-model.ts). A short run here; `npm run soak`
 * runs for as long as asked. STORMRING_MODEL_SEED and STORMRING_MODEL_PATH replay a run.
 */
import { test } from "node:test";
import { modelSeed, runModel } from "../support/model-run.ts";

const seed = modelSeed();
const runs = Number(process.env.STORMRING_MODEL_RUNS ?? 3);
const maxCommands = 30;

test(`${runs} model-based runs of up to ${maxCommands} steps (seed ${seed})`, {
  timeout: 600_000,
}, async (t) => {
  t.diagnostic(`seed ${seed}: replay with STORMRING_MODEL_SEED=${seed}`);
  const path = process.env.STORMRING_MODEL_PATH;
  const played = await runModel({ runs, maxCommands, seed, ...(path ? { path } : {}) });
  for (const sequence of played) t.diagnostic(`played: ${sequence}`);
});
