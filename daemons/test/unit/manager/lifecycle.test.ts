import assert from "node:assert/strict";
import { test } from "node:test";
import { initialManagerState, type ManagerState } from "../../../src/manager/machine.ts";
import type { ManagerRequestBody } from "../../../src/protocol/messages.ts";
import { registration, SIX, statesOf, succeed } from "./helpers.ts";

test("full lifecycle: register 6, setup 5, query, leave, join, teardown, deregister all", () => {
  let state: ManagerState = initialManagerState();
  const step = (body: ManagerRequestBody, random?: () => number) => {
    const result = succeed(state, body, random ? { random } : {});
    state = result.state;
    return result;
  };

  for (const [index, name] of SIX.entries()) step(registration(name, index));

  // Drawing the lowest index keeps registration order: frank, the 6th, stays outside.
  const setup = step({ type: "setup-dht", name: "alice", n: 5, year: "1996" });
  assert.deepEqual(
    setup.reply.tuples?.map((tuple) => tuple.name),
    ["alice", "bob", "carol", "dave", "erin"],
  );
  assert.equal(setup.reply.year, "1996");
  step({ type: "dht-complete", name: "alice" });
  assert.equal(state.dht?.phase, "ready");

  assert.equal(step({ type: "query-dht", name: "frank" }, () => 0.3).reply.tuple?.name, "bob");

  step({ type: "leave-dht", name: "dave" });
  step({ type: "dht-rebuilt", name: "dave", leader: "erin" });
  assert.deepEqual(state.dht?.members, ["erin", "alice", "bob", "carol"]);
  assert.equal(step({ type: "query-dht", name: "dave" }).reply.tuple?.name, "erin");

  const join = step({ type: "join-dht", name: "frank" });
  assert.equal(join.reply.tuple?.name, "erin");
  step({ type: "dht-rebuilt", name: "frank", leader: "erin" });
  assert.deepEqual(state.dht?.members, ["erin", "alice", "bob", "carol", "frank"]);
  assert.deepEqual(statesOf(state), {
    alice: "InDHT",
    bob: "InDHT",
    carol: "InDHT",
    dave: "Free",
    erin: "Leader",
    frank: "InDHT",
  });
  assert.equal(step({ type: "query-dht", name: "dave" }, () => 0.99).reply.tuple?.name, "frank");

  step({ type: "teardown-dht", name: "erin" });
  step({ type: "teardown-complete", name: "erin" });
  assert.equal(state.dht, null);
  assert.ok(Object.values(statesOf(state)).every((peerState) => peerState === "Free"));

  for (const name of SIX) step({ type: "deregister", name });
  assert.equal(state.peers.size, 0);
  assert.deepEqual(state, initialManagerState());
});
