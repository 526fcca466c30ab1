import assert from "node:assert/strict";
import { test } from "node:test";
import type { ManagerState } from "../../../src/manager/machine.ts";
import {
  PEER_IP,
  refuse,
  registered,
  SIX,
  stateOf,
  statesOf,
  succeed,
  withReadyDht,
} from "./helpers.ts";

// withReadyDht(SIX, 5): ring alice (leader), bob, carol, dave, erin; frank is Free.
const ring = () => withReadyDht(SIX, 5);

const leave = (name: string) => ({ type: "leave-dht", name }) as const;
const join = (name: string) => ({ type: "join-dht", name }) as const;
const rebuilt = (name: string, leader: string) => ({ type: "dht-rebuilt", name, leader }) as const;

function leaveAndRebuild(state: ManagerState, name: string, leader: string): ManagerState {
  return succeed(succeed(state, leave(name)).state, rebuilt(name, leader)).state;
}

test("leave-dht lets a member leave: the DHT rebuilds and the manager waits for it", () => {
  const state = ring();
  const result = succeed(state, leave("carol"));
  assert.deepEqual(result.state.dht, { ...state.dht, phase: "rebuilding" });
  assert.deepEqual(result.state.pending, { kind: "leave", peer: "carol" });
  assert.deepEqual(result.state.peers, state.peers);
  assert.deepEqual(result.changes, [
    { kind: "dht", dht: result.state.dht },
    { kind: "pending", pending: { kind: "leave", peer: "carol" } },
  ]);
});

test("leave-dht refuses without a DHT [NO_DHT] or from a non-member [NOT_IN_DHT]", () => {
  refuse(registered(SIX), leave("alice"), "NO_DHT");
  const text = refuse(ring(), leave("frank"), "NOT_IN_DHT");
  assert.equal(text, 'peer "frank" is not a member of the DHT');
  refuse(ring(), leave("zoe"), "NOT_REGISTERED");
});

test("leave-dht refuses the last member and points to teardown-dht [LAST_MEMBER]", () => {
  const three = withReadyDht(["alice", "bob", "carol"], 3);
  const one = leaveAndRebuild(leaveAndRebuild(three, "bob", "carol"), "alice", "carol");
  assert.deepEqual(one.dht?.members, ["carol"]);
  assert.match(refuse(one, leave("carol"), "LAST_MEMBER"), /use teardown-dht/);
});

test("dht-rebuilt after a leave: the ring restarts at the leaver's right neighbour", () => {
  const leaving = succeed(ring(), leave("carol")).state;
  const result = succeed(leaving, rebuilt("carol", "dave"));
  assert.deepEqual(result.state.dht, {
    leader: "dave",
    members: ["dave", "erin", "alice", "bob"],
    year: "1996",
    phase: "ready",
  });
  assert.equal(result.state.pending, null);
  assert.deepEqual(statesOf(result.state), {
    alice: "InDHT",
    bob: "InDHT",
    carol: "Free",
    dave: "Leader",
    erin: "InDHT",
    frank: "Free",
  });
  assert.deepEqual(result.changes, [
    { kind: "peer-state", name: "carol", from: "InDHT", to: "Free" },
    { kind: "peer-state", name: "alice", from: "Leader", to: "InDHT" },
    { kind: "peer-state", name: "dave", from: "InDHT", to: "Leader" },
    { kind: "dht", dht: result.state.dht },
    { kind: "pending", pending: null },
  ]);
});

test("dht-rebuilt after the leader leaves: its right neighbour leads", () => {
  const state = leaveAndRebuild(ring(), "alice", "bob");
  assert.deepEqual(state.dht?.members, ["bob", "carol", "dave", "erin"]);
  assert.equal(state.dht?.leader, "bob");
  assert.equal(stateOf(state, "alice"), "Free");
  assert.equal(stateOf(state, "bob"), "Leader");
});

test("dht-rebuilt after the leader's left neighbour leaves: the leader stays", () => {
  const leaving = succeed(ring(), leave("erin")).state;
  const result = succeed(leaving, rebuilt("erin", "alice"));
  assert.deepEqual(result.state.dht?.members, ["alice", "bob", "carol", "dave"]);
  assert.equal(stateOf(result.state, "alice"), "Leader");
  assert.deepEqual(result.changes.slice(0, 1), [
    { kind: "peer-state", name: "erin", from: "InDHT", to: "Free" },
  ]);
  assert.equal(result.changes.length, 3);
});

test("join-dht gives a Free peer the leader's tuple and waits for the rebuild", () => {
  const state = ring();
  const result = succeed(state, join("frank"));
  assert.deepEqual(result.reply.tuple, { name: "alice", ip: PEER_IP, port: 5_001 });
  assert.deepEqual(result.state.dht, { ...state.dht, phase: "rebuilding" });
  assert.deepEqual(result.state.pending, { kind: "join", peer: "frank" });
  assert.equal(stateOf(result.state, "frank"), "Free");
});

