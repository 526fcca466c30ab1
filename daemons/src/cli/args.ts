/**
 * Command-line parsing for both daemons (node:util parseArgs). A wrong argument gives a
 * message naming it plus the usage text; the caller prints both and exits non-zero.
 */

import { parseArgs } from "node:util";
import { dataDirFrom } from "../data/data-dir.ts";
import { isTraceLevel, TRACE_LEVELS, type TraceLevel } from "../observe/trace.ts";
import { isIpv4 } from "../protocol/ipv4.ts";
import { messageOf } from "../support/errors.ts";

const COMMON_OPTIONS = `  --trace <level>       ${TRACE_LEVELS.join(" | ")} (default: messages)
  --control-port <n>    serve the WebSocket control channel on this TCP port (0: any free one)
  --control-host <ipv4> address of the control channel (default: 127.0.0.1)
  --control-token <t>   token clients must present (default: $STORMRING_CONTROL_TOKEN, if set)
  --control-origins <list>  comma-separated browser Origins allowed (default: none)
  --secret <text>       sign every datagram with HMAC-SHA256 under this shared secret and
                        drop those without a valid tag (default: $STORMRING_SECRET; none)
  --help                show this text`;

export const MANAGER_USAGE = `usage: dht-manager <port> [options]
Runs the DHT manager on UDP <port>.
options:
  --host <ipv4>         listen on this address only (default: 0.0.0.0, every interface)
  --wait-timeout <t>    longest wait for a dht-complete, dht-rebuilt or teardown-complete
                        before rolling back (default: 30s; e.g. 500ms, 10s)
  --state-file <path>   SQLite file of the registry and the DHT, kept across restarts
                        (default: ./stormring-manager.db)
${COMMON_OPTIONS}`;

export const PEER_USAGE = `usage: dht-peer <manager-ip> <manager-port> [options]
Runs a DHT peer; type commands on stdin (help lists them).
options:
  --max-datagram <n>    largest store datagram in bytes, 512 to 16384 (default: 1400)
  --probe-interval <t>  how often a member probes its right neighbour (default: 1s)
  --dead-after <t>      silence after which a peer is taken for dead (default: 3s)
  --command-timeout <t> longest a setup, leave, join or teardown waits for its outcome
                        (default: 35s; keep it above the manager's --wait-timeout)
  --data-dir <dir>      folder of details-YYYY.csv(.gz) files (default: $DHT_DATA_DIR, else
                        the package's data/ with the course's years)
${COMMON_OPTIONS}`;

/** The control channel's settings; present only when --control-port is given. */
export interface ControlArgs {
  port: number;
  host: string;
  token: string | null;
  origins: string[];
}

export interface CommonArgs {
  trace: TraceLevel;
  control?: ControlArgs;
  /** The shared secret datagrams are signed with; null: the plain protocol. */
  secret: string | null;
}
export interface ManagerArgs extends CommonArgs {
  port: number;
  host: string;
  waitTimeoutMs: number;
  stateFile: string;
}
export interface PeerArgs extends CommonArgs {
  dataDir: string;
  managerIp: string;
  managerPort: number;
  maxDatagram: number;
  probeIntervalMs: number;
  deadAfterMs: number;
  commandTimeoutMs: number;
}

export type ArgsResult<T> =
  | { kind: "run"; args: T }
  | { kind: "help" }
  | { kind: "error"; error: string };

const common = {
  trace: { type: "string" },
  help: { type: "boolean" },
  "control-port": { type: "string" },
  "control-host": { type: "string" },
  "control-token": { type: "string" },
  "control-origins": { type: "string" },
  secret: { type: "string" },
} as const;

interface ControlValues {
  "control-port"?: string;
  "control-host"?: string;
  "control-token"?: string;
  "control-origins"?: string;
}

