/**
 * Retransmissions reach the control channel as message events with `retransmission: true`
 * (a peer's request resent on timeout, the manager's reply resent from its cache), while
 * the console trace stays as it was: a resend is printed only at the verbose level.
 */
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { test } from "node:test";
import { ManagerDaemon } from "../../../src/daemon/manager-daemon.ts";
import type { DaemonEvent } from "../../../src/observe/events.ts";
import { PeerObservation } from "../../../src/observe/peer-observation.ts";
import { Trace } from "../../../src/observe/trace.ts";
import type { PeerSnapshot } from "../../../src/peer/snapshot.ts";
import { encode } from "../../../src/protocol/codec.ts";
import type { Datagram } from "../../../src/protocol/messages.ts";
import { RequestTimeoutError } from "../../../src/transport/errors.ts";
import { Identity } from "../../../src/transport/identity.ts";
import { RpcClient } from "../../../src/transport/rpc.ts";
import { bindLoopback, waitFor } from "../transport/helpers.ts";

type MessageEvent = Extract<DaemonEvent, { kind: "message" }>;

const SNAPSHOT: PeerSnapshot = {
  name: "alice",
  addresses: null,
  id: null,
  ringSize: null,
  year: null,
  rightNeighbour: null,
  tuples: [],
  recordsHeld: 0,
  copiesHeld: 0,
  replication: null,
  hostAddresses: ["127.0.0.1"],
  loss: 0,
  phase: "unregistered",
  command: null,
};

function watchPeer() {
  const identity = new Identity("alice");
  const lines: string[] = [];
  const events: DaemonEvent[] = [];
  const watch = new PeerObservation(
    identity,
    "messages",
    (line) => lines.push(line),
    () => SNAPSHOT,
  );
  watch.observe(({ event }) => events.push(event));
  return { identity, watch, lines, events };
}

test("a peer's request resent on timeout is published with retransmission: true", async (t) => {
  const silent = await bindLoopback();
  const endpoint = await bindLoopback();
  t.after(() => Promise.all([silent.close(), endpoint.close()]));
  const { identity, watch, lines, events } = watchPeer();
  // Wired as the peer node wires its manager client.
  const client = new RpcClient(endpoint, identity, {
    initialTimeoutMs: 5,
    maxTimeoutMs: 20,
    maxTries: 3,
    observer: {
      sent: (message, _to, { retransmission }) => watch.sent("manager", message, retransmission),
    },
  });
  await assert.rejects(
    client.request(
      { type: "register", name: "alice", ip: "127.0.0.1", mport: 1, pport: 2 },
      silent.address(),
    ),
    RequestTimeoutError,
  );
  const sent = events.filter((event): event is MessageEvent => event.kind === "message");
  assert.deepEqual(
    sent.map((event) => [event.direction, event.messageType, event.to, event.retransmission]),
    [
      ["sent", "register", "manager", undefined],
      ["sent", "register", "manager", true],
      ["sent", "register", "manager", true],
    ],
  );
  assert.ok(!("retransmission" in (sent[0] ?? {})), "a first send has no retransmission field");
  assert.equal(new Set(sent.map((event) => event.messageClock)).size, 1, "the same datagram");
  // The trace at "messages" shows the request once, as before.
  const traced = lines.filter((line) => line.includes("register"));
  assert.equal(traced.length, 1, traced.join("\n"));
  assert.doesNotMatch(traced[0] ?? "", /retransmission/);
});

test("a resent query hop repeats the message event but not the query-hop event", () => {
  const { identity, watch, events } = watchPeer();
  const hop = identity.stamp({
    type: "find-event" as const,
    seq: 0,
    queryId: 7,
    nonce: "9f86d081884c7d65",
    eventId: 5536849,
    origin: { name: "alice", ip: "127.0.0.1", port: 5002 },
    idSeq: [],
  }) as Datagram;
  watch.sent("bob", hop, false);
  watch.sent("bob", hop, true);
  assert.deepEqual(
    events.map((event) =>
      event.kind === "message" ? `message ${event.retransmission ?? false}` : event.kind,
    ),
    ["message false", "query-hop", "message true"],
  );
});

test("the manager's cached reply to a duplicate request is published as a retransmission", async (t) => {
  const lines: string[] = [];
  const manager = await ManagerDaemon.start({
    host: "127.0.0.1",
    port: 0,
    waitTimeoutMs: 30_000,
    trace: new Trace(
      () => "manager",
      "messages",
      (line) => lines.push(line),
    ),
  });
  const socket = createSocket("udp4");
  t.after(async () => {
    socket.close();
    await manager.close();
  });
  const events: MessageEvent[] = [];
  manager.observe(({ event }) => {
    if (event.kind === "message") events.push(event);
  });
  let replies = 0;
  socket.on("message", () => {
    replies += 1;
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  const request = new Identity("alice").stamp({
    type: "register" as const,
    name: "alice",
    ip: "127.0.0.1",
    mport: port,
    pport: port + 1,
  });
  const bytes = encode(request);
  const to = manager.address();
  // The same datagram twice, as a peer whose first reply was lost would send it.
  socket.send(bytes, to.port, to.ip);
  await waitFor(() => replies === 1, "the first reply");
  socket.send(bytes, to.port, to.ip);
  await waitFor(() => replies === 2, "the cached reply");
  const sent = events.filter((event) => event.direction === "sent");
  assert.deepEqual(
    sent.map((event) => [event.messageType, event.to, event.retransmission]),
    [
      ["reply", "alice", undefined],
      ["reply", "alice", true],
    ],
  );
  assert.equal(sent[0]?.messageClock, sent[1]?.messageClock, "the reply already given");
  assert.equal(lines.filter((line) => line.includes("-> alice")).length, 1, lines.join("\n"));
});
