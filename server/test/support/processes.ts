/** Paths and helpers shared by the server tests, which start the real daemons. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ensureFreshBuild } from "../../../daemons/demo/fresh-build.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export { NOAA_SAMPLE, TEST_DATA_DIR } from "../../../daemons/test/support/paths.ts";

// The server tests' daemons and servers run the compiled commands: never stale ones.
ensureFreshBuild();

/** True while a process with this pid exists (signal 0 only checks). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

/** The --state-file a running manager was started with, read from its argv (Linux). */
export function stateFileOf(managerPid: number): string {
  const argv = readFileSync(`/proc/${managerPid}/cmdline`, "utf8").split("\0");
  const at = argv.indexOf("--state-file");
  if (at === -1) throw new Error(`pid ${managerPid} has no --state-file: ${argv.join(" ")}`);
  return argv[at + 1] ?? "";
}

/** Polls `check` until it returns true; throws with `what` after the timeout. */
export async function eventually(
  what: string,
  check: () => boolean,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
