/**
 * Parsing of the peer's console commands (PROTOCOL.md section 2), one per line, as typed
 * on stdin or sent over the control channel. Pure: a line becomes a command or a message
 * saying what was wrong with it.
 */
import { parse as parseCsv } from "csv-parse/sync";
import { whyNotARecord } from "../data/csv-loader.ts";
import type { Replication } from "../data/placement.ts";
import { parseEventId } from "../data/records.ts";
import { isIpv4 } from "../protocol/ipv4.ts";
import type { StormRecord } from "../protocol/messages.ts";

export type Command =
  | { kind: "register"; name: string; ip: string; mport: number; pport: number }
  /** `replication`: null for the assignment's DHT (neither replicas= nor consistency=). */
  | {
      kind: "setup-dht";
      name: string;
      ringSize: number;
      year: string;
      replication: Replication | null;
    }
  | { kind: "query-dht"; name: string; eventId: number | null }
  | { kind: "insert-event"; name: string; record: StormRecord }
  | { kind: "delete-event"; name: string; eventId: number }
  | { kind: "leave-dht"; name: string }
  | { kind: "join-dht"; name: string }
  | { kind: "deregister"; name: string }
  | { kind: "teardown-dht"; name: string }
  | { kind: "dht-complete"; name: string }
  | { kind: "teardown-complete"; name: string }
  | { kind: "dht-rebuilt"; name: string; leader: string }
  | { kind: "status" }
  | { kind: "help" };

export type ParseResult = { ok: true; command: Command } | { ok: false; error: string };

const USAGE: Record<Command["kind"], string> = {
  register: "register <name> <ipv4> <m-port> <p-port>",
  "setup-dht": "setup-dht <name> <n> <YYYY> [replicas=<k>] [consistency=chain|eventual]",
  "query-dht": "query-dht <name> [<event-id>]",
  "insert-event": "insert-event <name> <14 fields, comma-separated as in details-YYYY.csv>",
  "delete-event": "delete-event <name> <event-id>",
  "leave-dht": "leave-dht <name>",
  "join-dht": "join-dht <name>",
  deregister: "deregister <name>",
  "teardown-dht": "teardown-dht <name>",
  "dht-complete": "dht-complete <name>",
  "teardown-complete": "teardown-complete <name>",
  "dht-rebuilt": "dht-rebuilt <name> <new-leader>",
  status: "status",
  help: "help",
};

/** Every command a peer's console takes, in the order `help` lists them. */
export const COMMAND_NAMES = Object.keys(USAGE) as Command["kind"][];

export const HELP_LINES = ["commands:", ...Object.values(USAGE).map((usage) => `  ${usage}`)];

const WHOLE_NUMBER = /^\d+$/;

