import assert from "node:assert/strict";
import { test } from "node:test";
import { encode } from "../../../src/protocol/codec.ts";
import type { PeerBody, PeerMessage } from "../../../src/protocol/messages.ts";
import { LinkFailedError, TransportClosedError } from "../../../src/transport/errors.ts";
import { RunTimeFaults } from "../../../src/transport/faults.ts";
import { Identity } from "../../../src/transport/identity.ts";
import { LinkEndpoint, type LinkOptions } from "../../../src/transport/link.ts";
import type { Address, UdpEndpoint } from "../../../src/transport/udp.ts";
import { bindLoopback, fakeRecord, labelOf, storeBody } from "./helpers.ts";
import { LossyProxy } from "./lossy-proxy.ts";

type Node = {
  endpoint: UdpEndpoint;
  link: LinkEndpoint;
  delivered: PeerMessage[];
  senders: Address[];
  close(): Promise<void>;
};

async function startNode(options: LinkOptions = {}, port = 0, name = "node"): Promise<Node> {
  const endpoint = await bindLoopback(port);
  const link = new LinkEndpoint(endpoint, new Identity(name), options);
  const delivered: PeerMessage[] = [];
  const senders: Address[] = [];
  endpoint.onDatagram((message, from, bytes) => link.handle(message, from, bytes));
  link.onMessage((message, from) => {
    delivered.push(message);
    senders.push(from);
  });
  return {
    endpoint,
    link,
    delivered,
    senders,
    close: async () => {
      link.close();
      await endpoint.close();
    },
  };
}

const quickFailure: LinkOptions = {
  initialRtoMs: 10,
  minRtoMs: 5,
  maxRtoMs: 20,
  maxRetransmissions: 4,
};

function stores(first: number, count: number) {
  return Array.from({ length: count }, (_, index) => storeBody([fakeRecord(first + index)]));
}

test("messages arrive once and in order, with seqs from 0, also on a ring of one", async (t) => {
  const sender = await startNode();
  const receiver = await startNode();
  t.after(() => Promise.all([sender.close(), receiver.close()]));
  await Promise.all(
    stores(0, 100).map((body) => sender.link.send(receiver.endpoint.address(), body)),
  );
  assert.deepEqual(
    receiver.delivered.map((message) => message.seq),
    [...Array(100).keys()],
  );
  assert.deepEqual(receiver.senders[0], sender.endpoint.address());
  await Promise.all(stores(0, 10).map((body) => sender.link.send(sender.endpoint.address(), body)));
  assert.deepEqual(sender.delivered.map(labelOf), [...Array(10).keys()].map(String));
  const { acksSent, received } = receiver.link.stats();
  assert.ok(acksSent < received, `acks are coalesced (${acksSent} acks for ${received} messages)`);
});

test("5,000 messages survive 20% loss, 10% duplication and reordering", async (t) => {
  const receiver = await startNode();
  const faults = { drop: 0.2, duplicate: 0.1, reorder: 0.1, maxDelayMs: 5 };
  const proxy = await LossyProxy.start(receiver.endpoint.address(), faults, 2024);
  const sender = await startNode({ minRtoMs: 5 });
  t.after(() => Promise.all([sender.close(), receiver.close(), proxy.close()]));
  await Promise.all(stores(0, 5_000).map((body) => sender.link.send(proxy.address(), body)));
  assert.deepEqual(receiver.delivered.map(labelOf), [...Array(5_000).keys()].map(String));
  const senderStats = sender.link.stats();
  const receiverStats = receiver.link.stats();
  assert.ok(senderStats.retransmissions > 0);
  assert.ok(receiverStats.duplicatesDropped > 0);
  assert.ok(receiverStats.outOfOrderBuffered > 0);
  assert.equal(receiverStats.delivered, 5_000);
  assert.ok(
    proxy.counts.dropped > 1_000 && proxy.counts.duplicated > 500 && proxy.counts.delayed > 500,
  );
});

