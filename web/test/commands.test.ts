import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FetchJob, ManagerSnapshot } from "../src/api/types.ts";
import { VIEWING_PAST } from "../src/model/acting.ts";
import {
  availableCommands,
  defaultRingSize,
  describeJob,
  freePeerCount,
  PEER_COMMANDS,
  registerDefaults,
  suggestName,
} from "../src/model/commands.ts";
import type { DaemonAtCursor, PeerStatus, View } from "../src/model/view.ts";
import { peerAt } from "./support/fixtures.ts";

function peer(
  id: string,
  name: string | null,
  status: PeerStatus,
  command: string | null = null,
): DaemonAtCursor {
  return peerAt(id, name, status, { command });
}

function viewOf(daemons: DaemonAtCursor[], manager: Partial<ManagerSnapshot> = {}): View {
  const registered = daemons.flatMap((daemon) =>
    daemon.name === null ||
    daemon.status === "unregistered" ||
    daemon.status === "dead" ||
    daemon.status === "gone"
      ? []
      : [
          {
            name: daemon.name,
            ip: "127.0.0.1",
            mport: 1,
            pport: 2,
            state: daemon.status,
          },
        ],
  );
  return {
    cursor: 0,
    daemons,
    manager: { peers: registered, dht: null, pending: null, ...manager },
    dht: manager.dht ?? null,
    progress: null,
    yearRecords: null,
  };
}

const ringOf = (leader: string, members: string[], phase: "ready" | "building" = "ready") => ({
  leader,
  members,
  year: "1996",
  ringSize: members.length,
  phase,
});

/** The commands enabled (null reason), in PEER_COMMANDS order. */
function enabled(daemon: DaemonAtCursor, view: View): string[] {
  const availability = availableCommands(daemon, view);
  return PEER_COMMANDS.filter((command) => availability[command] === null);
}

describe("availableCommands", () => {
  const free = ["alpha", "beta", "gamma"].map((name, i) => peer(`peer-${i + 1}`, name, "Free"));

  it("lets an unregistered peer only register", () => {
    const fresh = peer("peer-9", null, "unregistered");
    const view = viewOf([fresh]);
    assert.deepEqual(enabled(fresh, view), ["register"]);
    assert.equal(availableCommands(fresh, view).deregister, "register first");
  });

  it("lets a peer just started do nothing until the server is attached to it", () => {
    const starting = { ...peer("peer-9", null, "unregistered"), connected: false };
    const view = viewOf([starting]);
    assert.deepEqual(enabled(starting, view), []);
    assert.equal(
      availableCommands(starting, view).register,
      "not connected to the peer's control channel yet",
    );
  });

  it("lets a Free peer set up a DHT once three peers are Free, and deregister", () => {
    const [alpha] = free as [DaemonAtCursor];
    assert.deepEqual(enabled(alpha, viewOf(free)), ["setup-dht", "deregister"]);
    const two = free.slice(0, 2);
    assert.equal(
      availableCommands(alpha, viewOf(two))["setup-dht"],
      "needs at least 3 Free peers (2 now)",
    );
  });

  it("lets a Free peer query or join a ready DHT, and the leader tear it down", () => {
    const leader = peer("peer-1", "alpha", "Leader");
    const member = peer("peer-2", "beta", "InDHT");
    const outsider = peer("peer-3", "gamma", "Free");
    const view = viewOf([leader, member, outsider], {
      dht: ringOf("alpha", ["alpha", "beta", "delta"]),
    });
    assert.deepEqual(enabled(outsider, view), ["query-dht", "join-dht", "deregister"]);
    assert.deepEqual(enabled(leader, view), ["leave-dht", "teardown-dht"]);
    assert.deepEqual(enabled(member, view), ["leave-dht"]);
    assert.equal(
      availableCommands(member, view)["teardown-dht"],
      "only the leader may tear the DHT down",
    );
    assert.equal(
      availableCommands(outsider, view)["setup-dht"],
      "a DHT led by alpha already exists",
    );
  });

  it("waits while the DHT is building or the manager waits for a peer", () => {
    const outsider = peer("peer-3", "gamma", "Free");
    const building = viewOf([outsider], {
      dht: ringOf("alpha", ["alpha", "beta", "delta"], "building"),
    });
    assert.equal(availableCommands(outsider, building)["query-dht"], "no completed DHT to query");
    const pending = viewOf([outsider], {
      dht: ringOf("alpha", ["alpha", "beta", "delta"]),
      pending: { kind: "leave", peer: "beta" },
    });
    assert.equal(
      availableCommands(outsider, pending)["join-dht"],
      "the manager is waiting for beta to finish a leave",
    );
  });

  it("disables everything for a busy, dead or past peer, saying why", () => {
    const busy = peer("peer-1", "alpha", "Free", "query-dht");
    const dead = peer("peer-2", "beta", "dead");
    const view = viewOf([busy, dead, ...free]);
    for (const command of PEER_COMMANDS) {
      assert.equal(availableCommands(busy, view)[command], "busy: running query-dht");
      assert.equal(availableCommands(dead, view)[command], "the peer's process is not running");
      const [alpha] = free as [DaemonAtCursor];
      assert.equal(availableCommands(alpha, view, { notNow: VIEWING_PAST })[command], VIEWING_PAST);
      assert.equal(
        availableCommands(alpha, view, { sending: "deregister alpha" })[command],
        "busy: running deregister alpha",
      );
    }
  });
});

