import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SHELBY_TORNADO } from "../../daemons/test/support/sample-record.ts";
import type { DaemonEvent, TimelineEntry } from "../src/api/types.ts";
import type { EventLog } from "../src/model/log.ts";
import {
  expectedIdSeqLength,
  idSeqHistogram,
  type QueryRun,
  queriesAt,
  shownQuery,
  startedRun,
} from "../src/model/queries.ts";
import { answerOf, walkOf } from "./support/walks.ts";

const RING = ["alpha", "epsilon", "gamma", "delta", "beta"];

/** A log of `events` ([daemonId, event]) numbered from seq 1. */
function logOf(events: [string, DaemonEvent][]): EventLog {
  const entries: TimelineEntry[] = events.map(([daemonId, event], index) => ({
    seq: index + 1,
    daemonId,
    at: 1_000 + index,
    clock: index + 1,
    event,
  }));
  return { entries, states: [] };
}

const ring: [string, DaemonEvent] = [
  "manager",
  {
    kind: "state",
    daemon: "manager",
    state: {
      peers: [],
      dht: { leader: "alpha", members: RING, year: "1996", ringSize: 5, phase: "ready" },
      pending: null,
    },
  },
];

function hop(from: string, to: string, idSeq: number[], queryId = 1): [string, DaemonEvent] {
  const event: DaemonEvent = {
    kind: "query-hop",
    direction: "sent",
    queryId,
    eventId: 5536849,
    origin: "zeta",
    from,
    to,
    idSeq,
  };
  return [from === "zeta" ? "peer-6" : `peer-${from}`, event];
}

function result(
  found: boolean,
  idSeq: number[],
  reason?: string,
  queryId = 1,
): [string, DaemonEvent] {
  return [
    "peer-6",
    {
      kind: "query-result",
      direction: "received",
      queryId,
      eventId: 5536849,
      status: found ? "found" : reason === undefined ? "not-found" : "refused",
      ...(found ? { record: SHELBY_TORNADO } : {}),
      ...(reason === undefined ? {} : { reason }),
      from: "delta",
      to: "zeta",
      idSeq,
    },
  ];
}

/** A message event of `daemonId` (`from` -> `to`), as its observation publishes it. */
function message(
  daemonId: string,
  direction: "sent" | "received",
  messageType: string,
  from: string,
  to: string,
): [string, DaemonEvent] {
  return [daemonId, { kind: "message", direction, messageType, from, to, summary: messageType }];
}

/** The same query event seen at its other end. */
function received([daemonId, event]: [string, DaemonEvent], at: string): [string, DaemonEvent] {
  return [at === "" ? daemonId : at, { ...event, direction: "received" } as DaemonEvent];
}

function console6(line: string): [string, DaemonEvent] {
  return ["peer-6", { kind: "console", line }];
}

