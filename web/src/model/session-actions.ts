/**
 * Sessions in and out of the page: a session file (or a ShiViz log) of the log as it is,
 * and a session read from a file the user picks or from `?session=<url>`, replayed in
 * place of the live feed. A file that is not a session becomes a notice saying why.
 */
import { describeError } from "./actions.ts";
import type { EventLog } from "./log.ts";
import { notify } from "./notices.ts";
import { readSession, sessionFileName, sessionOf } from "./session.ts";
import { shivizLog } from "./shiviz.ts";
import { loadSession } from "./store.ts";

/** What to save and under which name; the component hands it to the browser. */
export interface SavedFile {
  name: string;
  blob: Blob;
}

export function sessionFile(log: EventLog, now = new Date()): SavedFile {
  const text = JSON.stringify(sessionOf(log, now));
  return { name: sessionFileName(now), blob: new Blob([text], { type: "application/json" }) };
}

export function shivizFile(log: EventLog, now = new Date()): SavedFile {
  return {
    name: sessionFileName(now, "shiviz", "log"),
    blob: new Blob([shivizLog(log)], { type: "text/plain" }),
  };
}

/** Replays the session in `text`, read from `source`; false (with a notice) if it is none. */
export function replaySession(text: string, source: string): boolean {
  const read = readSession(text);
  if ("error" in read) {
    notify("error", `${source} is not a session`, [read.error]);
    return false;
  }
  loadSession(read.log, { source, exportedAt: read.exportedAt });
  return true;
}

/** Fetches and replays the session at `url` (`?session=<url>`). */
export async function replaySessionAt(url: string): Promise<boolean> {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return replaySession(await response.text(), url);
  } catch (error) {
    notify("error", `Could not load the session at ${url}`, [describeError(error)]);
    return false;
  }
}
