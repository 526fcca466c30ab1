/**
 * Datagram encoding and validation. Decoding never throws: a datagram that is not
 * valid JSON, too large, of an unknown type, of another version or not matching its
 * schema comes back as an error naming what was wrong, so the caller can log and drop it.
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

export function decode(datagram: Buffer): DecodeResult {
  if (datagram.length > MAX_ACCEPTED_DATAGRAM) {
    return {
      ok: false,
      error: `oversized datagram (${datagram.length} bytes, limit ${MAX_ACCEPTED_DATAGRAM})`,
    };
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
      error: `wrong protocol version ${JSON.stringify(fields.v)} (expected ${PROTOCOL_VERSION})`,
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
