/** `dht-manager <port>`: parses the command line, starts the manager, stops on signals. */

import { ManagerDaemon } from "../daemon/manager-daemon.ts";
import { describeState } from "../manager/state.ts";
import { Trace } from "../observe/trace.ts";
import { ManagerStore } from "../persist/manager-store.ts";
import { messageOf } from "../support/errors.ts";
import { printable } from "../support/printable.ts";
import { MANAGER_USAGE, parseManagerArgs } from "./args.ts";
import { launchControl } from "./control.ts";

/** One console line; what came from the wire cannot break it (support/printable.ts). */
const out = (line: string) => process.stdout.write(`${printable(line)}\n`);

const parsed = parseManagerArgs(process.argv.slice(2));
if (parsed.kind === "help") {
  process.stdout.write(`${MANAGER_USAGE}\n`);
} else if (parsed.kind === "error") {
  process.stderr.write(`dht-manager: ${parsed.error}\n${MANAGER_USAGE}\n`);
  process.exitCode = 2;
} else {
  const { host, port, trace, control } = parsed.args;
  try {
    let observed: ManagerDaemon | null = null;
    const print = (line: string) => {
      out(line);
      observed?.printed(line);
    };
    const manager = await ManagerDaemon.start({
      host,
      port,
      trace: new Trace(() => "manager", trace, print),
      waitTimeoutMs: parsed.args.waitTimeoutMs,
      store: new ManagerStore(parsed.args.stateFile),
      secret: parsed.args.secret,
    });
    observed = manager;
    // Signals are handled before anything is announced, so a supervisor may stop us at once.
    let channel: Awaited<ReturnType<typeof launchControl>> = null;
    const stop = () =>
      void Promise.all([manager.close(), channel?.close()]).then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    const address = manager.address();
    print(`manager listening on ${address.ip}:${address.port} (UDP)`);
    channel = await launchControl(
      control,
      {
        snapshot: () => ({ daemon: "manager", state: describeState(manager.snapshot) }),
        observe: (listener) => manager.observe(listener),
        command: async () => ({ ok: false, lines: ["the manager takes no console commands"] }),
      },
      print,
    );
  } catch (error) {
    process.stderr.write(`dht-manager: ${messageOf(error)}\n`);
    // Exit now: a socket already bound would otherwise keep the process running.
    process.exit(1);
  }
}