test("join-dht refuses without a DHT [NO_DHT] or from a member [NOT_FREE]", () => {
  refuse(registered(SIX), join("frank"), "NO_DHT");
  assert.match(refuse(ring(), join("bob"), "NOT_FREE"), /already in the DHT/);
  refuse(ring(), join("alice"), "NOT_FREE");
});

test("dht-rebuilt after a join: the joiner is last and the leader stays", () => {
  const joining = succeed(ring(), join("frank")).state;
  const result = succeed(joining, rebuilt("frank", "alice"));
  assert.deepEqual(result.state.dht, {
    leader: "alice",
    members: ["alice", "bob", "carol", "dave", "erin", "frank"],
    year: "1996",
    phase: "ready",
  });
  assert.equal(result.state.pending, null);
  assert.equal(stateOf(result.state, "frank"), "InDHT");
  assert.equal(stateOf(result.state, "alice"), "Leader");
  assert.deepEqual(result.changes[0], {
    kind: "peer-state",
    name: "frank",
    from: "Free",
    to: "InDHT",
  });
});

test("dht-rebuilt refuses a peer that started no leave or join [NOT_CHURNING]", () => {
  refuse(registered(SIX), rebuilt("alice", "alice"), "NOT_CHURNING");
  const text = refuse(ring(), rebuilt("carol", "dave"), "NOT_CHURNING");
  assert.equal(text, '"carol" has not started a leave, join or repair');
  const leaving = succeed(ring(), leave("carol")).state;
  refuse(leaving, rebuilt("bob", "dave"), "NOT_CHURNING");
  const joining = succeed(ring(), join("frank")).state;
  refuse(joining, rebuilt("alice", "alice"), "NOT_CHURNING");
});

test("dht-rebuilt refuses a new leader that does not lead the rebuilt ring [BAD_ARGUMENT]", () => {
  const leaving = succeed(ring(), leave("carol")).state;
  for (const leader of ["alice", "erin", "carol", "frank", "zoe"]) {
    const text = refuse(leaving, rebuilt("carol", leader), "BAD_ARGUMENT");
    assert.equal(
      text,
      `after "carol" leaves, its right neighbour "dave" leads the ring, not "${leader}"`,
    );
  }
  const joining = succeed(ring(), join("frank")).state;
  for (const leader of ["frank", "bob"]) {
    const text = refuse(joining, rebuilt("frank", leader), "BAD_ARGUMENT");
    assert.equal(text, `a join keeps "alice" as the leader, not "${leader}"`);
  }
});

test("teardown-dht from the leader waits for teardown-complete", () => {
  const state = ring();
  const result = succeed(state, { type: "teardown-dht", name: "alice" });
  assert.deepEqual(result.state.dht, { ...state.dht, phase: "tearing-down" });
  assert.deepEqual(result.state.pending, { kind: "teardown", peer: "alice" });
  assert.deepEqual(result.state.peers, state.peers);
});

test("teardown-dht refuses without a DHT [NO_DHT] and from a non-leader [NOT_LEADER]", () => {
  refuse(registered(SIX), { type: "teardown-dht", name: "alice" }, "NO_DHT");
  const text = refuse(ring(), { type: "teardown-dht", name: "bob" }, "NOT_LEADER");
  assert.equal(text, '"bob" is not the leader of the DHT (the leader is "alice")');
  refuse(ring(), { type: "teardown-dht", name: "frank" }, "NOT_LEADER");
});

test("teardown-complete frees every member and removes the DHT", () => {
  const tearing = succeed(ring(), { type: "teardown-dht", name: "alice" }).state;
  const result = succeed(tearing, { type: "teardown-complete", name: "alice" });
  assert.equal(result.state.dht, null);
  assert.equal(result.state.pending, null);
  assert.ok(SIX.every((name) => stateOf(result.state, name) === "Free"));
  assert.deepEqual(result.changes, [
    { kind: "peer-state", name: "alice", from: "Leader", to: "Free" },
    { kind: "peer-state", name: "bob", from: "InDHT", to: "Free" },
    { kind: "peer-state", name: "carol", from: "InDHT", to: "Free" },
    { kind: "peer-state", name: "dave", from: "InDHT", to: "Free" },
    { kind: "peer-state", name: "erin", from: "InDHT", to: "Free" },
    { kind: "dht", dht: null },
    { kind: "pending", pending: null },
  ]);
});

test("teardown-complete refuses without a DHT [NO_DHT] or teardown by that leader [NOT_LEADER]", () => {
  refuse(registered(SIX), { type: "teardown-complete", name: "alice" }, "NO_DHT");
  const tearing = succeed(ring(), { type: "teardown-dht", name: "alice" }).state;
  refuse(tearing, { type: "teardown-complete", name: "bob" }, "NOT_LEADER");
  const text = refuse(ring(), { type: "teardown-complete", name: "alice" }, "NOT_LEADER");
  assert.match(text, /no teardown is in progress; send teardown-dht first/);
});
