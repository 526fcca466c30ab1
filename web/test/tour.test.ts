import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ApiState } from "../src/api/types.ts";
import { nextMove, previousMove, TOUR_STEPS, tourCommand } from "../src/model/tour.ts";
import { daemonState } from "./support/fixtures.ts";

const NAMES = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];

/** Six registered peers (registry in NAMES order), `members` in a DHT if given. */
function stateWith(
  members: string[] | null,
  free = NAMES.filter((name) => !members?.includes(name)),
): ApiState {
  const manager = daemonState("manager", {
    kind: "manager",
    snapshot: {
      peers: NAMES.map((name) => ({
        name,
        ip: "127.0.0.1",
        mport: 1,
        pport: 2,
        state: "Free" as const,
      })),
      dht: null,
      pending: null,
    },
  });
  const peers = NAMES.map((name, index) =>
    daemonState(`peer-${index + 1}`, {
      name,
      state: free.includes(name) ? "Free" : name === members?.[0] ? "Leader" : "InDHT",
    }),
  );
  const dht =
    members === null
      ? null
      : {
          leader: members[0] ?? "",
          members,
          year: "1996",
          ringSize: members.length,
          phase: "ready" as const,
        };
  return { daemons: [manager, ...peers], dht };
}

describe("tourCommand", () => {
  const years = ["1995", "1996"];
  const ring = ["alpha", "beta", "gamma", "delta", "epsilon"];

  it("runs the acceptance demo's commands on the peers it names", () => {
    const none = { outsider: null, leaver: null };
    assert.deepEqual(tourCommand(1, stateWith(null), years, none), {
      kind: "command",
      daemonId: "peer-1",
      line: "setup-dht alpha 5 1996",
    });
    assert.deepEqual(tourCommand(2, stateWith(ring), years, none), {
      kind: "command",
      daemonId: "peer-6",
      line: "query-dht zeta 5536849",
    });
    assert.equal(
      (
        tourCommand(3, stateWith(ring), years, { outsider: "zeta", leaver: null }) as {
          line: string;
        }
      ).line,
      "query-dht zeta 55770111",
    );
    assert.deepEqual(tourCommand(4, stateWith(ring), years, { outsider: "zeta", leaver: null }), {
      kind: "command",
      daemonId: "peer-3",
      line: "leave-dht gamma",
    });
    const afterLeave = stateWith(["delta", "epsilon", "alpha", "beta"]);
    assert.deepEqual(tourCommand(5, afterLeave, years, { outsider: "zeta", leaver: "gamma" }), {
      kind: "command",
      daemonId: "peer-6",
      line: "join-dht zeta",
    });
    assert.deepEqual(tourCommand(6, afterLeave, years, { outsider: "zeta", leaver: "gamma" }), {
      kind: "command",
      daemonId: "peer-4",
      line: "teardown-dht delta",
    });
  });

  it("says why a step cannot run", () => {
    const none = { outsider: null, leaver: null };
    assert.deepEqual(tourCommand(1, stateWith(ring), years, none), {
      blocked: "a DHT exists already",
    });
    assert.match(
      (tourCommand(4, stateWith(null), years, none) as { blocked: string }).blocked,
      /no running peer/,
    );
    assert.ok("blocked" in tourCommand(TOUR_STEPS.length, stateWith(null), years, none));
  });
});

describe("Next and Previous", () => {
  it("runs a new step at the frontier, and shows the ones run already from the log", () => {
    assert.deepEqual(nextMove({ ran: [], shown: -1 }), { kind: "run", index: 0 });
    const ran = [
      { startSeq: 0, endSeq: 40 },
      { startSeq: 40, endSeq: 90 },
    ];
    assert.deepEqual(nextMove({ ran, shown: 1 }), { kind: "run", index: 2 });
    assert.deepEqual(previousMove({ ran, shown: 1 }), { kind: "show", index: 0, seq: 40 });
    assert.deepEqual(previousMove({ ran, shown: 0 }), { kind: "show", index: -1, seq: 0 });
    assert.deepEqual(previousMove({ ran, shown: -1 }), { kind: "none" });
    assert.deepEqual(nextMove({ ran, shown: 0 }), { kind: "show", index: 1, seq: 90 });
    const all = TOUR_STEPS.map((_, index) => ({ startSeq: index, endSeq: index + 1 }));
    assert.deepEqual(nextMove({ ran: all, shown: TOUR_STEPS.length - 1 }), { kind: "none" });
  });
});
