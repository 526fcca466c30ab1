/** `dht-manager <port>`: parses the command line, starts the manager, stops on signals. */
import { ManagerDaemon } from "../manager/daemon.ts";
import { MANAGER_USAGE, parseManagerArgs } from "./args.ts";
import { Trace } from "./trace.ts";

const out = (line: string) => process.stdout.write(`${line}\n`);

const parsed = parseManagerArgs(process.argv.slice(2));
if (parsed.kind === "help") {
  out(MANAGER_USAGE);
} else if (parsed.kind === "error") {
  process.stderr.write(`dht-manager: ${parsed.error}\n${MANAGER_USAGE}\n`);
  process.exitCode = 2;
} else {
  const { host, port, trace } = parsed.args;
  try {
    const manager = await ManagerDaemon.start({
      host,
      port,
      trace: new Trace(() => "manager", trace, out),
    });
    const address = manager.address();
    out(`manager listening on ${address.ip}:${address.port} (UDP)`);
    const stop = () => void manager.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  } catch (error) {
    process.stderr.write(
      `dht-manager: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