describe("queriesAt", () => {
  it("numbers hops by their id-seq length, whatever order they arrive in", () => {
    const log = logOf([
      ring,
      hop("epsilon", "beta", [2, 1]),
      hop("zeta", "gamma", []),
      hop("gamma", "epsilon", [2]),
    ]);
    const [run] = queriesAt(log, 4);
    assert.ok(run);
    assert.equal(run.key, "zeta#1");
    assert.equal(run.origin, "zeta");
    assert.equal(run.originDaemonId, "peer-6");
    assert.deepEqual(run.members, RING);
    assert.deepEqual(
      run.hops.map((step) => [step.number, step.from, step.to]),
      [
        [1, "zeta", "gamma"],
        [2, "gamma", "epsilon"],
        [3, "epsilon", "beta"],
      ],
    );
    assert.equal(run.answer, null);
  });

  it("takes the record's labelled fields from the answer, not from printed lines", () => {
    const log = logOf([
      ring,
      hop("zeta", "gamma", []),
      console6("state: printed before the answer, so not a field"),
      result(true, [2, 1, 4, 0, 3]),
      console6("state: printed after the answer, still not a field"),
    ]);
    const [run] = queriesAt(log, log.entries.length);
    assert.ok(run?.answer);
    assert.equal(run.answer.status === "found", true);
    assert.equal(run.answer.reason, null);
    assert.equal(run.answer.answeredBy, "delta");
    assert.deepEqual(run.answer.idSeq, [2, 1, 4, 0, 3]);
    assert.equal(run.answer.fields.length, 14);
    assert.deepEqual(run.answer.fields[1], ["state", "ALABAMA"]);
    assert.deepEqual(run.answer.fields.at(-1), ["tor f scale", ""]);
  });

  it("shows only what had happened at the cursor", () => {
    const log = logOf([ring, hop("zeta", "gamma", []), result(true, [2])]);
    assert.equal(queriesAt(log, 1).length, 0);
    assert.equal(queriesAt(log, 2)[0]?.answer, null);
    assert.equal(queriesAt(log, 3)[0]?.answer?.fields.length, 14);
  });

  it("records a not-found answer without fields", () => {
    const log = logOf([
      ring,
      hop("zeta", "beta", []),
      hop("beta", "delta", [4]),
      result(false, [4, 3]),
      console6("Storm event 5536849 not found in the DHT."),
      console6("id-seq: 4 3"),
    ]);
    const [run] = queriesAt(log, log.entries.length);
    assert.equal(run?.answer?.status, "not-found");
    assert.equal(run?.answer?.reason, null);
    assert.deepEqual(run?.answer?.fields, []);
    assert.deepEqual(run?.answer?.idSeq, [4, 3]);
  });

  it("keeps a refusal's reason", () => {
    const log = logOf([ring, hop("zeta", "gamma", []), result(false, [], "BUSY")]);
    const [run] = queriesAt(log, log.entries.length);
    assert.equal(run?.answer?.status, "refused");
    assert.equal(run?.answer?.reason, "BUSY");
  });

  it("groups each hop's entries, the manager's choice before it and the answer's", () => {
    const first = hop("zeta", "gamma", []);
    const second = hop("gamma", "delta", [2]);
    const answer = result(true, [2, 3]);
    const log = logOf([
      ring,
      message("peer-6", "sent", "query-dht", "zeta", "manager"), // 2
      message("manager", "received", "query-dht", "zeta", "manager"),
      message("manager", "sent", "reply", "manager", "zeta"),
      message("peer-6", "received", "reply", "manager", "zeta"), // 5
      message("peer-6", "sent", "find-event", "zeta", "gamma"),
      first, // 7
      message("peer-gamma", "received", "find-event", "zeta", "gamma"),
      received(first, "peer-gamma"), // 9
      console6("a console line belongs to no hop"),
      message("peer-gamma", "sent", "find-event", "gamma", "delta"), // 11
      second,
      received(second, "peer-delta"), // 13
      message("peer-delta", "sent", "find-result", "delta", "zeta"),
      ["peer-delta", { ...answer[1], direction: "sent" } as DaemonEvent], // 15
      message("peer-6", "received", "find-result", "delta", "zeta"),
      answer, // 17
    ]);
    const [run] = queriesAt(log, log.entries.length);
    assert.ok(run);
    assert.deepEqual(run.choiceSeqs, [2, 3, 4, 5]);
    assert.deepEqual(
      run.hops.map((each) => each.seqs),
      [
        [6, 7, 8, 9],
        [11, 12, 13],
      ],
    );
    assert.deepEqual(run.resultSeqs, [14, 15, 16, 17]);
    assert.equal(run.originDaemonId, "peer-6");
    assert.equal(run.answer?.seq, 17);
  });

  it("takes a hop seen at both ends, or twice, as one hop", () => {
    const first = hop("zeta", "gamma", []);
    const log = logOf([ring, received(first, "peer-gamma"), first, first]);
    const [run] = queriesAt(log, log.entries.length);
    assert.equal(run?.hops.length, 1);
    assert.deepEqual(run?.hops[0]?.seqs, [2, 3, 4]);
    assert.equal(run?.hops[0]?.seq, 2);
  });

  it("keeps walks apart by origin and query id, oldest first", () => {
    const log = logOf([
      ring,
      hop("zeta", "gamma", [], 1),
      result(true, [2], undefined, 1),
      hop("zeta", "beta", [], 2),
      result(false, [4, 3], undefined, 2),
    ]);
    assert.deepEqual(
      queriesAt(log, log.entries.length).map((run) => run.key),
      ["zeta#1", "zeta#2"],
    );
  });
});

