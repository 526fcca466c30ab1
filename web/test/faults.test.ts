import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ApiState, DaemonEvent, DaemonState, TimelineEntry } from "../src/api/types.ts";
import { faultAvailability, faultIntervals } from "../src/model/faults.ts";
import { appendEntries, appendState, EMPTY_LOG, type EventLog } from "../src/model/log.ts";
import { daemonState, peerAt, peerSnapshot } from "./support/fixtures.ts";

const entry = (seq: number, daemonId: string, event: DaemonEvent): TimelineEntry => ({
  seq,
  daemonId,
  at: seq * 100,
  clock: seq,
  event,
});

const stateWith = (...daemons: DaemonState[]): ApiState => ({ daemons, dht: null });
const gamma = (fields: Partial<DaemonState> = {}) =>
  daemonState("peer-3", { name: "gamma", ...fields });

/** Appends `entries`, then the API state `state` after them. */
function then(log: EventLog, entries: TimelineEntry[], state?: ApiState): EventLog {
  const appended = appendEntries(log, entries);
  return state === undefined ? appended : appendState(appended, state);
}

describe("faultIntervals", () => {
  it("spans a kill until the daemon runs again, and a pause until it is resumed", () => {
    let log = appendState(EMPTY_LOG, stateWith(gamma()));
    log = then(
      log,
      [entry(1, "peer-3", { kind: "console", line: "a" })],
      stateWith(gamma({ paused: true })),
    );
    log = then(log, [entry(2, "peer-3", { kind: "console", line: "b" })], stateWith(gamma()));
    const killed = gamma({ alive: false, ended: "crashed", signal: "SIGKILL" });
    log = then(log, [entry(3, "manager", { kind: "console", line: "c" })], stateWith(killed));
    log = then(log, [entry(4, "manager", { kind: "console", line: "d" })], stateWith(killed));
    assert.deepEqual(faultIntervals(log), [
      { kind: "pause", daemonId: "peer-3", label: "gamma paused", fromSeq: 1, toSeq: 2 },
      { kind: "crash", daemonId: "peer-3", label: "gamma killed", fromSeq: 3, toSeq: null },
    ]);
    log = then(log, [entry(5, "manager", { kind: "console", line: "e" })], stateWith(gamma()));
    assert.equal(faultIntervals(log)[1]?.toSeq, 5, "restarted: the kill is over");
  });

  it("spans each loss a peer held, and marks each message dropped on purpose", () => {
    const loss = (seq: number, value: number) =>
      entry(seq, "peer-3", {
        kind: "state",
        daemon: "peer",
        state: peerSnapshot("gamma", { loss: value }),
      });
    const log = then(EMPTY_LOG, [
      loss(1, 0),
      loss(2, 0.2),
      loss(3, 0.2),
      loss(4, 0.3),
      entry(5, "peer-1", {
        kind: "message",
        direction: "sent",
        messageType: "find-event",
        from: "alpha",
        to: "bravo",
        messageClock: 9,
        summary: "find-event",
        dropped: true,
      }),
      loss(6, 0),
    ]);
    assert.deepEqual(faultIntervals(log), [
      { kind: "loss", daemonId: "peer-3", label: "gamma loses 20%", fromSeq: 2, toSeq: 4 },
      { kind: "loss", daemonId: "peer-3", label: "gamma loses 30%", fromSeq: 4, toSeq: 6 },
      {
        kind: "drop",
        daemonId: "peer-1",
        label: "alpha dropped find-event to bravo",
        fromSeq: 5,
        toSeq: 5,
      },
    ]);
  });
});

describe("faultAvailability", () => {
  const running = peerAt("peer-1", "alpha", "InDHT");
  const live = { notNow: null, hasRightNeighbour: true };

  it("offers every fault on a running member but Resume", () => {
    assert.deepEqual(faultAvailability(running, live), {
      Kill: null,
      Pause: null,
      Resume: "it is not paused",
      Restart: null,
      Loss: null,
      "Drop next message": null,
    });
  });

  it("says why not: paused, dead, outside a ring, remote, in the past", () => {
    const paused = faultAvailability({ ...running, paused: true }, live);
    assert.equal(paused.Resume, null);
    assert.equal(paused.Pause, "it is paused already");
    assert.equal(paused.Loss, "it is paused: resume it first");
    const dead = faultAvailability(peerAt("peer-1", "alpha", "dead"), live);
    assert.equal(dead.Kill, "it is not running");
    assert.equal(dead.Restart, null, "a dead peer can be restarted");
    const free = faultAvailability(running, { ...live, hasRightNeighbour: false });
    assert.match(free["Drop next message"] ?? "", /no right neighbour/);
    const remote = faultAvailability({ ...running, remote: true }, live);
    assert.match(remote.Restart ?? "", /remote daemon/);
    const past = faultAvailability(running, { ...live, notNow: "viewing the past: go live first" });
    assert.equal(past.Kill, "viewing the past: go live first");
    assert.equal(past.Restart, "viewing the past: go live first");
  });
});
