/**
 * report-dead: a member reports its right neighbour silent; the manager marks it Dead and
 * waits for the repair (dht-rebuilt), or ends a DHT left too small or being rebuilt; a
 * dead peer's requests are refused and its name may be registered again. Waits that run out.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { expirePending } from "../../../src/manager/deadlines.ts";
import {
  refuse,
  registered,
  registration,
  SIX,
  send,
  stateOf,
  statesOf,
  succeed,
  withReadyDht,
} from "./helpers.ts";

// withReadyDht(SIX, 5): ring alice (leader), bob, carol, dave, erin; frank is Free.
const ring = () => withReadyDht(SIX, 5);
const report = (name: string, peer: string) =>
  ({ type: "report-dead", name, peer, reason: "not acknowledged for 3 s" }) as const;

test("report-dead of a right neighbour marks it Dead and waits for the repair", () => {
  const result = succeed(ring(), report("bob", "carol"));
  assert.equal(stateOf(result.state, "carol"), "Dead");
  assert.deepEqual(result.state.pending, { kind: "repair", peer: "bob", dead: "carol" });
  assert.equal(result.state.dht?.phase, "rebuilding");
  assert.equal(result.reply.repair, "rebuild");
  assert.deepEqual(
    result.reply.tuples?.map((tuple) => tuple.name),
    ["dave", "erin", "alice", "bob"],
    "the survivors from the dead one's right neighbour on",
  );
  // Everything else waits; the reporter's dht-rebuilt names the new leader. A query may
  // wait the repair out (retry), which a leave's or a join's BUSY does not offer.
  refuse(result.state, { type: "query-dht", name: "frank" }, "BUSY");
  assert.equal(send(result.state, { type: "query-dht", name: "frank" }).reply.retry, true);
  const leaving = succeed(ring(), { type: "leave-dht", name: "bob" });
  assert.equal(send(leaving.state, { type: "query-dht", name: "frank" }).reply.retry, undefined);
  refuse(result.state, { type: "dht-rebuilt", name: "bob", leader: "alice" }, "BAD_ARGUMENT");
  const repaired = succeed(result.state, { type: "dht-rebuilt", name: "bob", leader: "dave" });
  assert.deepEqual(repaired.state.dht?.members, ["dave", "erin", "alice", "bob"]);
  assert.equal(repaired.state.dht?.phase, "ready");
  assert.deepEqual(statesOf(repaired.state), {
    alice: "InDHT",
    bob: "InDHT",
    carol: "Dead",
    dave: "Leader",
    erin: "InDHT",
    frank: "Free",
  });
});

test("the leader's death hands the ring to its right neighbour", () => {
  const result = succeed(ring(), report("erin", "alice"));
  assert.equal(result.reply.tuples?.[0]?.name, "bob");
  const repaired = succeed(result.state, { type: "dht-rebuilt", name: "erin", leader: "bob" });
  assert.equal(repaired.state.dht?.leader, "bob");
  assert.equal(stateOf(repaired.state, "alice"), "Dead");
});

test("report-dead only from the left neighbour of a member [NO_DHT, NOT_IN_DHT, BAD_ARGUMENT]", () => {
  refuse(registered(SIX), report("alice", "bob"), "NO_DHT");
  refuse(ring(), report("frank", "alice"), "NOT_IN_DHT");
  const text = refuse(ring(), report("alice", "carol"), "BAD_ARGUMENT");
  assert.equal(text, '"alice" can only report its right neighbour ("bob"), not "carol"');
  refuse(ring(), report("bob", "frank"), "BAD_ARGUMENT");
});

test("with too few survivors the DHT ends at once and they are Free", () => {
  const three = withReadyDht(["alice", "bob", "carol"], 3);
  const result = succeed(three, report("alice", "bob"));
  assert.equal(result.reply.repair, "teardown");
  assert.equal(result.state.dht, null);
  assert.equal(result.state.pending, null);
  assert.deepEqual(statesOf(result.state), { alice: "Free", bob: "Dead", carol: "Free" });
});

test("a dead peer's requests are refused; its name and ports may register again", () => {
  const reported = succeed(ring(), report("bob", "carol")).state;
  const dead = succeed(reported, { type: "dht-rebuilt", name: "bob", leader: "dave" }).state;
  const text = refuse(dead, { type: "deregister", name: "carol" }, "NOT_REGISTERED");
  assert.match(text, /reported dead/);
  const again = succeed(dead, registration("carol", 2));
  assert.equal(stateOf(again.state, "carol"), "Free");
  assert.deepEqual(again.changes, [
    { kind: "peer-state", name: "carol", from: "Dead", to: "Free" },
  ]);
});

test("a wait that runs out undoes a join, and deletes the DHT of a leave", () => {
  const joining = succeed(ring(), { type: "join-dht", name: "frank" }).state;
  const expiry = expirePending(joining, 30_000);
  assert.ok(expiry);
  assert.equal(
    expiry.why,
    "no dht-rebuilt from frank within 30 s; the join is undone and the DHT is ready with its 5 members",
  );
  assert.deepEqual(expiry.state.dht, { ...ring().dht, phase: "ready" });
  assert.equal(expiry.state.pending, null);
  assert.deepEqual(statesOf(expiry.state), statesOf(ring()));
  // Nothing is waited for any more: the next command goes ahead.
  succeed(expiry.state, { type: "query-dht", name: "frank" });
  // A leave has torn the ring down by then: its tables may be gone.
  const leaving = succeed(ring(), { type: "leave-dht", name: "carol" }).state;
  const left = expirePending(leaving, 30_000);
  assert.equal(
    left?.why,
    "no dht-rebuilt from carol within 30 s; the DHT led by alice is deleted and its members are Free",
  );
  assert.equal(left?.state.dht, null);
  assert.ok(
    Object.values(statesOf(left?.state ?? ring())).every((standing) => standing === "Free"),
  );
});

test("a member dead while a leave or join rebuilds the ring ends the DHT at once", () => {
  // carol leaves: in the ring being rebuilt (dave erin alice bob) bob's right is dave.
  const leaving = succeed(ring(), { type: "leave-dht", name: "carol" }).state;
  const result = succeed(leaving, report("bob", "dave"));
  assert.equal(result.reply.repair, "teardown");
  assert.equal(result.state.dht, null);
  assert.equal(result.state.pending, null);
  assert.equal(stateOf(result.state, "dave"), "Dead");
  assert.equal(stateOf(result.state, "carol"), "Free");
  // frank joins as node 5: erin's right neighbour is frank now, or alice as before.
  const joining = succeed(ring(), { type: "join-dht", name: "frank" }).state;
  assert.equal(succeed(joining, report("erin", "frank")).state.dht, null);
  assert.equal(succeed(joining, report("erin", "alice")).state.dht, null);
  const text = refuse(joining, report("erin", "bob"), "BAD_ARGUMENT");
  assert.equal(text, '"erin" can only report its right neighbour ("alice" or "frank"), not "bob"');
  // A teardown goes on past a dead member by itself: a report then waits.
  const tearing = succeed(ring(), { type: "teardown-dht", name: "alice" }).state;
  refuse(tearing, report("bob", "carol"), "BUSY");
});

test("a setup, teardown or repair that runs out deletes the DHT; a Dead one stays Dead", () => {
  const setup = succeed(registered(SIX), { type: "setup-dht", name: "alice", n: 3, year: "1996" });
  const expiry = expirePending(setup.state, 30_000);
  assert.ok(expiry);
  assert.equal(
    expiry.why,
    "no dht-complete from alice within 30 s; the DHT led by alice is deleted and its members are Free",
  );
  assert.equal(expiry.state.dht, null);
  assert.ok(Object.values(statesOf(expiry.state)).every((standing) => standing === "Free"));
  succeed(expiry.state, { type: "setup-dht", name: "bob", n: 3, year: "1996" });
  const repairing = succeed(ring(), report("bob", "carol")).state;
  const afterRepair = expirePending(repairing, 2_000);
  assert.equal(afterRepair?.state.peers.get("carol")?.state, "Dead");
  assert.equal(expirePending(ring(), 1_000), null, "nothing to expire without a wait");
});
