/**
 * The datagram codec (PROTOCOL.md section 7): every message family survives an
 * encode/decode round trip, and every kind of bad datagram comes back as an error that
 * names what was wrong. Decoding never throws.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { decode, encode, MAX_NESTING, nestingDepth } from "../../../src/protocol/codec.ts";
import {
  type Ack,
  type Datagram,
  MAX_ACCEPTED_DATAGRAM,
  type ManagerRequestOf,
  type PeerMessageOf,
  type Reply,
} from "../../../src/protocol/messages.ts";
import { SHELBY_TORNADO } from "../../support/sample-record.ts";

const envelope = { v: 1 as const, from: "alice", sess: 12_345, id: 7, clock: 3 };

const registerRequest: ManagerRequestOf<"register"> = {
  type: "register",
  ...envelope,
  name: "alice",
  ip: "127.0.0.1",
  mport: 5001,
  pport: 5002,
};

const setupReply: Reply = {
  type: "reply",
  ...envelope,
  from: "manager",
  re: 7,
  status: "SUCCESS",
  tuples: [
    { name: "alice", ip: "127.0.0.1", port: 5002 },
    { name: "bob", ip: "127.0.0.1", port: 5004 },
    { name: "carol", ip: "127.0.0.1", port: 5006 },
  ],
  year: "1996",
};

const failureReply: Reply = {
  type: "reply",
  ...envelope,
  from: "manager",
  re: 8,
  status: "FAILURE",
  reason: "DUPLICATE_NAME",
  text: 'name "alice" is already registered',
};

const storeMessage: PeerMessageOf<"store"> = {
  type: "store",
  ...envelope,
  seq: 4,
  tableSize: 97_073,
  records: [SHELBY_TORNADO.join("\t"), ["5539287", ...SHELBY_TORNADO.slice(1, 13), ""].join("\t")],
};

const findResult: PeerMessageOf<"find-result"> = {
  type: "find-result",
  ...envelope,
  seq: 5,
  queryId: 1,
  nonce: "9f86d081884c7d65",
  eventId: 5_536_849,
  record: SHELBY_TORNADO,
  idSeq: [2, 0],
};

const ackMessage: Ack = { type: "ack", ...envelope, ackSess: 999, ack: 5, sack: [7, 9] };

function decodeJson(value: unknown): ReturnType<typeof decode> {
  return decode(Buffer.from(JSON.stringify(value), "utf8"));
}

/** The decode error for `value`; fails the test if it decoded. */
function errorOf(result: ReturnType<typeof decode>): string {
  assert.equal(result.ok, false, `expected an error, decoded ${JSON.stringify(result)}`);
  return result.ok ? "" : result.error;
}

test("a message of each family survives an encode/decode round trip", () => {
  const messages: Datagram[] = [
    registerRequest,
    setupReply,
    failureReply,
    storeMessage,
    ackMessage,
  ];
  for (const message of messages) {
    const bytes = encode(message);
    assert.ok(Buffer.isBuffer(bytes));
    const result = decode(bytes);
    assert.ok(result.ok, `${message.type}: ${result.ok ? "" : result.error}`);
    assert.deepEqual(result.message, message);
  }
});

test("encode writes one UTF-8 JSON object", () => {
  const withAccent: PeerMessageOf<"store"> = {
    ...storeMessage,
    records: [
      ["1", "PUERTO RICO", ...SHELBY_TORNADO.slice(2, 6), "CAÑÓN", ...SHELBY_TORNADO.slice(7)].join(
        "\t",
      ),
    ],
  };
  const bytes = encode(withAccent);
  assert.deepEqual(JSON.parse(bytes.toString("utf8")), withAccent);
  const result = decode(bytes);
  assert.ok(result.ok);
  assert.equal((result.message as PeerMessageOf<"store">).records[0]?.split("\t")[6], "CAÑÓN");
});

test("bytes that are not JSON are refused as not JSON", () => {
  assert.equal(errorOf(decode(Buffer.from("{not json", "utf8"))), "not JSON");
  assert.equal(errorOf(decode(Buffer.alloc(0))), "not JSON");
  assert.equal(errorOf(decode(Buffer.from([0xff, 0xfe, 0x00, 0x81]))), "not JSON");
});