test("a teardown sent last is delivered after every store sent before it", async (t) => {
  const receiver = await startNode();
  const faults = { drop: 0.1, duplicate: 0.1, reorder: 0.5, maxDelayMs: 20 };
  const proxy = await LossyProxy.start(receiver.endpoint.address(), faults, 99);
  const sender = await startNode({ minRtoMs: 5 });
  t.after(() => Promise.all([sender.close(), receiver.close(), proxy.close()]));
  const sends = stores(0, 300).map((body) => sender.link.send(proxy.address(), body));
  sends.push(
    sender.link.send(proxy.address(), {
      type: "teardown",
      purpose: "teardown-dht",
      initiator: "a",
    }),
  );
  await Promise.all(sends);
  assert.equal(receiver.delivered.length, 301);
  assert.equal(receiver.delivered.at(-1)?.type, "teardown");
  assert.deepEqual(
    receiver.delivered.slice(0, 300).map(labelOf),
    [...Array(300).keys()].map(String),
  );
});

test("a peer that stops acknowledging fails the link; a later send starts fresh", async (t) => {
  const receiver = await startNode();
  const proxy = await LossyProxy.start(
    receiver.endpoint.address(),
    { drop: 0, duplicate: 0, reorder: 0, maxDelayMs: 0 },
    1,
  );
  const sender = await startNode(quickFailure);
  t.after(() => Promise.all([sender.close(), receiver.close(), proxy.close()]));
  await Promise.all(stores(0, 5).map((body) => sender.link.send(proxy.address(), body)));
  proxy.faults = { ...proxy.faults, drop: 1 };
  const doomed = [
    ...stores(5, 3).map((body) => sender.link.send(proxy.address(), body)),
    sender.link.send(proxy.address(), { type: "count", tableSize: 11, counts: [] }),
  ];
  const outcomes = await Promise.allSettled(doomed);
  const { port } = proxy.address();
  for (const [index, outcome] of outcomes.entries()) {
    assert.equal(outcome.status, "rejected");
    const error = (outcome as PromiseRejectedResult).reason;
    assert.ok(error instanceof LinkFailedError);
    assert.deepEqual(error.peer, proxy.address());
    assert.equal(error.messageType, index < 3 ? "store" : "count");
    assert.match(error.message, new RegExp(`^link to peer 127\\.0\\.0\\.1:${port} failed: `));
  }
  assert.equal(sender.link.stats().failures, 1);
  proxy.faults = { ...proxy.faults, drop: 0 };
  await sender.link.send(proxy.address(), storeBody([fakeRecord(100)]));
  assert.deepEqual(receiver.delivered.map(labelOf), ["0", "1", "2", "3", "4", "100"]);
});

test("sending to an address where nothing listens rejects with LinkFailedError", async (t) => {
  const gone = await bindLoopback();
  const address = gone.address();
  await gone.close();
  const sender = await startNode(quickFailure);
  t.after(() => sender.close());
  await assert.rejects(
    sender.link.send(address, {
      type: "node-joining",
      joiner: { name: "j", ip: "1.2.3.4", port: 5 },
    }),
    (error: unknown) =>
      error instanceof LinkFailedError && /node-joining \(seq 0\)/.test(error.message),
  );
});

test("a silent peer is given up for dead after deadAfterMs, before the retransmissions run out", async (t) => {
  const gone = await bindLoopback();
  const address = gone.address();
  await gone.close();
  // RTOs of 10 ms to 200 ms and 1,000 retransmissions: only the silence can end it.
  const sender = await startNode({
    initialRtoMs: 10,
    minRtoMs: 10,
    maxRtoMs: 200,
    maxRetransmissions: 1_000,
    deadAfterMs: 600,
  });
  t.after(() => sender.close());
  const started = performance.now();
  await assert.rejects(sender.link.send(address, storeBody([fakeRecord(1)])), LinkFailedError);
  const took = performance.now() - started;
  assert.ok(took >= 600 && took < 1_200, `gave up after ${Math.round(took)} ms`);
  // An idle link counts its silence afresh: a new message gets the full time again.
  await new Promise((resolve) => setTimeout(resolve, 700));
  const again = performance.now();
  await assert.rejects(sender.link.send(address, storeBody([fakeRecord(2)])), LinkFailedError);
  assert.ok(performance.now() - again >= 600);
});

