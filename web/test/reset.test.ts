import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planReset } from "../src/model/reset.ts";
import { daemonState } from "./support/fixtures.ts";

describe("planReset", () => {
  it("resumes, tears down by the leader, deregisters the registered, restarts every local peer", () => {
    const plan = planReset({
      daemons: [
        daemonState("manager", { kind: "manager" }),
        daemonState("peer-1", { name: "alpha", state: "Leader" }),
        daemonState("peer-2", { name: "bravo", state: "InDHT", paused: true }),
        daemonState("peer-3", { name: "gamma", state: "InDHT", alive: false, ended: "crashed" }),
        daemonState("peer-4", { state: "unregistered" }),
        daemonState("remote-peer-1", { name: "delta", state: "Free", remote: true }),
      ],
      dht: {
        leader: "alpha",
        members: ["alpha", "bravo", "gamma"],
        year: "1996",
        ringSize: 3,
        phase: "ready",
      },
    });
    assert.deepEqual(plan, {
      resume: ["peer-2"],
      teardown: { daemonId: "peer-1", line: "teardown-dht alpha" },
      deregister: [
        { daemonId: "peer-1", line: "deregister alpha" },
        { daemonId: "peer-2", line: "deregister bravo" },
      ],
      restart: ["peer-1", "peer-2", "peer-3", "peer-4"],
      restartManager: null,
    });
  });

  it("starts a dead manager again, and skips the teardown when there is no leader to run it", () => {
    const plan = planReset({
      daemons: [
        daemonState("manager", { kind: "manager", alive: false, ended: "crashed" }),
        daemonState("peer-1", { name: "alpha", state: "Leader", alive: false }),
      ],
      dht: { leader: "alpha", members: ["alpha"], year: "1996", ringSize: 1, phase: "ready" },
    });
    assert.equal(plan.teardown, null);
    assert.deepEqual(plan.deregister, []);
    assert.equal(plan.restartManager, "manager");
  });
});
