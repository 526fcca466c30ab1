import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TimelineEntry } from "../src/api/types.ts";
import { appendEntries, EMPTY_LOG } from "../src/model/log.ts";
import { atOf, faultSpans, queryTimings, shadedBands } from "../src/model/query-timing.ts";
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

describe("shadedBands", () => {
  it("draws overlapping spans of a kind as one band, drops as they are", () => {
    const span = (label: string, kind: "loss" | "pause" | "drop", from: number, to: number) => ({
      label,
      kind,
      from,
      to,
      ongoing: false,
    });
    assert.deepEqual(
      shadedBands([
        span("b loses 25%", "loss", 2, 6),
        span("a loses 25%", "loss", 1, 3),
        span("c paused", "pause", 2, 4),
        span("d loses 10%", "loss", 8, 9),
        span("x dropped", "drop", 2, 2),
        span("y dropped", "drop", 2, 2),
      ]).map(({ label, from, to }) => [label, from, to]),
      [
        ["a loses 25%, b loses 25%", 1, 6],
        ["c paused", 2, 4],
        ["x dropped", 2, 2],
        ["y dropped", 2, 2],
        ["d loses 10%", 8, 9],
      ],
    );
  });
});
