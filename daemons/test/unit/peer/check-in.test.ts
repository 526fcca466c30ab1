/**
 * A member's check-in: the manager's DHT decides whether the member's ring still exists;
 * an answer about an earlier membership changes nothing, and a peer taken for dead while
 * paused starts afresh.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadYear } from "../../../src/data/csv-loader.ts";
import { step } from "../../../src/peer/machine.ts";
import type { PeerState } from "../../../src/peer/state.ts";
import type { PeerTuple, Reply } from "../../../src/protocol/messages.ts";
import { TEST_DATA_DIR } from "../../support/paths.ts";
import { Simulation, TEST_CONTEXT } from "../../support/simulation.ts";

const { records } = await loadYear(TEST_DATA_DIR, "1950");
const simulation = new Simulation(new Map([["1950", records]]), Number.POSITIVE_INFINITY);
for (const [index, name] of ["ann", "bob", "cat"].entries()) {
  simulation.addPeer(name);
  simulation.type(name, `register ${name} 127.0.0.1 ${5_000 + index * 2} ${5_001 + index * 2}`);
}
simulation.type("ann", "setup-dht ann 3 1950");
const member = simulation.peer("bob").state;
const checking: PeerState = { ...member, checkedIn: member.membership };
const ring = member.membership?.tuples ?? [];

function answer(state: PeerState, reply: Partial<Reply>) {
  const full = {
    type: "reply",
    v: 1,
    from: "manager",
    sess: 1,
    id: 9,
    clock: 0,
    re: 1,
    ...reply,
  } as Reply;
  const request = { type: "check-in" as const, name: "bob" };
  return step(state, { kind: "reply", requestId: 1, request, reply: full }, TEST_CONTEXT);
}

test("the manager's ring in another order is the same ring: nothing changes", () => {
  const { state, effects } = answer(checking, { status: "SUCCESS", tuples: [...ring].reverse() });
  assert.equal(state.membership, member.membership);
  assert.deepEqual(effects, []);
});

test("no DHT with this member in it: it drops its part and says why", () => {
  const { state, effects } = answer(checking, { status: "SUCCESS" });
  assert.equal(state.membership, null);
  assert.ok(effects.some((effect) => effect.kind === "drop-table"));
  assert.ok(
    effects.some(
      (effect) => effect.kind === "print" && /has no DHT with this peer in it/.test(effect.line),
    ),
  );
});

test("an answer about an earlier membership is ignored", () => {
  const stale = {
    ...checking,
    checkedIn: { ...(member.membership as NonNullable<PeerState["membership"]>) },
  };
  const { state, effects } = answer(stale, { status: "SUCCESS", tuples: [] as PeerTuple[] });
  assert.equal(state.membership, member.membership);
  assert.deepEqual(effects, []);
});

test("taken for dead: table, sockets and registration go, with a line saying so", () => {
  const { state, effects } = answer(checking, {
    status: "FAILURE",
    reason: "NOT_REGISTERED",
    text: "dead",
  });
  assert.equal(state.registration, null);
  assert.equal(state.membership, null);
  assert.deepEqual(
    effects.map((effect) => effect.kind),
    ["drop-table", "unbind", "print"],
  );
});
