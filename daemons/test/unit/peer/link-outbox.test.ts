import assert from "node:assert/strict";
import { test } from "node:test";
import { LinkOutbox, MAX_IN_FLIGHT } from "../../../src/peer/link-outbox.ts";
import type { PeerBody } from "../../../src/protocol/messages.ts";
import { encodedLineBytes } from "../../../src/protocol/record-line.ts";

const lineOf = (eventId: number) =>
  [
    String(eventId),
    "TEXAS",
    "1996",
    "May",
    "Hail",
    "C",
    "X",
    "0",
    "0",
    "0",
    "0",
    "0K",
    "0",
    "",
  ].join("\t");

/** An outbox whose link acknowledges only when told, recording what it was handed. */
function harness(maxDatagram = 1_400) {
  const sent: { body: PeerBody; done: (error: string | null) => void }[] = [];
  const failed: PeerBody[] = [];
  let later: (() => void)[] = [];
  const outbox = new LinkOutbox(
    maxDatagram,
    "alpha",
    (run) => later.push(run),
    (body, _notify, done) => sent.push({ body, done }),
    (body) => failed.push(body),
  );
  const nextTurn = () => {
    const due = later;
    later = [];
    for (const run of due) run();
  };
  return { outbox, sent, failed, nextTurn };
}

const storedIds = (bodies: PeerBody[]) =>
  bodies.flatMap((body) =>
    body.type === "store" ? body.records.map((l) => Number(l.split("\t")[0])) : [],
  );

test("lines leave as full stores, in order, no more than MAX_IN_FLIGHT unacknowledged", () => {
  const { outbox, sent, nextTurn } = harness();
  const lines = Array.from({ length: 5_000 }, (_, index) => lineOf(1_000_000 + index));
  outbox.add(lines.slice(0, 2_000), 97);
  outbox.add(lines.slice(2_000), 97);
  assert.equal(sent.length, 0, "nothing before the turn ends");
  nextTurn();
  assert.equal(sent.length, MAX_IN_FLIGHT);
  const budget = 1_400 - 200 - "alpha".length;
  for (const { body } of sent) {
    assert.equal(body.type, "store");
    if (body.type === "store") {
      const bytes = body.records.reduce((sum, line) => sum + encodedLineBytes(line), 0);
      assert.ok(bytes <= budget, `${bytes} bytes of records fit ${budget}`);
    }
  }
  // Each acknowledgement lets one more go, until every line has left, once, in order.
  for (let index = 0; index < sent.length; index += 1) sent[index]?.done(null);
  assert.deepEqual(
    storedIds(sent.map((entry) => entry.body)),
    lines.map((_, i) => 1_000_000 + i),
  );
  assert.equal(outbox.busy, false);
});

test("a message queued behind records leaves after the last of them", () => {
  const { outbox, sent, nextTurn } = harness();
  outbox.add([lineOf(1), lineOf(2)], 97);
  assert.equal(outbox.busy, true);
  outbox.queue({ type: "count", tableSize: 97, counts: [1] }, false);
  nextTurn();
  assert.deepEqual(
    sent.map((entry) => entry.body.type),
    ["store", "count"],
  );
});

test("when the link gives up, the records behind are dropped and the messages fail", () => {
  const { outbox, sent, failed, nextTurn } = harness();
  outbox.add(
    Array.from({ length: 3_000 }, (_, index) => lineOf(index + 1)),
    97,
  );
  outbox.queue({ type: "count", tableSize: 97, counts: [0] }, false);
  nextTurn();
  const handed = sent.length;
  sent[0]?.done("no acknowledgement for 3000 ms");
  assert.deepEqual(
    failed.map((body) => body.type),
    ["count"],
  );
  assert.equal(outbox.busy, false);
  for (const entry of sent.slice(1)) entry.done("no acknowledgement for 3000 ms");
  assert.equal(sent.length, handed, "nothing more is sent on the dead link");
});
