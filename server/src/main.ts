/**
 * `npm start [-- --port <p> --peers <n> --data-dir <dir> --host <h>]`: a manager and n
 * unregistered peers (or the remote daemons of STORMRING_REMOTE_DAEMONS), the dashboard
 * and the API. Ctrl-C or SIGTERM stops every process it started, then exits.
 */
import { resolve } from "node:path";
import { messageOf } from "./errors.ts";
import { launch } from "./launch.ts";
import { parseStartOptions, USAGE, UsageError } from "./options.ts";

async function main(): Promise<void> {
  let options: ReturnType<typeof parseStartOptions>;
  try {
    options = parseStartOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (options === "help") {
    console.log(USAGE);
    return;
  }
  // A relative --data-dir is the user's, relative to where they ran the command (the
  // package root under npm start, as npm runs scripts there).
  const running = await launch({ ...options, dataDir: resolve(options.dataDir) });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`stormring: ${signal}, stopping the daemons`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("stormring: error while stopping:", error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  console.log(`stormring: ${running.aggregator.views().length} daemons attached`);
  if (running.secret !== null) {
    console.log(
      `stormring: the daemons sign their datagrams; a peer started by hand needs STORMRING_SECRET=${running.secret}`,
    );
  }
  console.log(`stormring dashboard: ${running.url}`);
}

main().catch((error: unknown) => {
  console.error(`stormring: ${messageOf(error)}`);
  process.exit(1);
});
