/**
 * Parsing of the peer's console commands (PROTOCOL.md section 2), one per line, as typed
 * on stdin or sent over the control channel. Pure: a line becomes a command or a message
 * saying what was wrong with it.
 */
import { parseEventId } from "../data/records.ts";
import { isIpv4 } from "../protocol/ipv4.ts";

export type Command =
  | { kind: "register"; name: string; ip: string; mport: number; pport: number }
  | { kind: "setup-dht"; name: string; ringSize: number; year: string }
  | { kind: "query-dht"; name: string; eventId: number | null }
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
  "setup-dht": "setup-dht <name> <n> <YYYY>",
  "query-dht": "query-dht <name> [<event-id>]",
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
      if (!expectArgs(3)) return wrong("setup-dht takes 3 arguments");
      const [name = "", sizeText = "", year = ""] = args;
      if (!WHOLE_NUMBER.test(sizeText)) return wrong(`n "${sizeText}" is not a whole number`);
      const ringSize = Number(sizeText);
      if (ringSize > MAX_RING_SIZE) {
        return wrong(
          `n "${sizeText}" is more than ${MAX_RING_SIZE}, the largest ring there can be`,
        );
      }
      if (!/^\d{4}$/.test(year)) return wrong(`year "${year}" is not four digits`);
      return { ok: true, command: { kind, name, ringSize, year } };
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
