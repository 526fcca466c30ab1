/**
 * What the API checks in a command line before sending it to a daemon: the first word is
 * one of the peer's commands, and a query's event id is a whole number. Everything else
 * (arguments, the peer's own rules) is the daemon's to judge; its refusal comes back as
 * `ok: false` with the lines it printed.
 */
import { parseEventId } from "../../daemons/src/data/records.ts";
import { COMMAND_NAMES } from "../../daemons/src/peer/command-line.ts";
import { errors } from "./errors.ts";

/** The peer's own list, so the API accepts exactly what a console does. */
export const COMMAND_VERBS = COMMAND_NAMES;

const VERBS: ReadonlySet<string> = new Set(COMMAND_VERBS);

/** Throws a BAD_COMMAND or BAD_EVENT_ID ApiError; returns the line trimmed. */
export function checkCommandLine(line: string): string {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const [verb, , eventIdText] = words;
  if (verb === undefined) {
    throw errors.badCommand(`empty command; expected one of: ${COMMAND_VERBS.join(", ")}`);
  }
  if (!VERBS.has(verb)) {
    throw errors.badCommand(
      `unknown command "${verb}"; expected one of: ${COMMAND_VERBS.join(", ")}`,
    );
  }
  if (
    verb === "query-dht" &&
    eventIdText !== undefined &&
    parseEventId(eventIdText) === undefined
  ) {
    throw errors.badEventId(eventIdText);
  }
  return line.trim();
}
