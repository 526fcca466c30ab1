/** The Queries panel's event id field, and why its query cannot run when it cannot. */
import { availableCommands } from "./commands.ts";
import type { DaemonAtCursor, View } from "./view.ts";

export type EventIdInput = { eventId: number } | { error: string } | { empty: true };

export function readEventId(text: string): EventIdInput {
  const trimmed = text.trim();
  if (trimmed === "") return { empty: true };
  if (!/^\d+$/.test(trimmed)) return { error: "Digits only: an event id is a whole number." };
  const eventId = Number(trimmed);
  return Number.isSafeInteger(eventId) ? { eventId } : { error: "That event id is too large." };
}

export interface QueryConditions {
  /** The querying peer picked in the Peers panel. */
  peer: DaemonAtCursor | null;
  view: View;
  /** Why nothing may act now (`acting.ts`), or null. */
  notNow: string | null;
  /** A query sent from the panel has not returned yet. */
  running: boolean;
  input: EventIdInput;
}

/** Why the query cannot run now, or null if it can. */
export function whyQueryCannotRun({
  peer,
  view,
  notNow,
  running,
  input,
}: QueryConditions): string | null {
  if (running) return "a query is running";
  if (peer === null) return "pick a Free peer in the Peers panel first";
  if (notNow !== null) return notNow;
  const unavailable = availableCommands(peer, view)["query-dht"];
  if (unavailable !== null) return `${peer.name ?? peer.id}: ${unavailable}`;
  if ("empty" in input) return "enter an event id";
  if ("error" in input) return "the event id must be digits only";
  return null;
}
