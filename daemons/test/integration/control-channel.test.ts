/**
 * The control channel (PROTOCOL.md section 8) of the real programs, with a real WebSocket
 * client: snapshots, the event stream of a setup of 1996 on 3 nodes (causal clocks, store
 * summaries, progress, few frames), a query's hops and result, commands over the channel,
 * and refused connections (browser Origin, missing token). The tests build on each other.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  type Daemon,
  freePort,
  freePorts,
  register,
  startManager,
  startPeer,
} from "../../demo/processes.ts";
import type { PeerSnapshot } from "../../src/peer/snapshot.ts";
import { countsFor, eventIdsOf, ownerIn } from "../support/independent.ts";
import { TEST_DATA_DIR } from "../support/paths.ts";
import { ControlClient, controlUrl, type EventFrame } from "./control-client.ts";

const STEP = { timeout: 90_000 };
const CONTROL = ["--control-port", "0"];
const eventIds1996 = eventIdsOf(`${TEST_DATA_DIR}details-1996.csv`);

let manager: Daemon;
let managerPort = 0;
const daemons: Daemon[] = [];
const clients: ControlClient[] = [];
/** Control channel URL by daemon label. */
const urls = new Map<string, string>();
/** Member names by node id once the DHT is built. */
const ring: string[] = [];

before(async () => {
  ({ manager, port: managerPort } = await startManager({ args: CONTROL }));
  daemons.push(manager);
  urls.set("manager", await controlUrl(manager));
  for (const name of ["alpha", "bravo", "charlie", "delta"]) {
    const peer = startPeer(name, managerPort, TEST_DATA_DIR, { args: CONTROL });
    daemons.push(peer);
    urls.set(name, await controlUrl(peer));
  }
});

after(async () => {
  for (const client of clients) client.close();
  await Promise.all(daemons.map((daemon) => daemon.stop()));
});

function url(label: string): string {
  const found = urls.get(label);
  assert.ok(found, `${label} has a control channel`);
  return found;
}

async function connect(label: string): Promise<ControlClient> {
  const client = await ControlClient.connect(url(label));
  clients.push(client);
  return client;
}

function daemon(label: string): Daemon {
  const found = daemons.find((each) => each.label === label);
  assert.ok(found);
  return found;
}

/** Lamport clocks never go back within one daemon's stream; receipts follow their sends. */
function assertCausal(label: string, events: EventFrame[]): void {
  events.forEach((frame, index) => {
    const previous = events[index - 1];
    if (previous !== undefined) {
      assert.ok(frame.seq > previous.seq, `${label}: seq increases`);
      assert.ok(
        frame.clock >= previous.clock,
        `${label}: clock ${frame.clock} after ${previous.clock}`,
      );
    }
    const { event } = frame;
    if (event.kind === "message" && event.direction === "received" && event.messageClock) {
      assert.ok(frame.clock > event.messageClock, `${label}: received after sent`);
    }
  });
}

test("the daemons print where the channel is; loopback by default", STEP, () => {
  for (const [label, address] of urls) {
    assert.match(address, /^ws:\/\/127\.0\.0\.1:\d+$/, label);
  }
});

test("a command over the channel runs as typed and returns its lines", STEP, async () => {
  const alpha = await connect("alpha");
  const snapshot = await alpha.waitFor((frame) => frame.type === "snapshot");
  const { hostAddresses, ...state } = (snapshot as { state: PeerSnapshot }).state;
  assert.ok(hostAddresses.includes("127.0.0.1"), `host addresses ${hostAddresses}`);
  assert.equal(hostAddresses.at(-1)?.startsWith("127."), true, "loopback comes last");
  assert.deepEqual(
    { ...snapshot, state },
    {
      type: "snapshot",
      daemon: "peer",
      state: {
        name: null,
        addresses: null,
        id: null,
        ringSize: null,
        year: null,
        rightNeighbour: null,
        tuples: [],
        recordsHeld: 0,
        copiesHeld: 0,
        replication: null,
        phase: "unregistered",
        command: null,
        loss: 0,
      },
    },
  );
  const [mport = 0, pport = 0] = await freePorts(2);
  const result = await alpha.command(`register alpha 127.0.0.1 ${mport} ${pport}`);
  assert.equal(result.ok, true, result.lines.join("\n"));
  assert.ok(result.lines.includes(`register alpha 127.0.0.1 ${mport} ${pport}: SUCCESS`));
  const refused = await alpha.command("frobnicate");
  assert.equal(refused.ok, false);
  assert.deepEqual(refused.lines, ['error: unknown command "frobnicate" (type help for the list)']);
});

