import assert from "node:assert/strict";
import { test } from "node:test";
import type { ManagerState } from "../../../src/manager/machine.ts";
import {
  PEER_IP,
  refuse,
  registered,
  SIX,
  sequence,
  stateOf,
  statesOf,
  succeed,
  withReadyDht,
} from "./helpers.ts";

const setup = (name: string, n: number, year = "1996") =>
  ({ type: "setup-dht", name, n, year }) as const;

function building(names: readonly string[], n: number): ManagerState {
  return succeed(registered(names), setup(names[0] ?? "", n)).state;
}

test("setup-dht makes the caller Leader and n-1 Free peers InDHT, leader first", () => {
  const result = succeed(registered(SIX), setup("alice", 5));
  assert.deepEqual(statesOf(result.state), {
    alice: "Leader",
    bob: "InDHT",
    carol: "InDHT",
    dave: "InDHT",
    erin: "InDHT",
    frank: "Free",
  });
  assert.deepEqual(result.state.dht, {
    leader: "alice",
    members: ["alice", "bob", "carol", "dave", "erin"],
    year: "1996",
    phase: "building",
  });
  assert.deepEqual(result.state.pending, { kind: "setup", peer: "alice" });
});

test("setup-dht replies with the n tuples (name, ip, p-port), leader first, and the year", () => {
  const { reply } = succeed(registered(SIX), setup("carol", 3, "2004"));
  assert.deepEqual(reply.tuples, [
    { name: "carol", ip: PEER_IP, port: 5_005 },
    { name: "alice", ip: PEER_IP, port: 5_001 },
    { name: "bob", ip: PEER_IP, port: 5_003 },
  ]);
  assert.equal(reply.year, "2004");
});

test("setup-dht reports every change: peer states, then the DHT, then the wait", () => {
  const { changes, state } = succeed(registered(["alice", "bob", "carol"]), setup("alice", 3));
  assert.deepEqual(changes, [
    { kind: "peer-state", name: "alice", from: "Free", to: "Leader" },
    { kind: "peer-state", name: "bob", from: "Free", to: "InDHT" },
    { kind: "peer-state", name: "carol", from: "Free", to: "InDHT" },
    { kind: "dht", dht: state.dht },
    { kind: "pending", pending: { kind: "setup", peer: "alice" } },
  ]);
});

test("setup-dht picks members with the injected random source, deterministically", () => {
  const draws = () => sequence(0.99, 0.3, 0.9);
  const first = succeed(registered(SIX), setup("alice", 4), { random: draws() });
  const again = succeed(registered(SIX), setup("alice", 4), { random: draws() });
  // Partial Fisher-Yates over [bob, carol, dave, erin, frank]: 0.99 of 5 takes frank (bob
  // moves to his place), 0.3 of [carol, dave, erin, bob] takes dave, 0.9 of [carol, erin,
  // bob] takes bob.
  assert.deepEqual(first.state.dht?.members, ["alice", "frank", "dave", "bob"]);
  assert.deepEqual(again.state.dht, first.state.dht);
  assert.equal(stateOf(first.state, "carol"), "Free");
  assert.equal(stateOf(first.state, "erin"), "Free");
});

test("setup-dht draws every ordered choice of members equally often", () => {
  // One draw in the middle of each index range, for every index sequence: 5 * 4 * 3 * 2
  // sequences must give 120 different rings, each Free peer left out 24 times.
  const rings = new Set<string>();
  const leftOut = new Map<string, number>();
  for (let a = 0; a < 5; a++) {
    for (let b = 0; b < 4; b++) {
      for (let c = 0; c < 3; c++) {
        for (let d = 0; d < 2; d++) {
          const random = sequence((a + 0.5) / 5, (b + 0.5) / 4, (c + 0.5) / 3, (d + 0.5) / 2);
          const { state } = succeed(registered(SIX), setup("alice", 5), { random });
          rings.add(state.dht?.members.join(" ") ?? "");
          const free = SIX.find((name) => stateOf(state, name) === "Free") ?? "";
          leftOut.set(free, (leftOut.get(free) ?? 0) + 1);
        }
      }
    }
  }
  assert.equal(rings.size, 120);
  assert.deepEqual(Object.fromEntries(leftOut), {
    bob: 24,
    carol: 24,
    dave: 24,
    erin: 24,
    frank: 24,
  });
});

test("setup-dht refuses an unregistered caller [NOT_REGISTERED]", () => {
  const text = refuse(registered(SIX), setup("zoe", 3), "NOT_REGISTERED");
  assert.equal(text, 'no peer named "zoe" is registered');
});

test("setup-dht refuses a year that is not four digits [BAD_ARGUMENT]", () => {
  for (const year of ["96", "19960", "abcd", "199 ", ""]) {
    const text = refuse(registered(SIX), setup("alice", 3, year), "BAD_ARGUMENT");
    assert.match(text, /not four digits/);
  }
});

