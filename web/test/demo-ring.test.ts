import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEMO_QUERIES as ACCEPTANCE_QUERIES } from "../../daemons/demo/acceptance.ts";
import type { ApiState, DaemonState, ManagerSnapshot } from "../src/api/types.ts";
import {
  DEMO_QUERIES,
  type DemoRingPlan,
  demoYear,
  drawEventId,
  freeQueryingPeer,
  pauseAfterQuery,
  planDemoRing,
  queryingPeerOf,
} from "../src/model/demo-ring.ts";
import { HOP_STEP_MS } from "../src/model/ring-replay.ts";
import type { View } from "../src/model/view.ts";
import { daemonState, peerAt, peerSnapshot } from "./support/fixtures.ts";

function daemon(id: string, fields: Partial<DaemonState> = {}): DaemonState {
  return daemonState(id, { state: "unregistered", ...fields });
}

function stateOf(peers: DaemonState[], registered: string[] = []): ApiState {
  const snapshot: ManagerSnapshot = {
    peers: registered.map((name) => ({ name, state: "Free" })) as ManagerSnapshot["peers"],
    dht: null,
    pending: null,
  };
  return { daemons: [daemon("manager", { kind: "manager", snapshot }), ...peers], dht: null };
}

const free = (id: string, name: string) => daemon(id, { name, state: "Free" });
const plan = (state: ApiState, years = ["1990", "1996"]) =>
  planDemoRing(state, years) as DemoRingPlan;

describe("demoYear", () => {
  it("is the acceptance demo's 1996 when present, else the first year", () => {
    assert.equal(demoYear(["1950", "1996"]), "1996");
    assert.equal(demoYear(["1950", "1951"]), "1950");
    assert.equal(demoYear([]), null);
  });
});

describe("planDemoRing", () => {
  it("from no peers: starts six and registers them with free names", () => {
    const planned = plan(stateOf([]));
    assert.equal(planned.year, "1996");
    assert.equal(planned.start, 6);
    assert.deepEqual(
      planned.registrations.map((each) => [each.daemonId, each.name, each.ip]),
      ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"].map((name) => [
        null,
        name,
        "127.0.0.1",
      ]),
    );
    assert.equal(planned.leader, null, "the first one registered leads");
  });

  it("uses the Free peers and unregistered ones first, and starts only the rest", () => {
    const state = stateOf(
      [free("peer-1", "alpha"), free("peer-2", "beta"), daemon("peer-3"), daemon("peer-4")],
      ["alpha", "beta"],
    );
    const planned = plan(state);
    assert.equal(planned.start, 2);
    assert.deepEqual(
      planned.registrations.map((each) => [each.daemonId, each.name]),
      [
        ["peer-3", "gamma"],
        ["peer-4", "delta"],
        [null, "epsilon"],
        [null, "zeta"],
      ],
    );
    assert.deepEqual(planned.leader, { daemonId: "peer-1", name: "alpha" });
  });

  it("does nothing but set up when six peers are Free already", () => {
    const names = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];
    const state = stateOf(
      names.map((name, index) => free(`peer-${index + 1}`, name)),
      names,
    );
    const planned = plan(state);
    assert.equal(planned.start, 0);
    assert.deepEqual(planned.registrations, []);
  });

  it("skips dead peers and registers a remote one on its own host's address", () => {
    const remote = daemon("remote-peer-1", {
      remote: true,
      snapshot: peerSnapshot(null, { hostAddresses: ["172.28.0.3", "127.0.0.1"] }),
    });
    const planned = plan(stateOf([daemon("peer-1", { alive: false }), remote]));
    assert.equal(planned.start, 5);
    assert.deepEqual(planned.registrations[0], {
      daemonId: "remote-peer-1",
      name: "alpha",
      ip: "172.28.0.3",
      remote: true,
    });
  });

  it("takes the first year present when 1996 is not there", () => {
    assert.equal(plan(stateOf([]), ["1950", "1951"]).year, "1950");
  });

  it("says why when it cannot", () => {
    assert.deepEqual(planDemoRing(stateOf([]), []), {
      blocked: "the data folder holds no year: fetch one first",
    });
    const withDht = { ...stateOf([]), dht: {} as ApiState["dht"] };
    assert.deepEqual(planDemoRing(withDht, ["1996"]), { blocked: "a DHT already exists" });
    const noManager: ApiState = { daemons: [], dht: null };
    assert.deepEqual(planDemoRing(noManager, ["1996"]), { blocked: "the manager is not up" });
  });
});

describe("drawEventId", () => {
  const sample = { found: [10, 11, 12, 13], missing: [90, 91] };
  /** A random source returning `values` in turn. */
  const randomOf =
    (...values: number[]) =>
    () =>
      values.shift() ?? 0;

  it("draws a found id three times in four", () => {
    assert.equal(drawEventId(sample, randomOf(0.25, 0.5)), 12);
    assert.equal(drawEventId(sample, randomOf(0.99, 0)), 10);
  });

  it("draws a missing id one time in four", () => {
    assert.equal(drawEventId(sample, randomOf(0.24, 0.5)), 91);
  });

  it("falls back to what there is, or nothing", () => {
    assert.equal(drawEventId({ found: [], missing: [90] }, randomOf(0.9, 0)), 90);
    assert.equal(drawEventId({ found: [10], missing: [] }, randomOf(0.1, 0)), 10);
    assert.equal(drawEventId({ found: [], missing: [] }, randomOf(0.1, 0)), null);
  });
});

describe("the acceptance demo's queries", () => {
  it("are the ones daemons/demo/acceptance.ts plays", () => {
    assert.deepEqual(DEMO_QUERIES, ACCEPTANCE_QUERIES);
  });
});

describe("queryingPeerOf", () => {
  const view = (...daemons: View["daemons"]) => ({ daemons }) as View;
  const zeta = peerAt("peer-6", "zeta", "Free");
  const eta = peerAt("peer-7", "eta", "Free");
  const alpha = peerAt("peer-1", "alpha", "Leader");

  it("is the only Free peer when none is picked", () => {
    assert.equal(queryingPeerOf(view(alpha, zeta), null)?.id, "peer-6");
    assert.equal(queryingPeerOf(view(alpha, zeta, eta), null), null);
  });

  it("is the peer picked while it is Free; the only Free one once it is not", () => {
    assert.equal(queryingPeerOf(view(alpha, zeta, eta), "peer-7")?.id, "peer-7");
    assert.equal(queryingPeerOf(view(alpha, zeta), "peer-1")?.id, "peer-6");
    assert.equal(queryingPeerOf(view(alpha, zeta, eta), "peer-1")?.id, "peer-1");
  });

  it("for a random query, falls back to the first Free peer", () => {
    assert.equal(freeQueryingPeer(view(alpha, zeta, eta), null)?.id, "peer-6");
    assert.equal(freeQueryingPeer(view(alpha), "peer-1"), null);
  });
});

describe("pauseAfterQuery", () => {
  it("waits for the walk's replay, hop 0 and each hop, and a breath", () => {
    assert.equal(pauseAfterQuery(["x", "id-seq: 1 0 3"], 1), 4 * HOP_STEP_MS + 1_500);
    assert.equal(pauseAfterQuery(["id-seq: 2"], 2), (2 * HOP_STEP_MS) / 2 + 1_500);
  });
});