test("malformed frames get an error result; the connection stays usable", STEP, async () => {
  const client = await connect("delta");
  client.sendText("not json");
  const notJson = await client.waitFor((frame) => frame.type === "result");
  assert.deepEqual(notJson, {
    type: "result",
    requestId: null,
    ok: false,
    lines: ["error: frame is not JSON"],
  });
  client.sendText(JSON.stringify({ type: "command", requestId: 7, line: 42 }));
  const wrongLine = await client.waitFor(
    (frame) => frame.type === "result" && frame.requestId === 7,
  );
  assert.equal(wrongLine.type === "result" && wrongLine.ok, false);
  const status = await client.command("status");
  assert.equal(status.type, "result");
});

test("the manager's snapshot lists every registered peer", STEP, async () => {
  await register(daemon("bravo"), "bravo");
  await register(daemon("charlie"), "charlie");
  const client = await connect("manager");
  const frame = await client.waitFor((each) => each.type === "snapshot");
  assert.equal(frame.type === "snapshot" && frame.daemon, "manager");
  const state = (frame as { state: { peers: { name: string; state: string; ip: string }[] } })
    .state;
  assert.deepEqual(
    state.peers.map((peer) => [peer.name, peer.state, peer.ip]),
    ["alpha", "bravo", "charlie"].map((name) => [name, "Free", "127.0.0.1"]),
  );
  assert.deepEqual((frame as { state: { dht: unknown } }).state.dht, null);
  const refused = await client.command("status");
  assert.deepEqual(refused.lines, ["the manager takes no console commands"]);
  assert.equal(refused.ok, false);
});

