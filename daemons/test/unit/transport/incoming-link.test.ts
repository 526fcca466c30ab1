import assert from "node:assert/strict";
import { test } from "node:test";
import type { PeerMessage } from "../../../src/protocol/messages.ts";
import { IncomingLink } from "../../../src/transport/incoming-link.ts";
import { SeqRing } from "../../../src/transport/seq-ring.ts";

const from = { ip: "127.0.0.1", port: 4000 };

function teardown(sess: number, seq: number): PeerMessage {
  return {
    type: "teardown",
    v: 1,
    from: "left",
    sess,
    id: seq + 1,
    clock: seq + 1,
    seq,
    purpose: "leave",
    initiator: "left",
  };
}

test("holds early arrivals, delivers in order, drops duplicates and lists held seqs", () => {
  const link = new IncomingLink(from, 7, 8, 2);
  const delivered: number[] = [];
  const deliver = (message: PeerMessage) => delivered.push(message.seq);
  assert.equal(link.accept(teardown(7, 2), deliver), "buffered");
  assert.equal(link.accept(teardown(7, 3), deliver), "buffered");
  assert.equal(link.accept(teardown(7, 5), deliver), "buffered");
  assert.equal(link.accept(teardown(7, 3), deliver), "duplicate");
  assert.deepEqual(link.ackBody(), { type: "ack", ackSess: 7, ack: 0, sack: [2, 3] });
  assert.equal(link.accept(teardown(7, 9), deliver), "beyond-buffer");
  assert.equal(link.accept(teardown(7, 0), deliver), "delivered");
  assert.equal(link.accept(teardown(7, 1), deliver), "delivered");
  assert.deepEqual(delivered, [0, 1, 2, 3]);
  assert.equal(link.accept(teardown(7, 0), deliver), "duplicate");
  assert.deepEqual(link.ackBody(), { type: "ack", ackSess: 7, ack: 4, sack: [5] });
});

test("a new sess starts over at 0; a late datagram of a retired sess is ignored", () => {
  const link = new IncomingLink(from, 7, 8, 8);
  const delivered: string[] = [];
  const deliver = (message: PeerMessage) => delivered.push(`${message.sess}/${message.seq}`);
  link.accept(teardown(7, 0), deliver);
  link.accept(teardown(7, 1), deliver);
  link.accept(teardown(7, 3), deliver);
  assert.equal(link.accept(teardown(8, 0), deliver), "delivered");
  assert.equal(link.accept(teardown(7, 2), deliver), "stale-session");
  assert.equal(link.accept(teardown(8, 1), deliver), "delivered");
  assert.deepEqual(delivered, ["7/0", "7/1", "8/0", "8/1"]);
  assert.deepEqual(link.ackBody(), { type: "ack", ackSess: 8, ack: 2, sack: [] });
});

test("the seq ring keeps items by seq while it grows and shifts", () => {
  const ring = new SeqRing<string>();
  for (let seq = 0; seq < 100; seq++) ring.push(`m${seq}`);
  for (let seq = 0; seq < 70; seq++) assert.equal(ring.shift(), `m${seq}`);
  for (let seq = 100; seq < 300; seq++) ring.push(`m${seq}`);
  assert.equal(ring.base, 70);
  assert.equal(ring.end, 300);
  assert.equal(ring.size, 230);
  assert.equal(ring.at(69), undefined);
  assert.equal(ring.at(70), "m70");
  assert.equal(ring.at(299), "m299");
  assert.equal(ring.at(300), undefined);
});
