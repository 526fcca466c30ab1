/**
 * Storm records as the protocol carries them: 14 strings in the column order of
 * PROTOCOL.md section 3, event id first, kept exactly as the data file spells them.
 */
import { MAX_FIELD_LENGTH, type StormRecord } from "../protocol/messages.ts";
import { FIELD_LABELS } from "./field-labels.ts";

export { FIELD_LABELS };

export const FIELD_COUNT = FIELD_LABELS.length;

/** Longest field a `store` datagram may carry; a longer one could never reach its node. */
export { MAX_FIELD_LENGTH };

const DIGITS = /^[0-9]+$/;

/**
 * The event id written in `text`, or undefined unless it is a plain non-negative decimal
 * integer small enough to do exact arithmetic on (`Number` alone would accept "", " 7",
 * "0x1f" and "1e3").
 */
export function parseEventId(text: string | undefined): number | undefined {
  if (text === undefined || !DIGITS.test(text)) return undefined;
  const eventId = Number(text);
  return Number.isSafeInteger(eventId) ? eventId : undefined;
}

/** The event id of a record already checked by the loader or by `parseEventId`. */
export function eventIdOf(record: StormRecord): number {
  return Number(record[0]);
}

/** One `<label>: <value>` line per field. */
export function formatRecord(record: StormRecord): string[] {
  return FIELD_LABELS.map((label, index) => `${label}: ${record[index] ?? ""}`);
}