test("a setup of 1996 on 3 nodes: summarised, causal, with progress", STEP, async () => {
  const watchers = new Map<string, ControlClient>();
  for (const label of ["manager", "alpha", "bravo", "charlie"]) {
    watchers.set(label, await connect(label));
  }
  const alpha = watchers.get("alpha") as ControlClient;
  const result = await alpha.command("setup-dht alpha 3 1996", 60_000);
  assert.equal(result.ok, true, result.lines.join("\n"));
  assert.ok(result.lines.includes("dht-complete alpha: SUCCESS"), result.lines.join("\n"));
  assert.ok(result.lines.includes(`total: ${eventIds1996.length} records on 3 nodes`));
  const counts = countsFor(eventIds1996, 3);
  for (const line of result.lines) {
    const match = /^node (\d+) \((\w+)\): (\d+) records$/.exec(line);
    if (match) {
      ring[Number(match[1])] = match[2] as string;
      assert.equal(Number(match[3]), counts[Number(match[1])]);
    }
  }
  assert.equal(ring.length, 3);
  // Let the last state events settle, then count what every channel carried.
  await new Promise((resolve) => setTimeout(resolve, 300));

  let frames = 0;
  for (const [label, client] of watchers) {
    frames += client.frames.length;
    assertCausal(label, client.events);
  }
  const each = [...watchers].map(([label, client]) => `${label} ${client.frames.length}`);
  console.log(`control frames during a setup of 1996 on 3 nodes: ${frames} (${each.join(", ")})`);
  assert.ok(frames < 1_000, `${frames} frames`);

  const progress = alpha.eventsOf("store-progress");
  assert.ok(progress.length >= 1 && progress.length < 50, `${progress.length} progress events`);
  assert.deepEqual(progress.at(-1), {
    kind: "store-progress",
    stored: eventIds1996.length,
    total: eventIds1996.length,
  });
  const right = ring[1] ?? "";
  const sentStores = alpha
    .eventsOf("message")
    .filter((event) => event.messageType === "store" && event.direction === "sent");
  assert.equal(sentStores.length, 1, JSON.stringify(sentStores));
  assert.equal(sentStores[0]?.to, right);
  assert.equal(sentStores[0]?.records, eventIds1996.length - (counts[0] ?? 0));
  assert.ok((sentStores[0]?.datagrams ?? 0) > 10);
  const rightStores = (watchers.get(right) as ControlClient)
    .eventsOf("message")
    .filter((event) => event.messageType === "store");
  assert.deepEqual(
    rightStores.map((event) => [event.direction, event.from, event.to, event.records]),
    [
      ["received", "alpha", right, sentStores[0]?.records],
      ["sent", right, ring[2], counts[2]],
    ],
  );
  // A count barrier was sent by alpha and received by its right neighbour, in clock order.
  const countSent = alpha.events.find(
    ({ event }) => event.kind === "message" && event.messageType === "count" && event.to === right,
  );
  const countReceived = (watchers.get(right) as ControlClient).events.find(
    ({ event }) =>
      event.kind === "message" && event.messageType === "count" && event.direction === "received",
  );
  assert.ok(countSent?.event.kind === "message" && countReceived?.event.kind === "message");
  assert.equal(countReceived.event.messageClock, countSent.event.messageClock);
  assert.ok(countReceived.clock > (countSent.event.messageClock ?? Number.POSITIVE_INFINITY));

  const managerStates = (watchers.get("manager") as ControlClient).eventsOf("state");
  const last = managerStates.at(-1);
  assert.equal(last?.daemon, "manager");
  assert.deepEqual(last?.daemon === "manager" && last.state.dht, {
    leader: "alpha",
    members: ring,
    year: "1996",
    ringSize: 3,
    phase: "ready",
  });
  const alphaState = alpha.eventsOf("state").at(-1);
  assert.ok(alphaState?.daemon === "peer");
  assert.equal(alphaState.state.phase, "in-dht");
  assert.equal(alphaState.state.recordsHeld, counts[0]);
  assert.ok(
    alpha.eventsOf("console").some((event) => event.line === "dht-complete alpha: SUCCESS"),
  );
});

test("a peer's snapshot: addresses, id, ring, neighbour, records, phase", STEP, async () => {
  const name = ring[1] ?? "";
  const client = await connect(name);
  const frame = await client.waitFor((each) => each.type === "snapshot");
  assert.ok(frame.type === "snapshot" && frame.daemon === "peer");
  const { state } = frame;
  const counts = countsFor(eventIds1996, 3);
  assert.equal(state.name, name);
  assert.equal((state.addresses as { ip: string }).ip, "127.0.0.1");
  assert.equal(state.id, 1);
  assert.equal(state.ringSize, 3);
  assert.equal(state.year, "1996");
  assert.deepEqual(
    (state.tuples as { name: string }[]).map((tuple) => tuple.name),
    ring,
  );
  assert.equal((state.rightNeighbour as { name: string }).name, ring[2]);
  assert.equal(state.recordsHeld, counts[1]);
  assert.equal(state.phase, "in-dht");
});