/** A port typed on the console: a whole number from 1 to 65535. */
function parsePort(text: string): number | null {
  if (!WHOLE_NUMBER.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65_535 ? port : null;
}

/**
 * The largest n a setup-dht may ask for: the ring messages carry ring sizes and node ids
 * up to 4,096 (protocol/messages.ts). Below 3 is the manager's to refuse (N_TOO_SMALL, as
 * the assignment says); above this nothing could be built, so it is refused here rather
 * than sent (a 20-digit n does not even fit the setup-dht datagram).
 */
const MAX_RING_SIZE = 4_096;

/** The longest peer name a datagram can carry; the manager itself allows 15 letters. */
const MAX_NAME_LENGTH = 64;

export function parseCommand(line: string): ParseResult {
  const parsed = parseWords(line);
  if (!parsed.ok) return parsed;
  const names = Object.entries(parsed.command).filter(
    ([field]) => field === "name" || field === "leader",
  );
  const tooLong = names.find(([, value]) => String(value).length > MAX_NAME_LENGTH);
  if (tooLong !== undefined) {
    return { ok: false, error: `${tooLong[0]} is longer than ${MAX_NAME_LENGTH} characters` };
  }
  return parsed;
}

function parseWords(line: string): ParseResult {
  const words = line
    .trim()
    .split(/\s+/)
    .filter((word) => word !== "");
  const [verb, ...args] = words;
  if (verb === undefined) return { ok: false, error: "empty command" };
  if (!Object.hasOwn(USAGE, verb)) {
    return { ok: false, error: `unknown command "${verb}" (type help for the list)` };
  }
  const kind = verb as Command["kind"];
  const wrong = (what: string): ParseResult => ({
    ok: false,
    error: `${what} (usage: ${USAGE[kind]})`,
  });
  const expectArgs = (min: number, max = min): boolean => args.length >= min && args.length <= max;

  switch (kind) {
    case "status":
    case "help":
      return expectArgs(0) ? { ok: true, command: { kind } } : wrong(`${kind} takes no arguments`);
    case "register": {
      if (!expectArgs(4)) return wrong("register takes 4 arguments");
      const [name = "", ip = "", mportText = "", pportText = ""] = args;
      if (!isIpv4(ip)) return wrong(`"${ip}" is not an IPv4 address`);
      const mport = parsePort(mportText);
      if (mport === null) return wrong(`m-port "${mportText}" is not a port from 1 to 65535`);
      const pport = parsePort(pportText);
      if (pport === null) return wrong(`p-port "${pportText}" is not a port from 1 to 65535`);
      return { ok: true, command: { kind, name, ip, mport, pport } };
    }
    case "setup-dht": {
      if (!expectArgs(3, 5)) return wrong("setup-dht takes 3 arguments and up to 2 options");
      const [name = "", sizeText = "", year = "", ...options] = args;
      if (!WHOLE_NUMBER.test(sizeText)) return wrong(`n "${sizeText}" is not a whole number`);
      const ringSize = Number(sizeText);
      if (ringSize > MAX_RING_SIZE) {
        return wrong(
          `n "${sizeText}" is more than ${MAX_RING_SIZE}, the largest ring there can be`,
        );
      }
      if (!/^\d{4}$/.test(year)) return wrong(`year "${year}" is not four digits`);
      const replication = parseReplication(options);
      if (typeof replication === "string") return wrong(replication);
      return { ok: true, command: { kind, name, ringSize, year, replication } };
    }
    case "insert-event": {
      const [name = ""] = args;
      // The fields are the rest of the line as typed: a value may hold spaces and commas.
      const fieldsText = line.trim().slice(verb.length).trimStart().slice(name.length).trim();
      if (name === "" || fieldsText === "") return wrong("insert-event takes a name and 14 fields");
      const record = parseFields(fieldsText);
      return typeof record === "string"
        ? wrong(record)
        : { ok: true, command: { kind, name, record } };
    }
    case "delete-event": {
      if (!expectArgs(2)) return wrong("delete-event takes a name and an event id");
      const [name = "", eventIdText = ""] = args;
      const eventId = parseEventId(eventIdText);
      if (eventId === undefined) return wrong(`event id "${eventIdText}" is not a whole number`);
      return { ok: true, command: { kind, name, eventId } };
    }
    case "query-dht": {
      if (!expectArgs(1, 2)) return wrong("query-dht takes a name and optionally an event id");
      const [name = "", eventIdText] = args;
      if (eventIdText === undefined) return { ok: true, command: { kind, name, eventId: null } };
      const eventId = parseEventId(eventIdText);
      if (eventId === undefined) return wrong(`event id "${eventIdText}" is not a whole number`);
      return { ok: true, command: { kind, name, eventId } };
    }
    case "dht-rebuilt": {
      if (!expectArgs(2)) return wrong("dht-rebuilt takes 2 arguments");
      const [name = "", leader = ""] = args;
      return { ok: true, command: { kind, name, leader } };
    }
    default: {
      if (!expectArgs(1)) return wrong(`${kind} takes 1 argument`);
      return { ok: true, command: { kind, name: args[0] ?? "" } };
    }
  }
}

const CONSISTENCY_MODELS = ["chain", "eventual"] as const;

/** `replicas=<k>` and `consistency=chain|eventual`, each at most once; k is the manager's to range-check. */
function parseReplication(options: readonly string[]): Replication | null | string {
  if (options.length === 0) return null;
  let replicas = 1;
  let consistency: Replication["consistency"] = "chain";
  const seen = new Set<string>();
  for (const option of options) {
    const [key = "", value = ""] = option.split("=", 2);
    if (seen.has(key)) return `option ${key}= is given twice`;
    seen.add(key);
    if (key === "replicas" && option.includes("=")) {
      if (!WHOLE_NUMBER.test(value)) return `replicas "${value}" is not a whole number`;
      replicas = Number(value);
    } else if (key === "consistency" && option.includes("=")) {
      const model = CONSISTENCY_MODELS.find((name) => name === value);
      if (model === undefined) return `consistency "${value}" is neither chain nor eventual`;
      consistency = model;
    } else {
      return `"${option}" is not an option (replicas=<k> or consistency=chain|eventual)`;
    }
  }
  return { replicas, consistency };
}

/** One CSV row of 14 fields, checked as the loader checks a row of the year's file. */
function parseFields(text: string): StormRecord | string {
  let rows: string[][];
  try {
    rows = parseCsv(text, { relax_quotes: true, relax_column_count: true });
  } catch (error) {
    return `the fields are not one CSV row (${(error as Error).message})`;
  }
  const [fields] = rows;
  if (fields === undefined || rows.length !== 1) return "the fields are not one CSV row";
  const problem = whyNotARecord(fields);
  return problem === undefined ? fields : `bad fields: ${problem}`;
}
