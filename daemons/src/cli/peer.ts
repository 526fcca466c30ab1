/**
 * `dht-peer <manager-ip> <manager-port>`: reads commands from stdin, one per line, and
 * keeps running when stdin ends (a pipe); exits after a deregister, or on SIGINT/SIGTERM
 * once it has left its DHT and deregistered.
 */

import { createInterface } from "node:readline";
import type { ControlServer } from "../control/server.ts";
import { PeerDaemon } from "../daemon/peer-daemon.ts";
import { messageOf } from "../support/errors.ts";
import { printable } from "../support/printable.ts";
import { PEER_USAGE, parsePeerArgs } from "./args.ts";
import { launchControl } from "./control.ts";
import { leaveAndDeregister } from "./farewell.ts";

/** One console line; what came from the wire cannot break it (support/printable.ts). */
const out = (line: string) => process.stdout.write(`${printable(line)}\n`);

const parsed = parsePeerArgs(process.argv.slice(2));
if (parsed.kind === "help") {
  process.stdout.write(`${PEER_USAGE}\n`);
} else if (parsed.kind === "error") {
  process.stderr.write(`dht-peer: ${parsed.error}\n${PEER_USAGE}\n`);
  process.exitCode = 2;
} else {
  const { managerIp, managerPort, dataDir, maxDatagram, trace, control } = parsed.args;
  const { probeIntervalMs, deadAfterMs, commandTimeoutMs } = parsed.args;
  let channel: ControlServer | null = null;
  const exit = (code: number) =>
    void (channel?.close() ?? Promise.resolve()).then(() => process.exit(code));
  const peer = new PeerDaemon({
    manager: { ip: managerIp, port: managerPort },
    dataDir,
    maxDatagram,
    probeIntervalMs,
    deadAfterMs,
    commandTimeoutMs,
    secret: parsed.args.secret,
    traceLevel: trace,
    out,
    onExit: exit,
  });
  // Signals are handled before anything is announced, so a supervisor may stop us at once.
  // The first one leaves the DHT and deregisters, as a user would; a second exits at once.
  let stopping = false;
  const stop = () => {
    if (stopping) {
      void peer.close().then(() => exit(0));
      return;
    }
    stopping = true;
    void leaveAndDeregister(peer, out).then(() => peer.close().then(() => exit(0)));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    channel = await launchControl(
      control,
      {
        snapshot: () => ({ daemon: "peer", state: peer.snapshot }),
        observe: (listener) => peer.observe(listener),
        command: (line) => peer.command(line),
        inspect: (eventId) => peer.inspect(eventId),
        faults: (change) => peer.setFaults(change),
      },
      out,
    );
  } catch (error) {
    process.stderr.write(`dht-peer: control channel: ${messageOf(error)}\n`);
    process.exit(1);
  }
  const commandLines = createInterface({ input: process.stdin, terminal: false });
  commandLines.on("line", (line) => void peer.command(line));
  // A peer outlives its stdin: the sockets keep it running until deregister or a signal.
  // Keep the process alive before register, when no socket holds the event loop open.
  setInterval(() => {}, 1 << 30);
}
