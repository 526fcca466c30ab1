import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TimelineEntry } from "../src/api/types.ts";
import { appendEntries, EMPTY_LOG } from "../src/model/log.ts";
import { atOf, faultSpans, queryTimings } from "../src/model/query-timing.ts";
import { answerOf, walkOf } from "./support/walks.ts";

/** Entries 1..100, entry k at 1,000 + 50k ms. */
const log = appendEntries(
  EMPTY_LOG,
  Array.from(
    { length: 100 },
    (_, index): TimelineEntry => ({
      seq: index + 1,
      daemonId: "peer-1",
      at: 1_000 + 50 * (index + 1),
      clock: index,
      event: { kind: "console", line: String(index) },
    }),
  ),
);

describe("queryTimings", () => {
  it("times each answered query from its query-dht to its answer, with its id-seq length", () => {
    const answered = walkOf(
      "zeta#1",
      ["zeta", "alpha", "gamma"],
      answerOf("found", [0, 2], "gamma"),
    );
    const open = walkOf("zeta#2", ["zeta", "alpha"], null);
    assert.deepEqual(queryTimings(log, [answered, open]), [
      {
        key: "zeta#1",
        eventId: 5536849,
        // The manager's choice (seq 8) is 7 entries after the first: 0.35 s.
        at: 0.35,
        latencyMs: (99 - 8) * 50,
        hops: 2,
        status: "found",
      },
    ]);
  });

  it("reads a seq's time from the last entry at or before it", () => {
    assert.equal(atOf(log, 3), 1_150);
    assert.equal(atOf(log, 500), 6_000);
    assert.equal(atOf(EMPTY_LOG, 3), null);
  });
});

describe("faultSpans", () => {
  it("puts each fault on the same clock; one that lasts runs to the log's end", () => {
    assert.deepEqual(
      faultSpans(log, [
        { kind: "pause", daemonId: "peer-3", label: "gamma paused", fromSeq: 11, toSeq: 21 },
        { kind: "crash", daemonId: "peer-3", label: "gamma killed", fromSeq: 41, toSeq: null },
      ]),
      [
        { label: "gamma paused", kind: "pause", from: 0.5, to: 1, ongoing: false },
        { label: "gamma killed", kind: "crash", from: 2, to: 4.95, ongoing: true },
      ],
    );
  });
});