describe("suggestName", () => {
  it("offers the first Greek letter neither registered nor held by a peer", () => {
    assert.equal(suggestName(viewOf([])), "alpha");
    const view = viewOf([peer("peer-1", "alpha", "Free"), peer("peer-2", "gamma", "unregistered")]);
    assert.equal(suggestName(view), "beta");
    const registeredOnly = viewOf([], {
      peers: [{ name: "alpha", ip: "127.0.0.1", mport: 1, pport: 2, state: "Free" }],
    });
    assert.equal(suggestName(registeredOnly), "beta");
  });

  it("keeps to letters past omega", () => {
    const greek =
      "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega";
    const daemons = greek.split(" ").map((name, i) => peer(`peer-${i}`, name, "Free"));
    assert.equal(suggestName(viewOf(daemons)), "alphaa");
  });
});

describe("ring size and Free peers", () => {
  it("counts the Free peers and starts the ring at 5 or all of them", () => {
    const view = viewOf([
      peer("peer-1", "alpha", "Free"),
      peer("peer-2", "beta", "Leader"),
      peer("peer-3", "gamma", "Free"),
    ]);
    assert.equal(freePeerCount(view), 2);
    assert.equal(defaultRingSize(8), 5);
    assert.equal(defaultRingSize(4), 4);
    assert.equal(defaultRingSize(1), 3);
  });
});

describe("describeJob", () => {
  const job: FetchJob = {
    year: "1997",
    state: "running",
    records: 12_345,
    bytesRead: 3_100_000,
    totalBytes: null,
    error: null,
    file: null,
  };

  it("shows records and bytes while running", () => {
    assert.equal(describeJob(job), "1997: 12,345 records, 3.0 MiB read");
    assert.equal(
      describeJob({ ...job, totalBytes: 40_200_000 }),
      "1997: 12,345 records, 3.0 MiB of 38.3 MiB (7%)",
    );
  });

  it("says how it ended", () => {
    assert.equal(
      describeJob({ ...job, state: "done", records: 48_534 }),
      "1997: done: 48,534 records",
    );
    assert.equal(
      describeJob({ ...job, state: "failed", error: "HTTP 404" }),
      "1997: failed: HTTP 404",
    );
  });
});

describe("registerDefaults", () => {
  it("starts a peer beside the server on loopback, its ports asked of the server", () => {
    assert.deepEqual(registerDefaults(["10.0.0.5", "127.0.0.1"], false), {
      ip: "127.0.0.1",
      ports: null,
    });
  });

  it("starts a remote peer on its own host's address with 5001 and 5002", () => {
    assert.deepEqual(registerDefaults(["172.28.0.3", "127.0.0.1"], true), {
      ip: "172.28.0.3",
      ports: ["5001", "5002"],
    });
    assert.deepEqual(registerDefaults([], true).ip, "127.0.0.1");
  });
});
