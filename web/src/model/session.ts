/**
 * A session file: the page's event log (every timeline entry and the API states marked in
 * it) as JSON, so a lecture can be replayed later with no daemons running, by `Import
 * session` or `?session=<url>`. Reading one checks its shape enough that every panel can
 * be drawn from it; anything else is refused with the reason.
 */
import type { ApiState, TimelineEntry } from "../api/types.ts";
import type { EventLog, StateMark } from "./log.ts";

export const SESSION_FORMAT = "stormring-session";
export const SESSION_VERSION = 1;

export interface SessionFile {
  format: typeof SESSION_FORMAT;
  version: typeof SESSION_VERSION;
  /** ISO 8601, when it was exported. */
  exportedAt: string;
  entries: TimelineEntry[];
  states: StateMark[];
}

export function sessionOf(log: EventLog, now: Date): SessionFile {
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    exportedAt: now.toISOString(),
    entries: [...log.entries],
    states: [...log.states],
  };
}

/** "stormring-session-2024-05-01T10-30-00.json": where a download of it goes. */
export function sessionFileName(now: Date, kind = "session", extension = "json"): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, "")
    .replaceAll(":", "-");
  return `stormring-${kind}-${stamp}.${extension}`;
}

export type ReadSession = { log: EventLog; exportedAt: string } | { error: string };

/** The log in a session file's text, or why it is not one. */
export function readSession(text: string): ReadSession {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: "not JSON" };
  }
  if (!isRecord(value) || value.format !== SESSION_FORMAT) {
    return { error: `not a ${SESSION_FORMAT} file` };
  }
  if (value.version !== SESSION_VERSION) {
    return { error: `version ${String(value.version)}; this page reads ${SESSION_VERSION}` };
  }
  const { entries, states, exportedAt } = value;
  if (!Array.isArray(entries) || !Array.isArray(states)) {
    return { error: "entries and states must be lists" };
  }
  const badEntry = entries.findIndex((entry, index) => !isEntry(entry, entries[index - 1]));
  if (badEntry >= 0) return { error: `entry ${badEntry + 1} is not a timeline entry in seq order` };
  const badState = states.findIndex((mark, index) => !isMark(mark, states[index - 1]));
  if (badState >= 0) return { error: `state ${badState + 1} is not an API state in seq order` };
  return {
    log: { entries: entries as TimelineEntry[], states: states as StateMark[] },
    exportedAt: typeof exportedAt === "string" ? exportedAt : "",
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isEntry(value: unknown, previous: unknown): boolean {
  if (!isRecord(value) || !isRecord(value.event)) return false;
  const { seq, daemonId, at, clock, event } = value;
  const ordered = !isRecord(previous) || (typeof seq === "number" && seq > Number(previous.seq));
  return (
    Number.isSafeInteger(seq) &&
    ordered &&
    typeof daemonId === "string" &&
    typeof at === "number" &&
    typeof clock === "number" &&
    typeof event.kind === "string"
  );
}

function isMark(value: unknown, previous: unknown): boolean {
  if (!isRecord(value) || !isRecord(value.state)) return false;
  const { afterSeq, state } = value;
  const ordered =
    !isRecord(previous) || (typeof afterSeq === "number" && afterSeq >= Number(previous.afterSeq));
  return typeof afterSeq === "number" && ordered && isApiState(state);
}

function isApiState(value: Record<string, unknown>): value is Record<string, unknown> & ApiState {
  return (
    Array.isArray(value.daemons) &&
    value.daemons.every(
      (daemon) =>
        isRecord(daemon) && typeof daemon.id === "string" && typeof daemon.alive === "boolean",
    )
  );
}
