import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TimelineEntry } from "../src/api/types.ts";
import { appendEntries, appendState, EMPTY_LOG } from "../src/model/log.ts";
import { cursorInHash, hashForCursor, sessionInQuery } from "../src/model/page-url.ts";
import { readSession, sessionFileName, sessionOf } from "../src/model/session.ts";
import { daemonState } from "./support/fixtures.ts";

const entry = (seq: number): TimelineEntry => ({
  seq,
  daemonId: "peer-1",
  at: 1_000 + seq,
  clock: seq,
  event: { kind: "console", line: `line ${seq}` },
});

const log = appendEntries(
  appendState(EMPTY_LOG, { daemons: [daemonState("peer-1")], dht: null }, 2),
  [entry(1), entry(2), entry(3)],
);

describe("session files", () => {
  it("round-trips the log: entries and API states as they were marked", () => {
    const now = new Date("2024-05-01T10:30:00.123Z");
    const file = sessionOf(log, now);
    const read = readSession(JSON.stringify(file));
    assert.ok("log" in read, JSON.stringify(read));
    assert.deepEqual(read.log, log);
    assert.equal(read.exportedAt, "2024-05-01T10:30:00.123Z");
    assert.equal(sessionFileName(now), "stormring-session-2024-05-01T10-30-00.json");
    assert.equal(sessionFileName(now, "shiviz", "log"), "stormring-shiviz-2024-05-01T10-30-00.log");
  });

  it("refuses what is not one, saying why", () => {
    const file = sessionOf(log, new Date(0));
    const cases: [string, RegExp][] = [
      ["{", /not JSON/],
      ["[]", /not a stormring-session file/],
      [JSON.stringify({ ...file, version: 9 }), /version 9/],
      [JSON.stringify({ ...file, entries: {} }), /must be lists/],
      [JSON.stringify({ ...file, entries: [entry(2), entry(1)] }), /entry 2 .* in seq order/],
      [JSON.stringify({ ...file, entries: [{ seq: 1 }] }), /entry 1 is not/],
      [JSON.stringify({ ...file, states: [{ afterSeq: 1, state: { daemons: 3 } }] }), /state 1/],
    ];
    for (const [text, why] of cases) {
      const read = readSession(text);
      assert.ok("error" in read, text);
      assert.match(read.error, why);
    }
  });
});

describe("the page's address", () => {
  it("holds the cursor as #t=<seq>, none while live", () => {
    assert.equal(hashForCursor(42), "#t=42");
    assert.equal(hashForCursor(null), "");
    assert.equal(cursorInHash("#t=42"), 42);
    assert.equal(cursorInHash("#x=1&t=7"), 7);
    for (const hash of ["", "#", "#t=", "#t=-3", "#t=4x", "#tt=4"]) {
      assert.equal(cursorInHash(hash), null, hash);
    }
  });

  it("names a session to replay with ?session=<url>", () => {
    assert.equal(sessionInQuery("?session=%2Fsession.json"), "/session.json");
    assert.equal(
      sessionInQuery("?session=https://example.org/s.json&x=1"),
      "https://example.org/s.json",
    );
    assert.equal(sessionInQuery("?session="), null);
    assert.equal(sessionInQuery(""), null);
  });
});
