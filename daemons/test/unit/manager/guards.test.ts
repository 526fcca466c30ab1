import assert from "node:assert/strict";
import { test } from "node:test";
import { describeState, handleRequest, type ManagerState } from "../../../src/manager/machine.ts";
import type { ManagerRequestBody } from "../../../src/protocol/messages.ts";
import {
  PEER_IP,
  refuse,
  registered,
  registeredSource,
  request,
  SIX,
  STRANGER,
  succeed,
  withReadyDht,
} from "./helpers.ts";

/** One request of every type but register, each naming `name`. */
function namedRequests(name: string): ManagerRequestBody[] {
  return [
    { type: "setup-dht", name, n: 3, year: "1996" },
    { type: "dht-complete", name },
    { type: "query-dht", name },
    { type: "leave-dht", name },
    { type: "join-dht", name },
    { type: "dht-rebuilt", name, leader: name },
    { type: "deregister", name },
    { type: "teardown-dht", name },
    { type: "teardown-complete", name },
  ];
}

const newcomer = {
  type: "register",
  name: "zoe",
  ip: PEER_IP,
  mport: 7_000,
  pport: 7_001,
} as const;

interface Wait {
  state: ManagerState;
  awaited: ManagerRequestBody["type"];
  busyText: string;
  /** The awaited message from a peer that may not send it, and the failure it gets. */
  wrongSender: ManagerRequestBody;
  wrongSenderReason: "NOT_LEADER" | "NOT_CHURNING";
}

function waits(): Record<string, Wait> {
  const ready = withReadyDht(SIX, 5);
  return {
    setup: {
      state: succeed(registered(SIX), { type: "setup-dht", name: "alice", n: 5, year: "1996" })
        .state,
      awaited: "dht-complete",
      busyText: "busy: waiting for dht-complete from alice while the DHT is being built",
      wrongSender: { type: "dht-complete", name: "bob" },
      wrongSenderReason: "NOT_LEADER",
    },
    leave: {
      state: succeed(ready, { type: "leave-dht", name: "carol" }).state,
      awaited: "dht-rebuilt",
      busyText: "busy: waiting for dht-rebuilt from carol while a member leaves the DHT",
      wrongSender: { type: "dht-rebuilt", name: "bob", leader: "dave" },
      wrongSenderReason: "NOT_CHURNING",
    },
    join: {
      state: succeed(ready, { type: "join-dht", name: "frank" }).state,
      awaited: "dht-rebuilt",
      busyText: "busy: waiting for dht-rebuilt from frank while a peer joins the DHT",
      wrongSender: { type: "dht-rebuilt", name: "alice", leader: "alice" },
      wrongSenderReason: "NOT_CHURNING",
    },
    teardown: {
      state: succeed(ready, { type: "teardown-dht", name: "alice" }).state,
      awaited: "teardown-complete",
      busyText: "busy: waiting for teardown-complete from alice while the DHT is being torn down",
      wrongSender: { type: "teardown-complete", name: "bob" },
      wrongSenderReason: "NOT_LEADER",
    },
  };
}

for (const [kind, wait] of Object.entries(waits())) {
  test(`while waiting for a ${kind} to complete, every other request is BUSY`, () => {
    const others = [newcomer, ...SIX.flatMap(namedRequests), ...namedRequests("zoe")].filter(
      (body) => body.type !== wait.awaited,
    );
    for (const body of others) {
      assert.equal(refuse(wait.state, body, "BUSY"), wait.busyText, JSON.stringify(body));
    }
  });

  test(`while waiting for a ${kind}, the awaited message from another peer is refused normally`, () => {
    refuse(wait.state, wait.wrongSender, wait.wrongSenderReason);
    refuse(wait.state, { ...wait.wrongSender, name: "zoe" }, "NOT_REGISTERED");
  });
}

test("a request naming a registered peer from another address is NOT_YOURS", () => {
  const state = withReadyDht(SIX, 5);
  const registeredAt = registeredSource(state, "bob");
  assert.ok(registeredAt);
  const elsewhere = [
    { ip: PEER_IP, port: registeredAt.port + 1 },
    { ip: "10.0.0.2", port: registeredAt.port },
    STRANGER,
  ];
  for (const from of elsewhere) {
    for (const body of namedRequests("bob")) {
      const text = refuse(state, body, "NOT_YOURS", { from });
      assert.equal(
        text,
        `requests naming "bob" are only accepted from the address it registered from, not ${from.ip}:${from.port}`,
      );
    }
  }
});

test("NOT_YOURS comes before the command's own rules, so nothing about the peer leaks", () => {
  // frank is Free and no leader: from his own address these fail for those reasons.
  const state = withReadyDht(SIX, 5);
  refuse(state, { type: "teardown-dht", name: "frank" }, "NOT_LEADER");
  refuse(state, { type: "teardown-dht", name: "frank" }, "NOT_YOURS", { from: STRANGER });
  refuse(state, { type: "deregister", name: "bob" }, "NOT_YOURS", { from: STRANGER });
});

test("a request from the registered address as an IPv4-mapped IPv6 source is accepted", () => {
  const state = withReadyDht(SIX, 5);
  const from = { ip: `::ffff:${PEER_IP}`, port: registeredSource(state, "frank")?.port ?? 0 };
  succeed(state, { type: "query-dht", name: "frank" }, { from });
});

test("a request naming an unregistered peer is NOT_REGISTERED", () => {
  const state = withReadyDht(SIX, 5);
  for (const body of namedRequests("zoe")) {
    assert.equal(refuse(state, body, "NOT_REGISTERED"), 'no peer named "zoe" is registered');
  }
});

test("an odd name is quoted and cut short in the reply text", () => {
  const text = refuse(
    registered(SIX),
    { type: "query-dht", name: "x\n".repeat(30) },
    "NOT_REGISTERED",
  );
  assert.ok(!text.includes("\n"));
  assert.ok(text.length < 120);
});

test("handleRequest never mutates its input state", () => {
  // send() checks this after every request of every test; here it is spelled out once.
  const setup = { type: "setup-dht", name: "alice", n: 5, year: "1996" } as const;
  const building = succeed(registered(SIX), setup).state;
  const before = structuredClone(building);
  const from = registeredSource(building, "alice") ?? STRANGER;
  const dhtComplete = request({ type: "dht-complete", name: "alice" });
  const result = handleRequest(building, dhtComplete, from, () => 0);
  assert.equal(result.reply.status, "SUCCESS");
  assert.equal(result.state.dht?.phase, "ready");
  assert.deepEqual(building, before);
  assert.equal(building.dht?.phase, "building");
});

test("describeState is a plain JSON-able snapshot in registration order", () => {
  const state = succeed(withReadyDht(SIX, 3), { type: "leave-dht", name: "bob" }).state;
  const snapshot = describeState(state);
  assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  assert.deepEqual(
    snapshot.peers.map((peer) => [peer.name, peer.state]),
    [
      ["alice", "Leader"],
      ["bob", "InDHT"],
      ["carol", "InDHT"],
      ["dave", "Free"],
      ["erin", "Free"],
      ["frank", "Free"],
    ],
  );
  assert.deepEqual(snapshot.peers[1], {
    name: "bob",
    ip: PEER_IP,
    mport: 5_002,
    pport: 5_003,
    state: "InDHT",
  });
  assert.deepEqual(snapshot.dht, {
    leader: "alice",
    members: ["alice", "bob", "carol"],
    year: "1996",
    ringSize: 3,
    phase: "rebuilding",
  });
  assert.deepEqual(snapshot.pending, { kind: "leave", peer: "bob" });
});
