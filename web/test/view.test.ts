import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ApiState, DaemonEvent, DaemonState, TimelineEntry } from "../src/api/types.ts";
import { appendEntries, appendState, EMPTY_LOG } from "../src/model/log.ts";
import { membersOf, viewAt, withoutCleared } from "../src/model/view.ts";
import { peerSnapshot } from "./support/fixtures.ts";

function daemon(id: string, kind: "manager" | "peer", alive = true): DaemonState {
  return {
    id,
    kind,
    pid: 1,
    alive,
    paused: false,
    connected: alive,
    remote: false,
    exitCode: null,
    signal: alive ? null : "SIGKILL",
    ended: alive ? null : "crashed",
    controlUrl: null,
    managerPort: null,
    snapshot: kind === "manager" ? { peers: [], dht: null, pending: null } : null,
    lastOutput: [],
  };
}

let seq = 0;
function at(daemonId: string, event: DaemonEvent): TimelineEntry {
  seq += 1;
  return { seq, daemonId, at: seq, clock: seq, event };
}

const peerState = (name: string, id: number | null, recordsHeld: number): DaemonEvent => ({
  kind: "state",
  daemon: "peer",
  state: peerSnapshot(name, { id, recordsHeld }),
});

const managerState = (
  peers: [string, "Free" | "Leader" | "InDHT"][],
  members: string[] | null,
): DaemonEvent => ({
  kind: "state",
  daemon: "manager",
  state: {
    peers: peers.map(([name, state]) => ({ name, ip: "127.0.0.1", mport: 1, pport: 2, state })),
    dht:
      members === null
        ? null
        : {
            leader: members[0] ?? "",
            members,
            year: "1996",
            ringSize: members.length,
            phase: "ready",
          },
    pending: null,
  },
});

describe("viewAt", () => {
  const api: ApiState = {
    daemons: [daemon("manager", "manager"), daemon("peer-1", "peer"), daemon("peer-2", "peer")],
    dht: null,
  };
  const entries = [
    at("peer-1", peerState("alpha", null, 0)),
    at("peer-2", peerState("beta", null, 0)),
    at(
      "manager",
      managerState(
        [
          ["alpha", "Free"],
          ["beta", "Free"],
        ],
        null,
      ),
    ),
    at("peer-1", { kind: "store-progress", stored: 5, total: 10 }),
    at("peer-1", peerState("alpha", 0, 6)),
    at("peer-2", peerState("beta", 1, 4)),
    at(
      "manager",
      managerState(
        [
          ["alpha", "Leader"],
          ["beta", "InDHT"],
        ],
        ["alpha", "beta"],
      ),
    ),
  ];
  const log = appendEntries(appendState(EMPTY_LOG, api), entries);

  it("shows each daemon as the log had it at the cursor", () => {
    const early = viewAt(log, 3);
    assert.deepEqual(
      early.daemons.map(({ name, status }) => [name, status]),
      [
        [null, "unregistered"],
        ["alpha", "Free"],
        ["beta", "Free"],
      ],
    );
    assert.equal(early.dht, null);
    assert.equal(early.progress, null);
    const late = viewAt(log, 7);
    assert.deepEqual(
      late.daemons.map(({ status }) => status),
      ["unregistered", "Leader", "InDHT"],
    );
    assert.deepEqual(membersOf(late), [
      { id: 0, name: "alpha", records: 6, copies: 0 },
      { id: 1, name: "beta", records: 4, copies: 0 },
    ]);
  });

  it("carries the last store progress and the year's record count", () => {
    const view = viewAt(log, 5);
    assert.deepEqual(view.progress, { daemonId: "peer-1", stored: 5, total: 10 });
    assert.equal(view.yearRecords, 10);
  });

  it("takes a restarted peer's fresh snapshot from the API state, not its old process's events", () => {
    const restarted = appendState(log, {
      ...api,
      daemons: [
        api.daemons[0],
        { ...daemon("peer-1", "peer"), snapshot: peerSnapshot(null) },
        api.daemons[2],
      ] as DaemonState[],
    });
    const view = viewAt(restarted, 7);
    assert.equal(view.daemons[1]?.name, null);
    assert.equal(view.daemons[1]?.status, "unregistered");
    assert.equal(viewAt(restarted, 6).daemons[1]?.name, "alpha", "before the restart it was alpha");
  });

  it("shows a peer whose process has exited as dead, whatever the manager says", () => {
    const died = appendState(log, {
      ...api,
      daemons: [api.daemons[0], daemon("peer-1", "peer", false), api.daemons[2]] as DaemonState[],
    });
    const view = viewAt(died, 7);
    assert.equal(view.daemons[1]?.status, "dead");
    assert.equal(view.daemons[1]?.connected, false);
    assert.equal(view.daemons[1]?.ended, "crashed");
    assert.equal(view.daemons[1]?.signal, "SIGKILL");
  });
});

