/**
 * `npm run demo`: the acceptance demo on loopback, every daemon's output echoed with
 * its name, then a summary. Data comes from --data-dir, $DHT_DATA_DIR or the shipped data/.
 */
import { parseArgs } from "node:util";
import { dataDirFrom } from "../src/data/data-dir.ts";
import { runAcceptanceDemo } from "./acceptance.ts";

const { values } = parseArgs({ options: { "data-dir": { type: "string" } } });
const dataDir = dataDirFrom(values["data-dir"], process.env);
const started = Date.now();
const demo = await runAcceptanceDemo(dataDir, {
  echo: (label, line) => process.stdout.write(`${label.padEnd(8)}| ${line}\n`),
});
const ringLine = (names: string[], counts: number[]) =>
  names.map((name, id) => `${name}=${counts[id]}`).join(" ");
process.stdout.write(
  [
    "",
    `demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `ring of 5: ${ringLine(demo.setup.names, demo.setup.counts)} (setup-dht to counts: ${demo.setupMs.toFixed(0)} ms)`,
    `after ${demo.leaver} left: ${ringLine(demo.leave.ring.names, demo.leave.ring.counts)}`,
    `after ${demo.outsider} joined: ${ringLine(demo.join.ring.names, demo.join.ring.counts)}`,
    `peers exited with ${demo.exitCodes.join(" ")}`,
    "",
  ].join("\n"),
);
