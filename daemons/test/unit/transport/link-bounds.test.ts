/**
 * What a receiver's links hold for senders it does not know is bounded: the number of
 * incoming links, the bytes held beyond gaps, and how long a silent sender's arrivals
 * stay. Datagrams go through a real loopback endpoint; the sources are the addresses a
 * forger would claim.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { encode } from "../../../src/protocol/codec.ts";
import type { PeerMessage } from "../../../src/protocol/messages.ts";
import { Identity } from "../../../src/transport/identity.ts";
import { LinkEndpoint } from "../../../src/transport/link.ts";
import type { Address } from "../../../src/transport/udp.ts";
import { bindLoopback, fakeRecord, storeBody, waitFor } from "./helpers.ts";

/** A store of about 60 KB, early on its link (seq 5 while 0 has not arrived). */
function earlyStore(sess: number, seq = 5): { message: PeerMessage; bytes: number } {
  const message = {
    ...storeBody([fakeRecord(seq, 60_000)]),
    v: 1,
    from: "mallory",
    sess,
    id: seq + 1,
    clock: 1,
    seq,
  } as PeerMessage;
  return { message, bytes: encode(message).length };
}

/** Addresses nothing listens on (their acks are lost, as a forger's would be). */
const forged = (index: number): Address => ({ ip: "127.0.0.1", port: 20_000 + index });

async function receiver(deadAfterMs = 3_000) {
  const endpoint = await bindLoopback();
  endpoint.onError(() => {});
  const link = new LinkEndpoint(endpoint, new Identity("receiver"), { deadAfterMs });
  const delivered: PeerMessage[] = [];
  link.onMessage((message) => delivered.push(message));
  return {
    link,
    delivered,
    close: async () => {
      link.close();
      await endpoint.close();
    },
  };
}

test("1,000 forged sources sending 60 KB early arrivals hold at most 512 links and 8 MiB", async (t) => {
  const { link, close } = await receiver();
  t.after(close);
  for (let index = 0; index < 1_000; index += 1) {
    const { message, bytes } = earlyStore(index + 1);
    link.handle(message, forged(index), bytes);
  }
  const stats = link.stats();
  assert.equal(stats.incomingLinks, 512);
  assert.equal(stats.linksForgotten, 1_000 - 512);
  assert.ok(stats.heldBytes <= 8 * 1024 * 1024, `${stats.heldBytes} bytes held`);
  assert.ok(stats.discarded > 0, "arrivals past the budget are refused");
});

test("a sender heard since the flood still gets its messages through", async (t) => {
  const { link, delivered, close } = await receiver();
  t.after(close);
  for (let index = 0; index < 600; index += 1) {
    const { message, bytes } = earlyStore(index + 1);
    link.handle(message, forged(index), bytes);
  }
  // A real sender starts a link from seq 0: nothing it sends waits on the budget.
  const sender = forged(5_000);
  for (const seq of [0, 1, 2]) {
    const { message, bytes } = earlyStore(9_999, seq);
    link.handle(message, sender, bytes);
  }
  assert.deepEqual(
    delivered.map((message) => message.seq),
    [0, 1, 2],
  );
});

test("what a silent sender's link holds is dropped after three dead-after times", async (t) => {
  const { link, close } = await receiver(100);
  t.after(close);
  const { message, bytes } = earlyStore(77);
  link.handle(message, forged(1), bytes);
  assert.equal(link.stats().heldBytes, bytes);
  // Expiry runs on arrivals, at most once a second.
  await waitFor(
    () => {
      const other = earlyStore(78, 0);
      link.handle(other.message, forged(2), other.bytes);
      return link.stats().heldBytes === 0;
    },
    "the held store to expire",
    5_000,
  );
  assert.equal(link.stats().heldExpired, 1);
});