test("JSON that is not an object is refused as such", () => {
  assert.equal(errorOf(decodeJson([registerRequest])), "not a JSON object");
  assert.equal(errorOf(decodeJson(null)), "not a JSON object");
  assert.equal(errorOf(decodeJson(42)), "not a JSON object");
  assert.equal(errorOf(decodeJson("register")), "not a JSON object");
});

test("another protocol version is refused, naming both versions", () => {
  assert.equal(
    errorOf(decodeJson({ ...registerRequest, v: 2 })),
    "wrong protocol version 2 (expected 1)",
  );
  const { v: _v, ...unversioned } = registerRequest;
  assert.match(errorOf(decodeJson(unversioned)), /^wrong protocol version undefined/);
  assert.match(errorOf(decodeJson({ ...registerRequest, v: "1" })), /wrong protocol version "1"/);
});

test("an unknown message type is refused, naming it", () => {
  assert.equal(
    errorOf(decodeJson({ ...registerRequest, type: "frobnicate" })),
    'unknown message type "frobnicate"',
  );
  const { type: _type, ...untyped } = registerRequest;
  assert.match(errorOf(decodeJson(untyped)), /^unknown message type/);
  // Names of Object.prototype members are not message types.
  assert.match(errorOf(decodeJson({ ...registerRequest, type: "constructor" })), /unknown/);
  assert.match(errorOf(decodeJson({ ...registerRequest, type: "__proto__" })), /unknown/);
  // A very long type is cut short in the message.
  const long = errorOf(decodeJson({ ...registerRequest, type: "x".repeat(5_000) }));
  assert.ok(long.length < 100, long);
});

test("a missing field is refused, naming the field", () => {
  const { ip: _ip, ...noIp } = registerRequest;
  assert.equal(errorOf(decodeJson(noIp)), "invalid register: /ip Expected required property");
  const { sess: _sess, ...noSess } = ackMessage;
  assert.match(errorOf(decodeJson(noSess)), /^invalid ack: \/sess /);
});

test("a field of the wrong type is refused, naming the field", () => {
  assert.equal(
    errorOf(decodeJson({ ...registerRequest, mport: "5001" })),
    "invalid register: /mport Expected integer",
  );
  assert.match(errorOf(decodeJson({ ...setupReply, status: "MAYBE" })), /^invalid reply: \/status/);
  assert.match(errorOf(decodeJson({ ...ackMessage, sack: [1.5] })), /^invalid ack: \/sack\/0/);
  assert.match(errorOf(decodeJson({ ...registerRequest, id: -1 })), /^invalid register: \/id/);
});

test("an extra field is refused, naming it", () => {
  assert.equal(
    errorOf(decodeJson({ ...registerRequest, admin: true })),
    "invalid register: /admin Unexpected property",
  );
  const tuples = [{ name: "bob", ip: "127.0.0.1", port: 5004, weight: 3 }];
  assert.equal(
    errorOf(decodeJson({ ...setupReply, tuples })),
    "invalid reply: /tuples/0/weight Unexpected property",
  );
});

test("a record whose event id is not digits is refused", () => {
  const records = [["55x36849", ...SHELBY_TORNADO.slice(1)].join("\t")];
  assert.match(
    errorOf(decodeJson({ ...storeMessage, records })),
    /^invalid store: \/records\/0 Expected string to match/,
  );
  const negative = [["-5", ...SHELBY_TORNADO.slice(1)].join("\t")];
  assert.match(errorOf(decodeJson({ ...storeMessage, records: negative })), /\/records\/0/);
  const found = { ...findResult, record: ["x1", ...SHELBY_TORNADO.slice(1)] };
  assert.match(errorOf(decodeJson(found)), /^invalid find-result: \/record\/0 /);
});

