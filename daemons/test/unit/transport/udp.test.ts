import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { test } from "node:test";
import { encode } from "../../../src/protocol/codec.ts";
import { type Datagram, MAX_ACCEPTED_DATAGRAM } from "../../../src/protocol/messages.ts";
import { Identity } from "../../../src/transport/identity.ts";
import { type Address, addressKey, UdpEndpoint } from "../../../src/transport/udp.ts";
import { bindLoopback, waitFor } from "./helpers.ts";

function sendRaw(bytes: Buffer, to: Address): Promise<void> {
  const socket = createSocket("udp4");
  return new Promise((resolve) => socket.send(bytes, to.port, to.ip, () => socket.close(resolve)));
}

test("sends and receives a datagram between two endpoints", async (t) => {
  const alice = await bindLoopback();
  const bob = await bindLoopback();
  t.after(() => Promise.all([alice.close(), bob.close()]));
  const received: { message: Datagram; from: Address }[] = [];
  bob.onDatagram((message, from) => received.push({ message, from }));
  const request = new Identity("alice").stamp({ type: "query-dht" as const, name: "alice" });
  alice.send(request, bob.address());
  await waitFor(() => received.length === 1, "the datagram");
  assert.deepEqual(received[0]?.message, request);
  assert.equal(addressKey(received[0]?.from ?? { ip: "", port: 0 }), addressKey(alice.address()));
  assert.equal(alice.address().ip, "127.0.0.1");
  assert.ok(alice.address().port > 0);
});

test("bind names host:port when the port is taken or the address is not ours", async (t) => {
  const holder = await bindLoopback();
  t.after(() => holder.close());
  const { port } = holder.address();
  await assert.rejects(
    UdpEndpoint.bind("127.0.0.1", port),
    new RegExp(`cannot bind UDP 127\\.0\\.0\\.1:${port}: address already in use`),
  );
  await assert.rejects(
    UdpEndpoint.bind("192.0.2.1", 4000),
    /cannot bind UDP 192\.0\.2\.1:4000: address not available/,
  );
  await assert.rejects(UdpEndpoint.bind("127.0.0.1", 70_000), /cannot bind UDP 127\.0\.0\.1:70000/);
});

test("invalid datagrams reach onInvalid and never the datagram handler", async (t) => {
  const endpoint = await bindLoopback();
  t.after(() => endpoint.close());
  let valid = 0;
  const invalid: { error: string; bytes: number }[] = [];
  endpoint.onDatagram(() => valid++);
  endpoint.onInvalid((error, _from, bytes) => invalid.push({ error, bytes }));
  const good = new Identity("x").stamp({ type: "deregister" as const, name: "x" });
  const bad = [
    Buffer.from([0xff, 0x00, 0x13, 0x37]),
    Buffer.from(JSON.stringify({ ...good, v: 2 })),
    Buffer.from(JSON.stringify({ ...good, type: "make-coffee" })),
    Buffer.from(JSON.stringify({ ...good, name: "x".repeat(MAX_ACCEPTED_DATAGRAM) })),
    Buffer.from(JSON.stringify({ ...good, id: -1 })),
    Buffer.from("[1,2,3]"),
  ];
  for (const bytes of bad) await sendRaw(bytes, endpoint.address());
  await waitFor(() => invalid.length === bad.length, "every invalid datagram");
  assert.equal(valid, 0);
  const errors = invalid.map((entry) => entry.error);
  assert.match(errors[0] ?? "", /not JSON/);
  assert.match(errors[1] ?? "", /wrong protocol version 2/);
  assert.match(errors[2] ?? "", /unknown message type "make-coffee"/);
  assert.match(errors[3] ?? "", /oversized datagram/);
  assert.match(errors[4] ?? "", /invalid deregister: \/id/);
  assert.match(errors[5] ?? "", /not a JSON object/);
  assert.equal(invalid[3]?.bytes, bad[3]?.length);
  await sendRaw(encode(good), endpoint.address());
  await waitFor(() => valid === 1, "the valid datagram after the invalid ones");
});

test("send after close is a no-op and close can be called twice", async () => {
  const endpoint = await bindLoopback();
  const errors: Error[] = [];
  endpoint.onError((error) => errors.push(error));
  await endpoint.close();
  await endpoint.close();
  const message = new Identity("x").stamp({ type: "deregister" as const, name: "x" });
  endpoint.send(message, { ip: "127.0.0.1", port: 9 });
  endpoint.sendBytes(Buffer.from("{}"), { ip: "127.0.0.1", port: 9 });
  assert.deepEqual(errors, []);
});

test("a failed send is reported to onError with its destination, not thrown", async (t) => {
  const endpoint = await bindLoopback();
  t.after(() => endpoint.close());
  const failures: { error: Error; to: Address | undefined }[] = [];
  endpoint.onError((error, to) => failures.push({ error, to }));
  const message = new Identity("x").stamp({ type: "deregister" as const, name: "x" });
  endpoint.send(message, { ip: "127.0.0.1", port: 0 });
  await waitFor(() => failures.length === 1, "the send error");
  assert.equal(failures[0]?.to?.port, 0);
});

test("STORMRING_FAULTS applies to endpoints bound while it is set", async (t) => {
  const receiver = await bindLoopback();
  t.after(() => receiver.close());
  let received = 0;
  receiver.onDatagram(() => received++);
  process.env.STORMRING_FAULTS = "drop=1";
  const lossy = await bindLoopback().finally(() => {
    delete process.env.STORMRING_FAULTS;
  });
  t.after(() => lossy.close());
  const clean = await bindLoopback();
  t.after(() => clean.close());
  const message = new Identity("x").stamp({ type: "deregister" as const, name: "x" });
  for (let copy = 0; copy < 20; copy++) lossy.send(message, receiver.address());
  clean.send(message, receiver.address());
  await waitFor(() => received === 1, "the datagram from the endpoint without faults");
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(received, 1, "every datagram of the faulty endpoint was dropped");
  process.env.STORMRING_FAULTS = "drop=often";
  await assert.rejects(bindLoopback(), /STORMRING_FAULTS: drop must be a number/).finally(() => {
    delete process.env.STORMRING_FAULTS;
  });
});

test("a handler that throws is reported as such and the socket keeps receiving", async (t) => {
  const endpoint = await bindLoopback();
  t.after(() => endpoint.close());
  const errors: string[] = [];
  let handled = 0;
  endpoint.onInvalid((error) => errors.push(error));
  endpoint.onDatagram(() => {
    handled += 1;
    if (handled === 1) throw new Error("a bug");
  });
  const request = new Identity("alice").stamp({ type: "query-dht" as const, name: "alice" });
  await sendRaw(encode(request), endpoint.address());
  await sendRaw(encode(request), endpoint.address());
  await waitFor(() => handled === 2, "both datagrams");
  assert.deepEqual(errors, ["failed while handling query-dht: a bug"]);
});
