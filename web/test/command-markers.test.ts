import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ApiState, DaemonEvent, DaemonState, TimelineEntry } from "../src/api/types.ts";
import { adjacentMarker, commandMarkers, markerOffset } from "../src/model/command-markers.ts";
import type { EventLog } from "../src/model/log.ts";
import { daemonState } from "./support/fixtures.ts";
import { walkOf } from "./support/walks.ts";

function sent(seq: number, messageType: string, from: string, summary: string): TimelineEntry {
  const event: DaemonEvent = {
    kind: "message",
    direction: "sent",
    messageType,
    from,
    to: "manager",
    summary,
  };
  return { seq, daemonId: `peer-${from}`, at: seq, clock: seq, event };
}

/** The same datagram sent again (a timeout): no new command. */
function resent(entry: TimelineEntry, seq: number): TimelineEntry {
  return { ...entry, seq, event: { ...entry.event, retransmission: true } as DaemonEvent };
}

const SETUP = sent(10, "setup-dht", "alpha", "setup-dht alpha 5 1996");
const QUERY = sent(20, "query-dht", "zeta", "query-dht zeta");

const stateWith = (...daemons: DaemonState[]): ApiState => ({ daemons, dht: null });

const LOG: EventLog = {
  entries: [
    sent(3, "register", "alpha", "register alpha 127.0.0.1 5001 5002"),
    SETUP,
    resent(SETUP, 11),
    QUERY,
    resent(QUERY, 21),
    sent(40, "leave-dht", "gamma", "leave-dht gamma"),
    sent(50, "report-dead", "beta", "report-dead beta delta (silent)"),
    sent(60, "join-dht", "gamma", "join-dht gamma"),
    sent(70, "teardown-dht", "beta", "teardown-dht beta"),
  ],
  states: [
    { afterSeq: 0, state: stateWith(daemonState("peer-4", {})) },
    {
      afterSeq: 45,
      state: stateWith(
        daemonState("peer-4", { name: "delta", alive: false, ended: "crashed", signal: "SIGKILL" }),
      ),
    },
    {
      afterSeq: 47,
      state: stateWith(
        daemonState("peer-4", { alive: false, ended: "crashed", signal: "SIGKILL" }),
      ),
    },
  ],
};
const QUERIES = [walkOf("zeta#1", ["zeta", "gamma"], null, { startSeq: 25, eventId: 5536849 })];

describe("commandMarkers", () => {
  const markers = commandMarkers(LOG, QUERIES);

  it("marks each command and fault once, in order, not registrations or resends", () => {
    assert.deepEqual(
      markers.map((marker) => [marker.seq, marker.kind, marker.label]),
      [
        [10, "setup", "setup-dht alpha 5 1996"],
        [20, "query", "query-dht zeta 5536849"],
        [40, "leave", "leave-dht gamma"],
        [45, "fault", "peer-4 (delta) crashed (SIGKILL)"],
        [50, "fault", "report-dead beta delta (silent)"],
        [60, "join", "join-dht gamma"],
        [70, "teardown", "teardown-dht beta"],
      ],
    );
  });

  it("names the walk a query started", () => {
    assert.equal(markers[1]?.queryKey, "zeta#1");
    assert.equal(markers[0]?.queryKey, null);
  });

  it("leaves a query whose walk has not shown up without a key", () => {
    assert.equal(commandMarkers(LOG, [])[1]?.label, "query-dht zeta");
    assert.equal(commandMarkers(LOG, [])[1]?.queryKey, null);
  });
});

describe("adjacentMarker", () => {
  const markers = commandMarkers(LOG, QUERIES);

  it("finds the next after the cursor and the previous before it", () => {
    assert.equal(adjacentMarker(markers, 0, 1)?.seq, 10);
    assert.equal(adjacentMarker(markers, 10, 1)?.seq, 20);
    assert.equal(adjacentMarker(markers, 20, -1)?.seq, 10);
    assert.equal(adjacentMarker(markers, 100, -1)?.seq, 70);
  });

  it("finds none past either end", () => {
    assert.equal(adjacentMarker(markers, 70, 1), null);
    assert.equal(adjacentMarker(markers, 10, -1), null);
  });
});

describe("markerOffset", () => {
  it("places a seq along the line between its ends", () => {
    assert.equal(markerOffset(0, 0, 100), 0);
    assert.equal(markerOffset(25, 0, 100), 0.25);
    assert.equal(markerOffset(150, 0, 100), 1);
    assert.equal(markerOffset(5, 5, 5), 1);
  });
});