test("setup-dht refuses n < 3 [N_TOO_SMALL]", () => {
  for (const n of [2, 1, 0, -4]) {
    assert.match(refuse(registered(SIX), setup("alice", n), "N_TOO_SMALL"), /at least 3/);
  }
});

test("setup-dht refuses too few registered or Free peers [TOO_FEW_PEERS]", () => {
  const text = refuse(registered(["alice", "bob"]), setup("alice", 3), "TOO_FEW_PEERS");
  assert.match(
    text,
    /needs "alice" and 2 other Free peers, but only 1 other peer is Free \(2 registered\)/,
  );
  refuse(registered(SIX), setup("alice", 7), "TOO_FEW_PEERS");
});

test("setup-dht refuses while a DHT exists [DHT_EXISTS], or a member caller [NOT_FREE]", () => {
  const state = withReadyDht(SIX, 5);
  assert.match(refuse(state, setup("frank", 3), "DHT_EXISTS"), /led by "alice"/);
  assert.match(refuse(state, setup("bob", 3), "NOT_FREE"), /"bob" is not Free \(it is InDHT\)/);
  refuse(state, setup("alice", 3), "NOT_FREE");
});

test("dht-complete from the leader makes the DHT ready and ends the wait", () => {
  const state = building(SIX, 5);
  const result = succeed(state, { type: "dht-complete", name: "alice" });
  assert.equal(result.state.dht?.phase, "ready");
  assert.equal(result.state.pending, null);
  assert.deepEqual(result.state.peers, state.peers);
  assert.deepEqual(result.changes, [
    { kind: "dht", dht: result.state.dht },
    { kind: "pending", pending: null },
  ]);
});

test("dht-complete refuses anyone but the leader of a DHT being built [NOT_LEADER]", () => {
  const text = refuse(building(SIX, 5), { type: "dht-complete", name: "bob" }, "NOT_LEADER");
  assert.equal(text, '"bob" is not the leader of the DHT (the leader is "alice")');
  const ready = withReadyDht(SIX, 5);
  const again = refuse(ready, { type: "dht-complete", name: "alice" }, "NOT_LEADER");
  assert.match(again, /not being built \(it is ready\)/);
  refuse(ready, { type: "dht-complete", name: "frank" }, "NOT_LEADER");
});

test("dht-complete without a DHT [NO_DHT]", () => {
  refuse(registered(SIX), { type: "dht-complete", name: "alice" }, "NO_DHT");
});

test("query-dht gives a Free peer the tuple of a member chosen at random", () => {
  const state = withReadyDht(SIX, 5);
  const query = { type: "query-dht", name: "frank" } as const;
  const first = succeed(state, query, { random: () => 0 });
  assert.deepEqual(first.reply.tuple, { name: "alice", ip: PEER_IP, port: 5_001 });
  const last = succeed(state, query, { random: () => 0.99 });
  assert.deepEqual(last.reply.tuple, { name: "erin", ip: PEER_IP, port: 5_009 });
  assert.equal(succeed(state, query, { random: () => 0.5 }).reply.tuple?.name, "carol");
  assert.equal(first.state, state);
  assert.deepEqual(first.changes, []);
});

test("query-dht refuses without a completed DHT [NO_DHT]", () => {
  const text = refuse(registered(SIX), { type: "query-dht", name: "frank" }, "NO_DHT");
  assert.equal(text, "there is no completed DHT to query");
});

test("query-dht refuses an unregistered peer [NOT_REGISTERED] and a member [NOT_FREE]", () => {
  const state = withReadyDht(SIX, 5);
  refuse(state, { type: "query-dht", name: "zoe" }, "NOT_REGISTERED");
  assert.match(refuse(state, { type: "query-dht", name: "bob" }, "NOT_FREE"), /InDHT/);
  assert.match(refuse(state, { type: "query-dht", name: "alice" }, "NOT_FREE"), /Leader/);
});

test("deregister removes a Free peer, which can then register again", () => {
  const state = registered(SIX);
  const result = succeed(state, { type: "deregister", name: "carol" });
  assert.equal(result.state.peers.has("carol"), false);
  assert.equal(result.state.peers.size, 5);
  assert.deepEqual(result.changes, [{ kind: "peer-state", name: "carol", from: "Free", to: null }]);
  succeed(result.state, {
    type: "register",
    name: "carol",
    ip: PEER_IP,
    mport: 5_004,
    pport: 5_005,
  });
});

test("deregister refuses an unregistered peer [NOT_REGISTERED] and members [IN_DHT]", () => {
  const state = withReadyDht(SIX, 5);
  refuse(state, { type: "deregister", name: "zoe" }, "NOT_REGISTERED");
  assert.match(refuse(state, { type: "deregister", name: "alice" }, "IN_DHT"), /leader of/);
  assert.match(refuse(state, { type: "deregister", name: "bob" }, "IN_DHT"), /member of/);
});
