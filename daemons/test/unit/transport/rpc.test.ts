import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { test } from "node:test";
import { decode, encode } from "../../../src/protocol/codec.ts";
import type { ManagerRequest, Reply } from "../../../src/protocol/messages.ts";
import { RequestTimeoutError, TransportClosedError } from "../../../src/transport/errors.ts";
import { Identity } from "../../../src/transport/identity.ts";
import { RpcClient, RpcServer, type RpcServerOptions } from "../../../src/transport/rpc.ts";
import type { Address, UdpEndpoint } from "../../../src/transport/udp.ts";
import { bindLoopback, waitFor } from "./helpers.ts";
import { LossyProxy } from "./lossy-proxy.ts";

type Manager = { endpoint: UdpEndpoint; server: RpcServer; requests: ManagerRequest[] };

async function startManager(options: RpcServerOptions = {}): Promise<Manager> {
  const endpoint = await bindLoopback();
  const requests: ManagerRequest[] = [];
  const server = new RpcServer(
    endpoint,
    new Identity("manager"),
    (request) => {
      requests.push(request);
      return { type: "reply", status: "SUCCESS", text: `handled ${request.type}` };
    },
    options,
  );
  endpoint.onDatagram((message, from) => server.handle(message, from));
  return { endpoint, server, requests };
}

async function startClient(options: ConstructorParameters<typeof RpcClient>[2] = {}) {
  const endpoint = await bindLoopback();
  const client = new RpcClient(endpoint, new Identity("alice"), options);
  endpoint.onDatagram((message, from) => client.handle(message, from));
  return { endpoint, client };
}

