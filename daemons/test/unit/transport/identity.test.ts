import assert from "node:assert/strict";
import { test } from "node:test";
import { PROTOCOL_VERSION } from "../../../src/protocol/messages.ts";
import { Identity } from "../../../src/transport/identity.ts";

test("stamp fills the envelope and advances the id and the Lamport clock", () => {
  const identity = new Identity("alice", () => 0.5);
  const first = identity.stamp({ type: "query-dht", name: "alice" });
  const second = identity.stamp({ type: "query-dht", name: "alice" });
  assert.deepEqual(first, {
    type: "query-dht",
    name: "alice",
    v: PROTOCOL_VERSION,
    from: "alice",
    sess: 1 + 2 ** 30,
    id: 1,
    clock: 1,
  });
  assert.equal(second.id, 2);
  assert.equal(second.clock, 2);
});

test("sess stays within 1..2^31 at both ends of the random source", () => {
  assert.equal(new Identity("a", () => 0).sess, 1);
  assert.equal(new Identity("a", () => 0.999_999_999_9).sess, 2 ** 31);
  const distinct = new Set(Array.from({ length: 20 }, () => new Identity("a").sess));
  assert.ok(distinct.size > 1, "sess is random per construction");
});

test("observe moves the clock past the remote clock; a later name is used", () => {
  const identity = new Identity("peer");
  identity.observe(41);
  assert.equal(identity.clock, 42);
  identity.observe(3);
  assert.equal(identity.clock, 43);
  identity.observe(2 ** 52);
  assert.equal(identity.clock, 43, "an absurd remote clock is ignored");
  identity.name = "bob";
  const stamped = identity.stamp({ type: "deregister", name: "bob" });
  assert.equal(stamped.from, "bob");
  assert.equal(stamped.clock, 44);
});
