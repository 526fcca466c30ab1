import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ApiState, TimelineEntry } from "../src/api/types.ts";
import {
  appendEntries,
  appendState,
  EMPTY_LOG,
  entriesUpTo,
  isRestart,
  lastSeq,
  logUpTo,
  restartLog,
  stateAt,
  stepFrom,
} from "../src/model/log.ts";
import { peerSnapshot } from "./support/fixtures.ts";

function entry(seq: number): TimelineEntry {
  return {
    seq,
    daemonId: "peer-1",
    at: seq,
    clock: seq,
    event: { kind: "console", line: `${seq}` },
  };
}

function apiState(pid: number): ApiState {
  return { daemons: [], dht: null, pid } as unknown as ApiState;
}

describe("the event log", () => {
  it("appends only entries newer than the last, so a resend after a reconnect is ignored", () => {
    const log = appendEntries(appendEntries(EMPTY_LOG, [entry(1), entry(2)]), [entry(2), entry(3)]);
    assert.deepEqual(
      log.entries.map(({ seq }) => seq),
      [1, 2, 3],
    );
    assert.equal(lastSeq(log), 3);
  });

  it("gives the entries up to a cursor", () => {
    const log = appendEntries(EMPTY_LOG, [entry(1), entry(2), entry(5), entry(9)]);
    assert.deepEqual(
      entriesUpTo(log, 5).map(({ seq }) => seq),
      [1, 2, 5],
    );
    assert.deepEqual(entriesUpTo(log, 0), []);
    assert.equal(entriesUpTo(log, 100).length, 4);
  });

  it("gives the API state in force at a cursor: the last one marked at or before it", () => {
    let log = appendState(EMPTY_LOG, apiState(1));
    log = appendEntries(log, [entry(1), entry(2)]);
    log = appendState(log, apiState(2));
    log = appendEntries(log, [entry(3)]);
    log = appendState(log, apiState(3));
    assert.equal((stateAt(log, 0) as unknown as { pid: number }).pid, 1);
    assert.equal((stateAt(log, 1) as unknown as { pid: number }).pid, 1);
    assert.equal((stateAt(log, 2) as unknown as { pid: number }).pid, 2);
    assert.equal((stateAt(log, 3) as unknown as { pid: number }).pid, 3);
    assert.equal(stateAt(EMPTY_LOG, 3), null);
  });

  it("tells a restarted server by seqs that begin again, and keeps only its newest state", () => {
    let log = appendEntries(appendState(EMPTY_LOG, apiState(1)), [entry(1), entry(2), entry(3)]);
    log = appendState(log, apiState(2));
    assert.equal(isRestart(log, [entry(4)]), false);
    assert.equal(isRestart(log, [entry(1)]), true);
    assert.equal(isRestart(EMPTY_LOG, [entry(1)]), false);
    const restarted = restartLog(log);
    assert.deepEqual(restarted.entries, []);
    assert.equal(restarted.states.length, 1);
    assert.equal((stateAt(restarted, 0) as unknown as { pid: number }).pid, 2);
  });

  it("steps over console lines, to the log's ends at the edges", () => {
    const store: TimelineEntry = {
      ...entry(4),
      event: { kind: "store-progress", stored: 1, total: 2 },
    };
    const message: TimelineEntry = {
      ...entry(7),
      event: { kind: "state", daemon: "peer", state: peerSnapshot("alpha") },
    };
    const log = appendEntries(EMPTY_LOG, [entry(3), store, entry(5), entry(6), message, entry(8)]);
    assert.equal(stepFrom(log, 2, 1), 4);
    assert.equal(stepFrom(log, 4, 1), 7);
    assert.equal(stepFrom(log, 7, 1), 8, "past the last step: the end");
    assert.equal(stepFrom(log, 8, -1), 7);
    assert.equal(stepFrom(log, 7, -1), 4);
    assert.equal(stepFrom(log, 4, -1), 2, "before the first step: the empty start");
  });
});

describe("logUpTo", () => {
  it("keeps the entries and API states up to the cursor, and the whole log at its end", () => {
    const state = { daemons: [], dht: null };
    let log = appendEntries(EMPTY_LOG, [entry(1), entry(2)]);
    log = appendState(log, state);
    log = appendEntries(log, [entry(3)]);
    log = appendState(log, state);
    const early = logUpTo(log, 2);
    assert.deepEqual(
      early.entries.map((each) => each.seq),
      [1, 2],
    );
    assert.deepEqual(
      early.states.map((mark) => mark.afterSeq),
      [2],
    );
    assert.equal(logUpTo(log, 3), log);
  });
});

describe("appendState", () => {
  it("marks a state from the seq the server took it at, never before an earlier mark", () => {
    // A first connect: the state comes before the entries it follows.
    let log = appendState(EMPTY_LOG, apiState(1), 3);
    log = appendEntries(log, [entry(1), entry(2), entry(3)]);
    assert.equal(log.states[0]?.afterSeq, 3);
    assert.equal(stateAt(log, 3), log.states[0]?.state);
    log = appendState(log, apiState(2), 2);
    assert.equal(log.states[1]?.afterSeq, 3, "marks do not go back");
    log = appendState(log, apiState(3));
    assert.equal(log.states[2]?.afterSeq, 3, "without a seq: the last entry held");
  });
});
