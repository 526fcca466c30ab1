/**
 * Datagram encoding and validation. Decoding never throws: a datagram that is not
 * valid JSON, too large, too deeply nested, of an unknown type, of another version or not
 * matching its schema comes back as an error naming what was wrong, so the caller can log
 * and drop it.
 */
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { allSchemas, type Datagram, MAX_ACCEPTED_DATAGRAM, PROTOCOL_VERSION } from "./messages.ts";

const checkers = new Map(
  Object.entries(allSchemas).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]),
);

export type DecodeResult = { ok: true; message: Datagram } | { ok: false; error: string };

export function encode(message: Datagram): Buffer {
  return Buffer.from(JSON.stringify(message), "utf8");
}

/**
 * The deepest nesting of objects and arrays any message has is 3 (a reply's tuples: the
 * message, the array, a tuple). Deeper input is refused before it is parsed, so no later
 * step (validation, error text, tracing) ever walks a hostile structure recursively.
 */
export const MAX_NESTING = 4;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The deepest nesting of `{` and `[` outside strings, scanning the raw bytes once. */
export function nestingDepth(bytes: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
  }
  return deepest;
}

export function decode(datagram: Buffer): DecodeResult {
  if (datagram.length > MAX_ACCEPTED_DATAGRAM) {
    return {
      ok: false,
      error: `oversized datagram (${datagram.length} bytes, limit ${MAX_ACCEPTED_DATAGRAM})`,
    };
  }
  const depth = nestingDepth(datagram);
  if (depth > MAX_NESTING) {
    return { ok: false, error: `nested ${depth} deep (limit ${MAX_NESTING})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(datagram.toString("utf8"));
  } catch {
    return { ok: false, error: "not JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: "not a JSON object" };
  }
  const fields = value as Record<string, unknown>;
  if (fields.v !== PROTOCOL_VERSION) {
    return {
      ok: false,
      error: `wrong protocol version ${JSON.stringify(fields.v)?.slice(0, 40)} (expected ${PROTOCOL_VERSION})`,
    };
  }
  const type = fields.type;
  const checker = typeof type === "string" ? checkers.get(type) : undefined;
  if (checker === undefined) {
    return { ok: false, error: `unknown message type ${JSON.stringify(type)?.slice(0, 40)}` };
  }
  if (!checker.Check(value)) {
    const first = checker.Errors(value).First();
    const where = first?.path || "/";
    return {
      ok: false,
      error: `invalid ${type}: ${where} ${first?.message ?? "does not match the schema"}`,
    };
  }
  return { ok: true, message: value as Datagram };
}