function controlArgs(values: ControlValues, env: NodeJS.ProcessEnv): ControlArgs | undefined {
  const portText = values["control-port"];
  if (portText === undefined) {
    for (const option of ["control-host", "control-token", "control-origins"] as const) {
      if (values[option] !== undefined) throw new Error(`--${option} needs --control-port`);
    }
    return undefined;
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    throw new Error(`--control-port "${portText}" is not a port from 0 to 65535`);
  }
  const host = values["control-host"] ?? "127.0.0.1";
  if (!isIpv4(host)) throw new Error(`--control-host "${host}" is not an IPv4 address`);
  const token = values["control-token"] ?? env.STORMRING_CONTROL_TOKEN ?? "";
  const origins = (values["control-origins"] ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin !== "");
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new Error(`--control-origins "${origin}" is not an origin like http://host:port`);
    }
  }
  return { port, host, token: token === "" ? null : token, origins };
}

/** A duration like `500ms`, `3s` or `1.5s` (a bare number is milliseconds), in ms. */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text);
  const value = match === null ? Number.NaN : Number(match[1]) * (match[2] === "s" ? 1_000 : 1);
  if (!Number.isFinite(value) || value < 1 || value > 3_600_000) {
    throw new Error(`--${option} "${text}" is not a duration from 1ms to 3600s (e.g. 500ms, 3s)`);
  }
  return Math.round(value);
}

function parsePort(text: string | undefined, what: string): number {
  const port = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || port < 1 || port > 65_535) {
    throw new Error(`${what} "${text ?? ""}" is not a port from 1 to 65535`);
  }
  return port;
}

function commonArgs(
  values: { trace?: string; secret?: string } & ControlValues,
  env: NodeJS.ProcessEnv,
): CommonArgs {
  const secret = values.secret ?? env.STORMRING_SECRET ?? "";
  const trace = values.trace ?? "messages";
  if (!isTraceLevel(trace))
    throw new Error(`--trace "${trace}" is not one of ${TRACE_LEVELS.join(", ")}`);
  const control = controlArgs(values, env);
  return {
    trace,
    ...(control === undefined ? {} : { control }),
    secret: secret === "" ? null : secret,
  };
}

function attempt<T>(parse: () => ArgsResult<T>): ArgsResult<T> {
  try {
    return parse();
  } catch (error) {
    return { kind: "error", error: messageOf(error) };
  }
}

export function parseManagerArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): ArgsResult<ManagerArgs> {
  return attempt<ManagerArgs>(() => {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        ...common,
        host: { type: "string" },
        "wait-timeout": { type: "string" },
        "state-file": { type: "string" },
      },
      allowPositionals: true,
    });
    if (values.help) return { kind: "help" };
    if (positionals.length !== 1)
      throw new Error(`expected 1 argument (the port), got ${positionals.length}`);
    const host = values.host ?? "0.0.0.0";
    if (!isIpv4(host)) throw new Error(`--host "${host}" is not an IPv4 address`);
    return {
      kind: "run",
      args: {
        ...commonArgs(values, env),
        port: parsePort(positionals[0], "port"),
        host,
        waitTimeoutMs: parseDuration(values["wait-timeout"] ?? "30s", "wait-timeout"),
        stateFile: values["state-file"] ?? "./stormring-manager.db",
      },
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
      options: {
        ...common,
        "max-datagram": { type: "string" },
        "data-dir": { type: "string" },
        "probe-interval": { type: "string" },
        "dead-after": { type: "string" },
        "command-timeout": { type: "string" },
      },
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
        dataDir: dataDirFrom(values["data-dir"], env),
        managerIp,
        managerPort: parsePort(managerPortText, "manager port"),
        maxDatagram,
        probeIntervalMs: parseDuration(values["probe-interval"] ?? "1s", "probe-interval"),
        deadAfterMs: parseDuration(values["dead-after"] ?? "3s", "dead-after"),
        commandTimeoutMs: parseDuration(values["command-timeout"] ?? "35s", "command-timeout"),
      },
    };
  });
}