/** Sends raw bytes from a plain socket and collects the decoded replies it gets back. */
async function rawExchange(bytes: Buffer, to: Address, copies: number): Promise<Reply[]> {
  const socket = createSocket("udp4");
  const replies: Reply[] = [];
  socket.on("message", (answer) => {
    const decoded = decode(answer);
    if (decoded.ok && decoded.message.type === "reply") replies.push(decoded.message);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  for (let copy = 0; copy < copies; copy++) socket.send(bytes, to.port, to.ip);
  await waitFor(() => replies.length === copies, "every reply");
  socket.close();
  return replies;
}

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
}

test("a request gets the reply whose re is its id", async (t) => {
  const manager = await startManager();
  const { endpoint, client } = await startClient();
  t.after(() => Promise.all([manager.endpoint.close(), endpoint.close()]));
  const reply = await client.request(
    { type: "query-dht", name: "alice" },
    manager.endpoint.address(),
  );
  assert.equal(reply.status, "SUCCESS");
  assert.equal(reply.text, "handled query-dht");
  assert.equal(reply.re, manager.requests[0]?.id);
  assert.equal(manager.requests.length, 1);
});

test("requests get through 30% loss each way, each handled exactly once", async (t) => {
  const manager = await startManager();
  const faults = { drop: 0.3, duplicate: 0, reorder: 0, maxDelayMs: 0 };
  const proxy = await LossyProxy.start(manager.endpoint.address(), faults, 7);
  const { endpoint, client } = await startClient({
    initialTimeoutMs: 10,
    maxTimeoutMs: 40,
    maxTries: 30,
  });
  t.after(() => Promise.all([manager.endpoint.close(), endpoint.close(), proxy.close()]));
  const names = Array.from(
    { length: 40 },
    (_, index) => `peer${String.fromCharCode(97 + (index % 26))}`,
  );
  const replies = await Promise.all(
    names.map((name) => client.request({ type: "join-dht", name }, proxy.address())),
  );
  assert.equal(replies.length, 40);
  assert.ok(proxy.counts.dropped > 0, "the proxy dropped some datagrams");
  assert.equal(manager.requests.length, 40, "retransmissions were answered from the cache");
  assert.equal(new Set(manager.requests.map((request) => request.id)).size, 40);
});

test("a duplicate request is answered from the cache without calling the handler", async (t) => {
  const manager = await startManager();
  t.after(() => manager.endpoint.close());
  const request = new Identity("bob").stamp({ type: "leave-dht" as const, name: "bob" });
  const replies = await rawExchange(encode(request), manager.endpoint.address(), 3);
  assert.equal(manager.requests.length, 1);
  assert.deepEqual(replies[1], replies[0]);
  assert.deepEqual(replies[2], replies[0]);
  assert.equal(replies[0]?.re, request.id);
});

test("the reply cache is bounded by count and by age", async (t) => {
  const manager = await startManager({ replyCacheMax: 3, replyCacheTtlMs: 30 });
  t.after(() => manager.endpoint.close());
  const identity = new Identity("carol");
  const requests = Array.from({ length: 5 }, () =>
    identity.stamp({ type: "query-dht" as const, name: "carol" }),
  );
  for (const request of requests) await rawExchange(encode(request), manager.endpoint.address(), 1);
  assert.equal(manager.server.cachedReplies, 3);
  await new Promise((resolve) => setTimeout(resolve, 40));
  await rawExchange(encode(requests[4] as ManagerRequest), manager.endpoint.address(), 1);
  assert.equal(manager.requests.length, 6, "an expired reply is not reused");
  assert.equal(manager.server.cachedReplies, 1);
});

test("one source cannot push the others' replies out of the cache", async (t) => {
  const manager = await startManager({ replyCacheMax: 8, replyCachePerSource: 4 });
  t.after(() => manager.endpoint.close());
  const to = manager.endpoint.address();
  const honest = await bindLoopback();
  const flooder = await bindLoopback();
  t.after(() => Promise.all([honest.close(), flooder.close()]));
  let honestReplies = 0;
  honest.onDatagram((message) => {
    if (message.type === "reply") honestReplies += 1;
  });
  const request = new Identity("alice").stamp({ type: "query-dht" as const, name: "alice" });
  honest.sendBytes(encode(request), to);
  await waitFor(() => honestReplies === 1, "the first reply");
  const mallory = new Identity("mallory");
  for (let sent = 0; sent < 20; sent += 1) {
    flooder.send(mallory.stamp({ type: "query-dht" as const, name: "mallory" }), to);
  }
  await waitFor(() => manager.requests.length === 21, "the flood to be handled");
  assert.equal(manager.server.cachedReplies, 1 + 4, "the flooder keeps only its last 4");
  honest.sendBytes(encode(request), to);
  await waitFor(() => honestReplies === 2, "the retransmission's reply");
  assert.equal(manager.requests.length, 21, "the retransmission was answered from the cache");
});

test("a request nobody answers fails after maxTries and leaves no timers", async (t) => {
  const silent = await bindLoopback();
  const { endpoint, client } = await startClient({
    initialTimeoutMs: 5,
    maxTimeoutMs: 20,
    maxTries: 4,
  });
  t.after(() => Promise.all([silent.close(), endpoint.close()]));
  const timersBefore = activeTimers();
  const sent: boolean[] = [];
  const tracing = new RpcClient(endpoint, new Identity("alice"), {
    initialTimeoutMs: 5,
    maxTimeoutMs: 20,
    maxTries: 4,
    observer: { sent: (_datagram, _to, info) => sent.push(info.retransmission) },
  });
  const to = silent.address();
  const failure = tracing.request(
    { type: "register", name: "alice", ip: "127.0.0.1", mport: 1, pport: 2 },
    to,
  );
  await assert.rejects(failure, (error: unknown) => {
    assert.ok(error instanceof RequestTimeoutError);
    assert.match(
      error.message,
      new RegExp(
        `^no answer from manager 127\\.0\\.0\\.1:${to.port} to register after 4 tries \\(0\\.\\d s\\)$`,
      ),
    );
    return true;
  });
  assert.deepEqual(sent, [false, true, true, true]);
  assert.equal(activeTimers(), timersBefore);
  await assert.rejects(
    client.request({ type: "deregister", name: "alice" }, to),
    RequestTimeoutError,
  );
  assert.equal(activeTimers(), timersBefore);
});

test("close rejects pending requests and clears their timers", async (t) => {
  const silent = await bindLoopback();
  const { endpoint, client } = await startClient();
  t.after(() => Promise.all([silent.close(), endpoint.close()]));
  const timersBefore = activeTimers();
  const pending = client.request({ type: "deregister", name: "alice" }, silent.address());
  assert.equal(activeTimers(), timersBefore + 1);
  client.close();
  await assert.rejects(pending, TransportClosedError);
  await assert.rejects(
    client.request({ type: "deregister", name: "alice" }, silent.address()),
    /closed/,
  );
  assert.equal(activeTimers(), timersBefore);
});

test("late replies and replies from another address settle nothing", async (t) => {
  const manager = await startManager();
  const impostor = await bindLoopback();
  const { endpoint, client } = await startClient({ initialTimeoutMs: 30 });
  t.after(() => Promise.all([manager.endpoint.close(), impostor.close(), endpoint.close()]));
  const reply = await client.request(
    { type: "query-dht", name: "alice" },
    manager.endpoint.address(),
  );
  const late = new Identity("manager").stamp({
    type: "reply" as const,
    re: reply.re,
    status: "FAILURE" as const,
  });
  assert.equal(client.handle(late, manager.endpoint.address()), true);
  const answered = client.request({ type: "query-dht", name: "alice" }, manager.endpoint.address());
  const forged = new Identity("x").stamp({
    type: "reply" as const,
    re: reply.re + 1,
    status: "FAILURE" as const,
  });
  impostor.send(forged, endpoint.address());
  assert.equal((await answered).status, "SUCCESS");
  assert.equal(
    client.handle(manager.requests[0] as ManagerRequest, manager.endpoint.address()),
    false,
  );
});