test("a restarted sender on the same address is delivered from seq 0", async (t) => {
  const receiver = await startNode();
  t.after(() => receiver.close());
  const first = await startNode({}, 0, "first");
  const { port } = first.endpoint.address();
  await Promise.all(
    stores(0, 20).map((body) => first.link.send(receiver.endpoint.address(), body)),
  );
  await first.close();
  const restarted = await startNode({}, port, "restarted");
  t.after(() => restarted.close());
  await Promise.all(
    stores(20, 5).map((body) => restarted.link.send(receiver.endpoint.address(), body)),
  );
  assert.deepEqual(
    receiver.delivered.slice(20).map((message) => message.seq),
    [0, 1, 2, 3, 4],
  );
  assert.deepEqual(receiver.delivered.map(labelOf), [...Array(25).keys()].map(String));
});

test("close rejects pending sends, clears every timer and can be repeated", async (t) => {
  const silent = await bindLoopback();
  const sender = await startNode();
  t.after(() => Promise.all([silent.close(), sender.endpoint.close()]));
  const timersBefore = process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
  const pending = stores(0, 40).map((body) => sender.link.send(silent.address(), body));
  sender.link.close();
  sender.link.close();
  for (const outcome of await Promise.allSettled(pending)) {
    assert.ok(outcome.status === "rejected" && outcome.reason instanceof TransportClosedError);
  }
  await assert.rejects(sender.link.send(silent.address(), storeBody([])), TransportClosedError);
  const timersAfter = process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
  assert.equal(timersAfter, timersBefore);
});

test("an oversized message is refused at once instead of failing on the wire", async (t) => {
  const sender = await startNode();
  t.after(() => sender.close());
  const huge = storeBody(Array.from({ length: 200 }, (_, index) => fakeRecord(index, 200)));
  await assert.rejects(sender.link.send(sender.endpoint.address(), huge), /exceeds the 16384-byte/);
  await sender.link.send(sender.endpoint.address(), storeBody([fakeRecord(1)]));
  assert.equal(sender.delivered[0]?.seq, 0, "the refused message took no seq");
});

test("3,500 stores of about 1,400 bytes all cross a loopback link", async (t) => {
  const sender = await startNode();
  const receiver = await startNode();
  t.after(() => Promise.all([sender.close(), receiver.close()]));
  const encodedSize = (body: PeerBody) =>
    encode({
      ...body,
      v: 1,
      from: "node",
      sess: 2 ** 31,
      id: 1e6,
      clock: 1e6,
      seq: 1e4,
    } as PeerMessage).length;
  // As many records as fit a 1,400-byte datagram, as the store batcher packs them.
  const records = [fakeRecord(0, 88)];
  while (encodedSize(storeBody([...records, fakeRecord(records.length, 88)])) <= 1_400) {
    records.push(fakeRecord(records.length, 88));
  }
  const body = storeBody(records);
  const size = encodedSize(body);
  assert.ok(size > 1_300 && size <= 1_400, `datagram of ${size} bytes`);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 3_500 }, () => sender.link.send(receiver.endpoint.address(), body)),
  );
  const elapsedMs = performance.now() - started;
  t.diagnostic(`3,500 x ${size}-byte stores in ${elapsedMs.toFixed(0)} ms`);
  // Speed is measured by npm run bench; here every datagram must arrive, once.
  assert.equal(receiver.delivered.length, 3_500);
});

test("a message dropped by a run-time fault is reported as such and arrives retransmitted", async (t) => {
  const receiver = await startNode();
  const faults = new RunTimeFaults();
  const sends: { type: string; retransmission: boolean; dropped: boolean }[] = [];
  const sender = await startNode({
    minRtoMs: 5,
    initialRtoMs: 20,
    faults,
    observer: {
      sent: (message, _to, { retransmission, dropped }) =>
        sends.push({ type: message.type, retransmission, dropped: dropped === true }),
    },
  });
  t.after(() => Promise.all([sender.close(), receiver.close()]));
  faults.dropNextTo(receiver.endpoint.address());
  await sender.link.send(receiver.endpoint.address(), storeBody([fakeRecord(1)]));
  assert.deepEqual(receiver.delivered.map(labelOf), ["1"]);
  assert.deepEqual(sends, [
    { type: "store", retransmission: false, dropped: true },
    { type: "store", retransmission: true, dropped: false },
  ]);
});