describe("viewAt before the first API state the page holds (the past as it was)", () => {
  // The page was opened late: its first API state, marked after the fifth entry, lists
  // three peers, of which peer-3 started only after it and peer-1 has crashed since.
  const now: ApiState = {
    daemons: [
      daemon("manager", "manager"),
      { ...daemon("peer-1", "peer", false), snapshot: peerSnapshot("alpha", { id: 0 }) },
      { ...daemon("peer-2", "peer"), snapshot: peerSnapshot("beta", { id: 1 }) },
      daemon("peer-3", "peer"),
    ],
    dht: null,
  };
  const early = [
    at("peer-1", { kind: "console", line: "started" }),
    at("peer-2", { kind: "console", line: "started" }),
    at("peer-1", peerState("alpha", null, 0)),
    at("manager", managerState([["alpha", "Free"]], null)),
    at("peer-2", { kind: "console", line: "waiting" }),
  ];
  const first = early[0]?.seq ?? 0;
  const log = appendEntries(appendState(appendEntries(EMPTY_LOG, early), now), [
    at("peer-1", { kind: "console", line: "still running" }),
  ]);

  it("draws only the daemons that had started, the manager always", () => {
    assert.deepEqual(
      viewAt(log, first - 1).daemons.map((each) => each.id),
      ["manager"],
    );
    assert.deepEqual(
      viewAt(log, first + 1).daemons.map((each) => each.id),
      ["manager", "peer-1", "peer-2"],
    );
  });

  it("takes registration from the log, not from the later state", () => {
    const view = viewAt(log, first + 3);
    assert.deepEqual(
      view.daemons.map(({ id, name, status }) => [id, name, status]),
      [
        ["manager", null, "unregistered"],
        ["peer-1", "alpha", "Free"],
        ["peer-2", null, "unregistered"],
      ],
    );
  });

  it("shows a peer with events still to come as running, though it crashed by then", () => {
    const peer1 = viewAt(log, first + 3).daemons.find((each) => each.id === "peer-1");
    assert.equal(peer1?.alive, true);
    assert.equal(peer1?.ended, null);
  });
});

describe("withoutCleared", () => {
  it("takes the departed peers cleared off the view, and only while departed", () => {
    const view = viewAt(
      appendState(EMPTY_LOG, {
        daemons: [
          daemon("manager", "manager"),
          daemon("peer-1", "peer", false),
          daemon("peer-2", "peer"),
        ],
        dht: null,
      }),
      0,
    );
    const cleared = new Set(["peer-1", "peer-2"]);
    assert.deepEqual(
      withoutCleared(view, cleared).daemons.map((each) => each.id),
      ["manager", "peer-2"],
    );
    assert.equal(withoutCleared(view, new Set()), view);
  });
});

describe("a peer that exited cleanly", () => {
  it("is gone (it deregistered), not dead as after a crash", () => {
    const exited = { ...daemon("peer-1", "peer", false), signal: null, ended: "exited" as const };
    const view = viewAt(appendState(EMPTY_LOG, { daemons: [exited], dht: null }), 0);
    assert.equal(view.daemons[0]?.status, "gone");
  });
});
