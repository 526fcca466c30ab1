/**
 * The assignment's acceptance demo (PROTOCOL.md section 9) on loopback: a manager and six
 * peer processes driven through their consoles.
 */
import { test } from "node:test";
import { runAcceptanceDemo } from "../../demo/acceptance.ts";
import { checkAcceptanceDemo } from "../support/demo-checks.ts";
import { TEST_DATA_DIR } from "../support/paths.ts";

test("the acceptance demo runs to the end through the consoles", { timeout: 180_000 }, async () => {
  checkAcceptanceDemo(await runAcceptanceDemo(TEST_DATA_DIR));
});

test("the demo gives the same results when datagrams are dropped, duplicated and delayed", {
  timeout: 300_000,
}, async () => {
  // Every daemon's socket drops, duplicates and delays 5% of what it sends.
  const env = { STORMRING_FAULTS: "drop=0.05,dup=0.05,delay=0.05,delayMs=50" };
  checkAcceptanceDemo(await runAcceptanceDemo(TEST_DATA_DIR, { env }));
});