test("a record of 13 or 15 fields is refused", () => {
  const short = [SHELBY_TORNADO.join("\t"), SHELBY_TORNADO.slice(0, 13).join("\t")];
  assert.match(
    errorOf(decodeJson({ ...storeMessage, records: short })),
    /^invalid store: \/records\/1 Expected string to match/,
  );
  const long = [[...SHELBY_TORNADO, "extra"].join("\t")];
  assert.match(
    errorOf(decodeJson({ ...storeMessage, records: long })),
    /^invalid store: \/records\/0/,
  );
  const shortFound = { ...findResult, record: SHELBY_TORNADO.slice(0, 13) };
  assert.equal(
    errorOf(decodeJson(shortFound)),
    "invalid find-result: /record Expected tuple to have 14 elements",
  );
});

test("a datagram over 16,384 bytes is refused as oversized, even if valid JSON", () => {
  const oversized = encode({ ...failureReply, text: "x".repeat(MAX_ACCEPTED_DATAGRAM) });
  assert.ok(oversized.length > MAX_ACCEPTED_DATAGRAM);
  assert.equal(
    errorOf(decode(oversized)),
    `oversized datagram (${oversized.length} bytes, limit ${MAX_ACCEPTED_DATAGRAM})`,
  );
  assert.equal(
    errorOf(decode(Buffer.alloc(MAX_ACCEPTED_DATAGRAM + 1, 0x20))).startsWith("oversized"),
    true,
  );
  // Exactly at the limit it is judged on its content, not its size.
  const atLimit = Buffer.alloc(MAX_ACCEPTED_DATAGRAM, 0x20);
  atLimit.write("{}", 0);
  assert.doesNotMatch(errorOf(decode(atLimit)), /oversized/);
});

test("decode never throws, whatever the bytes", () => {
  let seed = 0x2545f491;
  const nextByte = () => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed >>> 24;
  };
  const samples: Buffer[] = [];
  for (let index = 0; index < 300; index += 1) {
    const length = nextByte() * 4;
    samples.push(Buffer.from(Array.from({ length }, nextByte)));
  }
  const json = JSON.stringify(registerRequest);
  for (let cut = 0; cut < json.length; cut += 3) samples.push(Buffer.from(json.slice(0, cut)));
  const deep = `${"[".repeat(8_000)}${"]".repeat(8_000)}`;
  samples.push(Buffer.from(deep));
  samples.push(Buffer.from(`{"v":1,"type":"register","name":${deep.slice(0, 16_000)}}`));
  samples.push(
    Buffer.from(`{"v":1,"type":"store","records":${"[".repeat(5_000)}${"]".repeat(5_000)}}`),
  );
  samples.push(Buffer.from('{"v":1,"type":"register","__proto__":{"name":"x"}}'));
  for (const sample of samples) {
    let result: ReturnType<typeof decode> | undefined;
    assert.doesNotThrow(
      () => {
        result = decode(sample);
      },
      `decode threw on ${sample.toString("hex").slice(0, 80)}`,
    );
    assert.equal(result?.ok, false, `accepted ${sample.toString("hex").slice(0, 80)}`);
    if (result?.ok === false) assert.ok(result.error.length > 0);
  }
});

test("nesting deeper than any message is refused before parsing; brackets in strings do not count", () => {
  assert.equal(nestingDepth(Buffer.from(JSON.stringify(setupReply))), 3);
  assert.equal(nestingDepth(Buffer.from('{"name":"[[[[[[{{{{\\"}')), 1);
  assert.equal(nestingDepth(Buffer.from('{"name":"\\"[[[[[["}')), 1);
  const deep = Buffer.from(`{"v":1,"type":"reply","tuples":[[[[[]]]]]}`);
  assert.match(errorOf(decode(deep)), new RegExp(`nested 6 deep \\(limit ${MAX_NESTING}\\)`));
});

test("numbers are bounded by their meaning: a table of fewer than 2 slots is refused", () => {
  for (const tableSize of [0, 1]) {
    const store = { type: "store", ...envelope, seq: 0, tableSize, records: [] };
    assert.match(errorOf(decode(Buffer.from(JSON.stringify(store)))), /tableSize/);
    const count = { type: "count", ...envelope, seq: 0, tableSize, counts: [] };
    assert.match(errorOf(decode(Buffer.from(JSON.stringify(count)))), /tableSize/);
  }
});