/** A walk with no hops yet, answered (`idSeq`) or not (null), starting at `startSeq`. */
function runOf(
  key: string,
  startSeq: number,
  idSeq: number[] | null,
  reason: string | null = null,
): QueryRun {
  const answer =
    idSeq === null
      ? null
      : answerOf(reason === null ? "found" : "refused", idSeq, "delta", {
          reason,
          seq: startSeq + 1,
        });
  return walkOf(key, [key.split("#")[0] ?? ""], answer, { startSeq });
}

describe("choosing a query to show", () => {
  const queries = [runOf("zeta#1", 10, [1]), runOf("zeta#2", 20, [1, 2]), runOf("eta#1", 30, null)];

  it("shows the replayed query, else the newest with hops, else the newest", () => {
    assert.equal(shownQuery(queries, "zeta#1")?.key, "zeta#1");
    assert.equal(shownQuery(queries, null)?.key, "eta#1", "none has hops");
    assert.equal(shownQuery(queries, "gone#9")?.key, "eta#1");
    const walked = {
      ...runOf("zeta#2", 20, [1, 2]),
      hops: [{ number: 1, from: "zeta", to: "beta", seq: 21, seqs: [21] }],
    };
    assert.equal(
      shownQuery(
        [queries[0], walked, queries[2]].filter((run) => run !== undefined),
        null,
      )?.key,
      "zeta#2",
    );
    assert.equal(shownQuery([], null), null);
  });

  it("shows a replayed walk that starts after the cursor as not started yet", () => {
    const later = [...queries, runOf("theta#1", 40, [3])];
    const shown = shownQuery(queries, "theta#1", later);
    assert.equal(shown?.key, "theta#1");
    assert.deepEqual(shown?.hops, []);
    assert.equal(shown?.answer, null);
  });

  it("finds the walk a click started: same origin and event, after the click", () => {
    assert.equal(startedRun(queries, "zeta", 5536849, 5)?.key, "zeta#2");
    assert.equal(startedRun(queries, "zeta", 5536849, 15)?.key, "zeta#2");
    assert.equal(startedRun(queries, "zeta", 5536849, 25), undefined);
    assert.equal(startedRun(queries, "zeta", 1, 0), undefined);
  });
});

describe("idSeqHistogram", () => {
  it("bins answered walks over a ring of n by id-seq length 1..n", () => {
    const queries = [
      runOf("a#1", 1, [2, 1, 4, 0, 3]),
      runOf("a#2", 2, [4, 3]),
      runOf("a#3", 3, [0, 3]),
      runOf("a#4", 4, null),
      runOf("a#5", 5, [1], "BUSY"),
      { ...runOf("a#6", 6, [1, 2]), members: ["x", "y", "z"] },
    ];
    const histogram = idSeqHistogram(queries, 5);
    assert.deepEqual(
      histogram.bins.map((bin) => bin.count),
      [0, 2, 0, 0, 1],
    );
    assert.deepEqual(
      histogram.bins.map((bin) => bin.length),
      [1, 2, 3, 4, 5],
    );
    assert.equal(histogram.count, 3);
    assert.equal(histogram.mean, 3);
  });

  it("has no mean without walks", () => {
    assert.deepEqual(idSeqHistogram([], 3), {
      bins: [
        { length: 1, count: 0 },
        { length: 2, count: 0 },
        { length: 3, count: 0 },
      ],
      count: 0,
      mean: null,
    });
  });

  it("expects (n + 1) / 2 hops", () => {
    assert.equal(expectedIdSeqLength(5), 3);
    assert.equal(expectedIdSeqLength(4), 2.5);
  });
});
