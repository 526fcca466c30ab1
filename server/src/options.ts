/** `npm start` options: command-line flags and the STORMRING_REMOTE_DAEMONS variable. */
import { parseArgs } from "node:util";
import { dataDirFrom } from "../../daemons/src/data/data-dir.ts";
import { messageOf } from "./errors.ts";

export interface RemoteDaemon {
  id: string;
  kind: "manager" | "peer";
  url: string;
}

export interface StartOptions {
  port: number;
  host: string;
  peers: number;
  /** The most local peers running at once (`POST /api/daemons` answers 409 beyond). */
  maxPeers: number;
  /** Host names besides this machine's own that a request's Host header may carry. */
  allowedHosts: string[];
  dataDir: string;
  remote: RemoteDaemon[];
}

/** The default of --max-peers: twice the demo's six, far below what hurts a laptop. */
export const DEFAULT_MAX_PEERS = 12;

export const USAGE = `usage: stormring [--port <p>] [--peers <n>] [--data-dir <dir>] [--host <h>]
                 [--max-peers <n>] [--allowed-hosts <name,...>]
       (from a clone: npm start -- [options])
  --port      HTTP port of the dashboard and API (default 3000; 0 picks a free one)
  --peers     unregistered peers to start beside the manager (default 6)
  --max-peers the most local peers running at once; POST /api/daemons is refused beyond
              (default ${DEFAULT_MAX_PEERS}, at least --peers)
  --data-dir  the peers' folder of details-YYYY.csv(.gz) (default $DHT_DATA_DIR, else the
              package's data/ with the course's years)
  --host      address to listen on (default 127.0.0.1)
  --allowed-hosts  other names browsers reach the server by (the Host header; default
              localhost, loopback, the --host address, or with 0.0.0.0 the machine's own)
environment:
  STORMRING_REMOTE_DAEMONS  kind=ws-url,... attach these daemons instead of starting any,
                            e.g. manager=ws://10.0.0.2:7000,peer=ws://10.0.0.3:7001
  STORMRING_CONTROL_TOKEN   the daemons' control token (default: a fresh one per run)
  STORMRING_SECRET          the local daemons' datagram secret (default: a fresh one per run)`;

export class UsageError extends Error {}

export function parseStartOptions(argv: string[], env: NodeJS.ProcessEnv): StartOptions | "help" {
  let values: ReturnType<typeof parse>["values"];
  try {
    ({ values } = parse(argv));
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
  if (values.help) return "help";
  const peers = wholeNumber("--peers", values.peers ?? "6", 0, 100);
  const maxPeers = wholeNumber(
    "--max-peers",
    values["max-peers"] ?? String(DEFAULT_MAX_PEERS),
    1,
    100,
  );
  if (peers > maxPeers) {
    throw new UsageError(
      `--peers ${peers} is more than --max-peers ${maxPeers}; raise --max-peers`,
    );
  }
  return {
    port: wholeNumber("--port", values.port ?? "3000", 0, 65_535),
    host: values.host ?? "127.0.0.1",
    peers,
    maxPeers,
    allowedHosts: (values["allowed-hosts"] ?? "")
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name !== ""),
    dataDir: dataDirFrom(values["data-dir"], env),
    remote: parseRemoteDaemons(env.STORMRING_REMOTE_DAEMONS ?? ""),
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      peers: { type: "string" },
      "max-peers": { type: "string" },
      "allowed-hosts": { type: "string" },
      "data-dir": { type: "string" },
      host: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return value;
}

/** `manager=ws://host:port,peer=ws://...` into ids remote-manager, remote-peer-1, ... */
export function parseRemoteDaemons(text: string): RemoteDaemon[] {
  const daemons: RemoteDaemon[] = [];
  let managers = 0;
  let peers = 0;
  for (const item of text.split(",").map((each) => each.trim())) {
    if (item === "") continue;
    const match = /^(manager|peer)=(wss?:\/\/\S+)$/.exec(item);
    if (match === null) {
      throw new UsageError(
        `STORMRING_REMOTE_DAEMONS: "${item}" is not kind=ws-url (kind manager or peer)`,
      );
    }
    const kind = match[1] as "manager" | "peer";
    const url = match[2] as string;
    if (kind === "manager") managers += 1;
    else peers += 1;
    const id =
      kind === "manager"
        ? `remote-manager${managers > 1 ? `-${managers}` : ""}`
        : `remote-peer-${peers}`;
    daemons.push({ id, kind, url });
  }
  if (managers > 1) throw new UsageError("STORMRING_REMOTE_DAEMONS: at most one manager");
  return daemons;
}
