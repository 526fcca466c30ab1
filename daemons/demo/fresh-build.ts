/**
 * The demo and the tests run the compiled commands (bin/*.js, dist/), as users do. So that
 * a test file run on its own after an edit never exercises stale bundles, the first daemon
 * started in a process rebuilds dist/ when any of the sources it is built from is newer
 * than it (a walk of a few hundred files' times, a few milliseconds; the npm scripts
 * build first, so under them this finds nothing to do).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../src/support/package-root.ts";

const SOURCES = ["daemons/src", "server/src", "tools/build.ts", "package.json"];
const BUNDLES = ["dht-manager", "dht-peer", "stormring"].map((name) => `dist/${name}.js`);
let checked = false;

function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

function oldestBundle(): number {
  try {
    return Math.min(...BUNDLES.map((bundle) => statSync(join(PACKAGE_ROOT, bundle)).mtimeMs));
  } catch {
    return 0; // a bundle is missing
  }
}

export function ensureFreshBuild(): void {
  if (checked) return;
  checked = true;
  const sources = Math.max(...SOURCES.map((source) => newestChange(join(PACKAGE_ROOT, source))));
  if (sources <= oldestBundle()) return;
  execFileSync(process.execPath, ["--import", "tsx", "tools/build.ts"], {
    cwd: PACKAGE_ROOT,
    stdio: "inherit",
  });
}
