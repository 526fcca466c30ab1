import assert from "node:assert/strict";
import { test } from "node:test";
import { signerFor } from "../../../src/transport/signing.ts";

const json = Buffer.from('{"v":1,"type":"register","from":"alpha","sess":1,"id":7,"clock":1}');

test("a signed datagram verifies under the same secret and gives back its JSON", () => {
  const signed = signerFor("s").sign(json);
  assert.equal(signed.length, json.length + 65);
  assert.deepEqual(signerFor("s").verify(signed), { ok: true, json });
});

test("another secret, a flipped byte, a missing or cut tag are each refused, saying which", () => {
  const signed = signerFor("s").sign(json);
  const flipped = Buffer.from(signed);
  flipped[10] = (flipped[10] ?? 0) ^ 1;
  assert.match(JSON.stringify(signerFor("t").verify(signed)), /wrong HMAC tag/);
  assert.match(JSON.stringify(signerFor("s").verify(json)), /no HMAC tag/);
  assert.match(JSON.stringify(signerFor("s").verify(signed.subarray(0, -2))), /no HMAC tag/);
  assert.match(JSON.stringify(signerFor("s").verify(flipped)), /wrong HMAC tag/);
});
