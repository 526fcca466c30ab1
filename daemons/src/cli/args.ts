/**
 * Command-line parsing for both daemons (node:util parseArgs). A wrong argument gives a
 * message naming it plus the usage text; the caller prints both and exits non-zero.
 */
import { parseArgs } from "node:util";
import { isIpv4 } from "../protocol/ipv4.ts";
import { isTraceLevel, TRACE_LEVELS, type TraceLevel } from "./trace.ts";

const COMMON_OPTIONS = `  --data-dir <dir>      folder of details-YYYY.csv files (default: $DHT_DATA_DIR or ./data)
  --trace <level>       ${TRACE_LEVELS.join(" | ")} (default: messages)
  --help                show this text`;

export const MANAGER_USAGE = `usage: dht-manager <port> [options]
Runs the DHT manager on UDP <port>.
options:
  --host <ipv4>         listen on this address only (default: 0.0.0.0, every interface)
${COMMON_OPTIONS}`;

export const PEER_USAGE = `usage: dht-peer <manager-ip> <manager-port> [options]
Runs a DHT peer; type commands on stdin (help lists them).
options:
  --max-datagram <n>    largest store datagram in bytes, 512 to 16384 (default: 1400)
${COMMON_OPTIONS}`;

export interface CommonArgs {
  dataDir: string;
  trace: TraceLevel;
}
export interface ManagerArgs extends CommonArgs {
  port: number;
  host: string;
}
export interface PeerArgs extends CommonArgs {
  managerIp: string;
  managerPort: number;
  maxDatagram: number;
}

export type ArgsResult<T> =
  | { kind: "run"; args: T }
  | { kind: "help" }
  | { kind: "error"; error: string };

const common = {
  "data-dir": { type: "string" },
  trace: { type: "string" },
  help: { type: "boolean" },
} as const;

function parsePort(text: string | undefined, what: string): number {
  const port = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || port < 1 || port > 65_535) {
    throw new Error(`${what} "${text ?? ""}" is not a port from 1 to 65535`);
  }
  return port;
}

function commonArgs(
  values: { "data-dir"?: string; trace?: string },
  env: NodeJS.ProcessEnv,
): CommonArgs {
  const trace = values.trace ?? "messages";
  if (!isTraceLevel(trace))
    throw new Error(`--trace "${trace}" is not one of ${TRACE_LEVELS.join(", ")}`);
  return { dataDir: values["data-dir"] ?? env.DHT_DATA_DIR ?? "data", trace };
}

function attempt<T>(parse: () => ArgsResult<T>): ArgsResult<T> {
  try {
    return parse();
  } catch (error) {
    return { kind: "error", error: error instanceof Error ? error.message : String(error) };
  }
}

export function parseManagerArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): ArgsResult<ManagerArgs> {
  return attempt<ManagerArgs>(() => {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...common, host: { type: "string" } },
      allowPositionals: true,
    });
    if (values.help) return { kind: "help" };
    if (positionals.length !== 1)
      throw new Error(`expected 1 argument (the port), got ${positionals.length}`);
    const host = values.host ?? "0.0.0.0";
    if (!isIpv4(host)) throw new Error(`--host "${host}" is not an IPv4 address`);
    return {
      kind: "run",
      args: { ...commonArgs(values, env), port: parsePort(positionals[0], "port"), host },
    };
  });
}

export function parsePeerArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): ArgsResult<PeerArgs> {
  return attempt<PeerArgs>(() => {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...common, "max-datagram": { type: "string" } },
      allowPositionals: true,
    });
    if (values.help) return { kind: "help" };
    if (positionals.length !== 2) {
      throw new Error(`expected 2 arguments (manager ip and port), got ${positionals.length}`);
    }
    const [managerIp = "", managerPortText] = positionals;
    if (!isIpv4(managerIp)) throw new Error(`manager ip "${managerIp}" is not an IPv4 address`);
    const maxDatagramText = values["max-datagram"] ?? "1400";
    const maxDatagram = Number(maxDatagramText);
    if (!/^\d+$/.test(maxDatagramText) || maxDatagram < 512 || maxDatagram > 16_384) {
      throw new Error(`--max-datagram "${maxDatagramText}" is not a size from 512 to 16384 bytes`);
    }
    return {
      kind: "run",
      args: {
        ...commonArgs(values, env),
        managerIp,
        managerPort: parsePort(managerPortText, "manager port"),
        maxDatagram,
      },
    };
  });
}
