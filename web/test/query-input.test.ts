import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type QueryConditions, readEventId, whyQueryCannotRun } from "../src/model/query-input.ts";
import type { View } from "../src/model/view.ts";
import { peerAt } from "./support/fixtures.ts";

const members = ["alpha", "beta", "gamma"];
const querier = peerAt("peer-4", "delta", "Free");
const dht = { leader: "alpha", members, year: "1996", ringSize: 3, phase: "ready" as const };
const view: View = {
  cursor: 0,
  daemons: [querier],
  manager: { peers: [], dht, pending: null },
  dht,
  progress: null,
  yearRecords: null,
};
const ready: QueryConditions = {
  peer: querier,
  view,
  notNow: null,
  running: false,
  input: { eventId: 5_536_849 },
};

describe("the event id field", () => {
  it("reads a whole number, trimmed", () => {
    assert.deepEqual(readEventId(" 5536849 "), { eventId: 5_536_849 });
    assert.deepEqual(readEventId("  "), { empty: true });
  });

  it("refuses anything but digits, and what is too large to be exact", () => {
    assert.deepEqual(readEventId("55e3"), { error: "Digits only: an event id is a whole number." });
    assert.deepEqual(readEventId("-1"), { error: "Digits only: an event id is a whole number." });
    assert.deepEqual(readEventId("9007199254740993"), { error: "That event id is too large." });
  });
});

describe("whyQueryCannotRun", () => {
  it("lets a Free peer query a ready DHT for a well-formed id", () => {
    assert.equal(whyQueryCannotRun(ready), null);
  });

  it("says the first thing in the way", () => {
    assert.equal(whyQueryCannotRun({ ...ready, running: true }), "a query is running");
    assert.equal(
      whyQueryCannotRun({ ...ready, peer: null }),
      "pick a Free peer in the Peers panel first",
    );
    assert.equal(
      whyQueryCannotRun({ ...ready, notNow: "viewing the past: go live first" }),
      "viewing the past: go live first",
    );
    assert.equal(
      whyQueryCannotRun({ ...ready, view: { ...view, dht: { ...dht, phase: "building" } } }),
      "delta: no completed DHT to query",
    );
    assert.equal(whyQueryCannotRun({ ...ready, input: { empty: true } }), "enter an event id");
    assert.equal(
      whyQueryCannotRun({ ...ready, input: { error: "That event id is too large." } }),
      "the event id must be digits only",
    );
  });
});
