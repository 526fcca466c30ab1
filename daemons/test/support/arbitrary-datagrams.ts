/**
 * fast-check arbitraries for hostile datagrams: schema-valid messages of every type,
 * derived from the protocol's own TypeBox schemas (so a new field is fuzzed as soon as
 * it exists), with names, addresses, ports and ids drawn mostly from a live DHT so they
 * are plausible; and mutations of them as an attacker would send: flipped bytes,
 * truncations, wrong types, huge numbers, replays and 65 KB datagrams.
 */
import fc from "fast-check";
import { allSchemas } from "../../src/protocol/messages.ts";

/** What the DHT under attack looks like, so generated fields often hit real values. */
export interface Plausible {
  names: string[];
  ports: number[];
  tableSizes: number[];
  eventIds: number[];
  years: string[];
}

/** Generated arrays stay short; the 65 KB mutation covers size. */
const MAX_ITEMS = 6;
/** The largest UDP payload over IPv4. */
const MAX_UDP_PAYLOAD = 65_507;

type JsonSchema = {
  type?: string;
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: JsonSchema | JsonSchema[];
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

function plausibleField(key: string, plausible: Plausible): fc.Arbitrary<unknown> | null {
  const real = (values: unknown[]) => (values.length > 0 ? fc.constantFrom(...values) : null);
  switch (key) {
    case "from":
    case "name":
    case "leader":
    case "peer":
      return real(plausible.names);
    case "ip":
      return fc.constant("127.0.0.1");
    case "port":
    case "mport":
    case "pport":
      return real(plausible.ports);
    case "tableSize":
      return real(plausible.tableSizes);
    case "eventId":
      return real(plausible.eventIds);
    case "year":
      return real(plausible.years);
    default:
      return null;
  }
}

function arbitraryOf(schema: JsonSchema, plausible: Plausible, key = ""): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.anyOf !== undefined) {
    return fc.oneof(...schema.anyOf.map((each) => arbitraryOf(each, plausible, key)));
  }
  const free = freeArbitraryOf(schema, plausible);
  const hinted = plausibleField(key, plausible);
  // Mostly the real value, so the datagram gets past "unknown name" to deeper checks.
  return hinted === null
    ? free
    : fc.oneof({ arbitrary: hinted, weight: 3 }, { arbitrary: free, weight: 1 });
}

function freeArbitraryOf(schema: JsonSchema, plausible: Plausible): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case "integer":
      return fc.integer({
        min: schema.minimum ?? 0,
        max: Math.min(schema.maximum ?? 2 ** 31, 2 ** 53 - 1),
      });
    case "number":
      return fc.double({ noNaN: true });
    case "string":
      if (schema.pattern !== undefined) {
        const limit = schema.maxLength ?? Number.POSITIVE_INFINITY;
        return fc.stringMatching(new RegExp(schema.pattern)).filter((text) => text.length <= limit);
      }
      return fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 64, 64),
      });
    case "array": {
      if (Array.isArray(schema.items)) {
        return fc.tuple(...schema.items.map((item) => arbitraryOf(item, plausible)));
      }
      const items = schema.items ?? {};
      return fc.array(arbitraryOf(items, plausible), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? MAX_ITEMS, MAX_ITEMS),
      });
    }
    case "object": {
      const properties = schema.properties ?? {};
      const shape = Object.fromEntries(
        Object.entries(properties).map(([name, each]) => [
          name,
          arbitraryOf(each, plausible, name),
        ]),
      );
      return fc.record(shape, { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.constant(null);
  }
}

/**
 * Schema-valid datagrams of every type but `register`: a register with a fresh name is
 * a legitimate request from anyone, not an attack, and would rightly add a peer.
 */
export function validDatagrams(plausible: Plausible): fc.Arbitrary<Record<string, unknown>> {
  const types = Object.keys(allSchemas).filter((type) => type !== "register");
  return fc.oneof(
    ...types.map(
      (type) =>
        arbitraryOf(allSchemas[type] as unknown as JsonSchema, plausible) as fc.Arbitrary<
          Record<string, unknown>
        >,
    ),
  );
}

export type Mutation = "none" | "flip" | "truncate" | "retype" | "huge" | "oversize" | "replay";

/** The bytes an attacker would send, given a valid datagram and what was sent before. */
export function mutatedBytes(
  plausible: Plausible,
): fc.Arbitrary<{ mutation: Mutation; bytes: Buffer | "replay" }> {
  const types = Object.keys(allSchemas);
  const huge = fc.constantFrom(1e300, -1, 2 ** 64, -(2 ** 63), 1.5, "9".repeat(400));
  return fc
    .tuple(
      validDatagrams(plausible),
      fc.constantFrom<Mutation>("none", "flip", "truncate", "retype", "huge", "oversize", "replay"),
      fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
      fc.constantFrom(...types),
      huge,
    )
    .map(([message, mutation, draws, otherType, hugeValue]) => {
      const [a = 0, b = 0, c = 0, d = 0] = draws;
      const text = JSON.stringify(message);
      const bytes = Buffer.from(text);
      switch (mutation) {
        case "flip":
          for (const draw of [a, b, c].slice(0, 1 + (d % 3))) {
            const at = draw % bytes.length;
            bytes[at] = (bytes[at] ?? 0) ^ (1 << (d % 8));
          }
          return { mutation, bytes };
        case "truncate":
          return { mutation, bytes: bytes.subarray(0, a % bytes.length) };
        case "retype":
          return { mutation, bytes: Buffer.from(JSON.stringify({ ...message, type: otherType })) };
        case "huge": {
          const keys = Object.keys(message).filter((key) => typeof message[key] === "number");
          const key = keys[a % Math.max(1, keys.length)] ?? "id";
          return { mutation, bytes: Buffer.from(JSON.stringify({ ...message, [key]: hugeValue })) };
        }
        case "oversize": {
          const padding = "A".repeat(MAX_UDP_PAYLOAD - bytes.length - 16);
          return { mutation, bytes: Buffer.from(JSON.stringify({ ...message, pad: padding })) };
        }
        case "replay":
          return { mutation, bytes: "replay" as const };
        default:
          return { mutation, bytes };
      }
    });
}