test("a query over the channel: hop and result events", STEP, async () => {
  const owner = 2;
  const eventId = eventIds1996.find((id) => ownerIn(eventIds1996, id, 3) === owner);
  assert.ok(eventId !== undefined);
  // delta registers only now, so it is outside the ring.
  await register(daemon("delta"), "delta");
  const delta = await connect("delta");
  const members = await Promise.all(ring.map((name) => connect(name)));
  const result = await delta.command(`query-dht delta ${eventId}`, 20_000);
  assert.equal(result.ok, true, result.lines.join("\n"));
  assert.ok(result.lines.includes(`event id: ${eventId}`), result.lines.join("\n"));
  const idSeq = result.lines.at(-1)?.replace("id-seq: ", "").split(" ").map(Number) ?? [];
  assert.equal(idSeq.at(-1), owner);

  const firstHop = delta.eventsOf("query-hop")[0];
  assert.equal(firstHop?.direction, "sent");
  assert.equal(firstHop?.eventId, eventId);
  assert.deepEqual(firstHop?.idSeq, []);
  const answer = delta.eventsOf("query-result");
  assert.equal(answer.length, 1);
  assert.equal(answer[0]?.direction, "received");
  assert.equal(answer[0]?.status, "found");
  assert.equal(answer[0]?.record?.[0], String(eventId));
  assert.equal(answer[0]?.from, ring[owner]);
  assert.deepEqual(answer[0]?.idSeq, idSeq);
  // Every node on the walk saw the hop arrive; the owner sent the result.
  await members[owner]?.waitFor(
    (frame) => frame.type === "event" && frame.event.kind === "query-result",
  );
  idSeq.forEach((nodeId) => {
    const hops = members[nodeId]?.eventsOf("query-hop") ?? [];
    assert.ok(
      hops.some((hop) => hop.direction === "received" && hop.origin === "delta"),
      `node ${nodeId} saw the hop`,
    );
  });
  const sentResult = members[owner]?.eventsOf("query-result")[0];
  assert.equal(sentResult?.direction, "sent");
  assert.equal(sentResult?.to, "delta");
});

test("a browser Origin that is not allowed is refused with 403", STEP, async () => {
  assert.equal(await ControlClient.refusal(url("manager"), { origin: "http://evil.example" }), 403);
  assert.equal(await ControlClient.refusal(url("alpha"), { origin: "http://localhost:3000" }), 403);
  const port = await freePort();
  const allowing = startPeer("echo", managerPort, TEST_DATA_DIR, {
    args: [...CONTROL, "--control-origins", `http://localhost:${port},http://127.0.0.1:${port}`],
  });
  daemons.push(allowing);
  const address = await controlUrl(allowing);
  const client = await ControlClient.connect(address, { origin: `http://localhost:${port}` });
  clients.push(client);
  await client.waitFor((frame) => frame.type === "snapshot");
  assert.equal(await ControlClient.refusal(address, { origin: "http://evil.example" }), 403);
});

test("with a token set, a client without it gets 401", STEP, async () => {
  const guarded = startPeer("foxtrot", managerPort, TEST_DATA_DIR, {
    args: CONTROL,
    env: { STORMRING_CONTROL_TOKEN: "s3cret" },
  });
  const flagged = startPeer("golf", managerPort, TEST_DATA_DIR, {
    args: [...CONTROL, "--control-token", "t0ken"],
  });
  daemons.push(guarded, flagged);
  const address = await controlUrl(guarded);
  assert.equal(await ControlClient.refusal(address), 401);
  assert.equal(await ControlClient.refusal(`${address}/?token=wrong`), 401);
  assert.equal(
    await ControlClient.refusal(address, { headers: { authorization: "Bearer nope" } }),
    401,
  );
  for (const client of [
    await ControlClient.connect(`${address}/?token=s3cret`),
    await ControlClient.connect(address, { headers: { authorization: "Bearer s3cret" } }),
  ]) {
    clients.push(client);
    const frame = await client.waitFor((each) => each.type === "snapshot");
    assert.equal(frame.type, "snapshot");
  }
  const flaggedAddress = await controlUrl(flagged);
  assert.equal(await ControlClient.refusal(flaggedAddress), 401);
  const client = await ControlClient.connect(`${flaggedAddress}/?token=t0ken`);
  clients.push(client);
  await client.waitFor((each) => each.type === "snapshot");
});
