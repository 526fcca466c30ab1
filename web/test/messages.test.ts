import assert from "node:assert/strict";
import { test } from "node:test";
import type { DaemonEvent, TimelineEntry } from "../src/api/types.ts";
import type { EventLog } from "../src/model/log.ts";
import { classOf, type DiagramArrow, diagramAt } from "../src/model/messages.ts";

type MessageEvent = Extract<DaemonEvent, { kind: "message" }>;

interface Message {
  direction: "sent" | "received";
  type: string;
  from: string;
  to: string;
  /** The datagram's clock; omitted for store summaries. */
  messageClock?: number;
  /** The clock of the event on its own daemon. */
  clock: number;
  summary?: string;
  retransmission?: true;
  records?: number;
  datagrams?: number;
}

/** A log of message events, in the order given (the order the server heard them). */
function logOf(messages: Message[]): EventLog {
  const entries: TimelineEntry[] = messages.map((message, index) => {
    const event: MessageEvent = {
      kind: "message",
      direction: message.direction,
      messageType: message.type,
      from: message.from,
      to: message.to,
      summary: message.summary ?? message.type,
      ...(message.messageClock === undefined ? {} : { messageClock: message.messageClock }),
      ...(message.retransmission ? { retransmission: true as const } : {}),
      ...(message.records === undefined
        ? {}
        : { records: message.records, datagrams: message.datagrams ?? 0 }),
    };
    const daemonId = message.direction === "sent" ? message.from : message.to;
    return { seq: index + 1, daemonId, at: 1_000 + index, clock: message.clock, event };
  });
  return { entries, states: [] };
}

function sent(type: string, from: string, to: string, messageClock: number): Message {
  return { direction: "sent", type, from, to, messageClock, clock: messageClock };
}

function received(type: string, from: string, to: string, messageClock: number, clock: number) {
  return { direction: "received", type, from, to, messageClock, clock } satisfies Message;
}

const LAST = Number.MAX_SAFE_INTEGER;

function drawn(arrow: DiagramArrow): string {
  return `${arrow.messageType} ${arrow.from}>${arrow.to} ${arrow.sendRow}->${arrow.receiveRow}`;
}

test("a send and its receipt pair by sender, receiver, type and datagram clock", () => {
  const log = logOf([
    sent("register", "alpha", "manager", 1),
    sent("register", "beta", "manager", 1),
    received("register", "beta", "manager", 1, 2),
    received("register", "alpha", "manager", 1, 3),
    sent("reply", "manager", "beta", 4),
    sent("reply", "manager", "alpha", 5),
    received("reply", "manager", "alpha", 5, 6),
    received("reply", "manager", "beta", 4, 5),
  ]);
  const diagram = diagramAt(log, LAST);
  const pairs = diagram.arrows.map((arrow) => [
    `${arrow.messageType} ${arrow.from}>${arrow.to}`,
    arrow.sendEntry.seq,
    arrow.receiveEntry?.seq,
  ]);
  assert.deepEqual(pairs, [
    ["register alpha>manager", 1, 4],
    ["register beta>manager", 2, 3],
    ["reply manager>beta", 5, 8],
    ["reply manager>alpha", 6, 7],
  ]);
  assert.equal(diagram.rows, 8);
  assert.deepEqual(diagram.messageTypes, ["register", "reply"]);
  assert.deepEqual(
    diagram.arrows.map((arrow) => arrow.messageClass),
    ["manager", "manager", "manager", "manager"],
  );
});

test("a receipt is always below its send, even when the server heard the receipt first", () => {
  const log = logOf([
    received("set-id", "alpha", "beta", 25, 26),
    received("find-event", "beta", "gamma", 30, 31),
    sent("find-event", "beta", "gamma", 30),
    sent("set-id", "alpha", "beta", 25),
  ]);
  const diagram = diagramAt(log, LAST);
  assert.deepEqual(diagram.arrows.map(drawn), [
    "set-id alpha>beta 0->1",
    "find-event beta>gamma 2->3",
  ]);
  for (const arrow of diagram.arrows) assert.ok((arrow.receiveRow ?? -1) > arrow.sendRow);
});

test("the cursor leaves out later events: a send whose receipt is later has none yet", () => {
  const log = logOf([sent("count", "alpha", "beta", 7), received("count", "alpha", "beta", 7, 9)]);
  const [arrow] = diagramAt(log, 1).arrows;
  assert.equal(arrow?.receiveRow, null);
  assert.equal(arrow?.receiveEntry, null);
  assert.equal(diagramAt(log, 2).arrows[0]?.receiveRow, 1);
  assert.equal(diagramAt(log, 0).arrows.length, 0);
});

test("a store summary is one band, ranked no later than its receipt", () => {
  // The sender writes its summary after the receiver wrote its own (clock 4950 > 4924).
  const log = logOf([
    { ...bulk("sent", "epsilon", "gamma", 4950), records: 29132, datagrams: 2051 },
    sent("count", "epsilon", "gamma", 4922),
    { ...bulk("received", "epsilon", "gamma", 4924), records: 29132, datagrams: 2051 },
    received("count", "epsilon", "gamma", 4922, 4927),
  ]);
  const diagram = diagramAt(log, LAST);
  const store = diagram.arrows.find((arrow) => arrow.messageType === "store");
  assert.deepEqual(store?.band, { records: 29132, datagrams: 2051 });
  assert.equal(store?.messageClass, "build");
  assert.ok(store !== undefined && (store.receiveRow ?? -1) > store.sendRow);
  assert.equal(store?.receiveEntry?.seq, 3);
  assert.equal(diagram.arrows.find((arrow) => arrow.messageType === "count")?.band, null);
});

function bulk(direction: "sent" | "received", from: string, to: string, clock: number): Message {
  return {
    direction,
    type: "store",
    from,
    to,
    clock,
    summary: "store: 29132 records in 2051 datagrams",
  };
}

test("store summaries on one link pair in order, one band per build", () => {
  const log = logOf([
    { ...bulk("sent", "alpha", "beta", 100), records: 10 },
    { ...bulk("received", "alpha", "beta", 101), records: 10 },
    { ...bulk("sent", "alpha", "beta", 500), records: 20 },
    { ...bulk("received", "alpha", "beta", 501), records: 20 },
  ]);
  const bands = diagramAt(log, LAST).arrows.map((arrow) => [
    arrow.band?.records,
    arrow.receiveEntry?.seq,
  ]);
  assert.deepEqual(bands, [
    [10, 2],
    [20, 4],
  ]);
});

test("a retransmission is marked; when one copy arrived, it is the last one sent", () => {
  const log = logOf([
    sent("register", "zeta", "manager", 3),
    { ...sent("register", "zeta", "manager", 3), clock: 4, retransmission: true },
    received("register", "zeta", "manager", 3, 10),
  ]);
  const [first, resend] = diagramAt(log, LAST).arrows;
  assert.equal(first?.retransmission, false);
  assert.equal(first?.receiveRow, null);
  assert.equal(resend?.retransmission, true);
  assert.equal(resend?.receiveEntry?.seq, 3);
  assert.ok((resend?.receiveRow ?? -1) > (resend?.sendRow ?? 0));
});

test("when every copy arrived, each send has its own receipt", () => {
  const log = logOf([
    sent("reply", "manager", "zeta", 12),
    received("reply", "manager", "zeta", 12, 13),
    { ...sent("reply", "manager", "zeta", 12), clock: 20, retransmission: true },
    received("reply", "manager", "zeta", 12, 21),
  ]);
  const arrows = diagramAt(log, LAST).arrows;
  assert.deepEqual(
    arrows.map((arrow) => [arrow.sendEntry.seq, arrow.receiveEntry?.seq, arrow.retransmission]),
    [
      [1, 2, false],
      [3, 4, true],
    ],
  );
});

test("a FAILURE reply is a failure; a SUCCESS reply and other messages are not", () => {
  const log = logOf([
    { ...sent("reply", "manager", "zeta", 17), summary: "FAILURE NOT_REGISTERED: no peer" },
    { ...sent("reply", "manager", "alpha", 18), summary: "SUCCESS" },
    { ...sent("find-result", "beta", "alpha", 19), summary: "FAILURE-ish text" },
  ]);
  assert.deepEqual(
    diagramAt(log, LAST).arrows.map((arrow) => arrow.failure),
    [true, false, false],
  );
});

test("the filter leaves out types, and their rows, but lists every type seen", () => {
  const log = logOf([
    sent("find-event", "alpha", "beta", 1),
    received("find-event", "alpha", "beta", 1, 2),
    sent("count", "beta", "gamma", 3),
    received("count", "beta", "gamma", 3, 4),
  ]);
  const diagram = diagramAt(log, LAST, { excludedTypes: new Set(["find-event"]) });
  assert.deepEqual(diagram.arrows.map(drawn), ["count beta>gamma 0->1"]);
  assert.equal(diagram.rows, 2);
  assert.equal(diagram.hidden, 0);
  assert.deepEqual(diagram.messageTypes, ["count", "find-event"]);
});

test("the cap keeps the newest arrows, counts the hidden ones and numbers rows densely", () => {
  const messages: Message[] = [];
  for (let index = 0; index < 1_000; index += 1) {
    const clock = 2 * index + 1;
    messages.push(sent("find-event", "alpha", "beta", clock));
    messages.push(received("find-event", "alpha", "beta", clock, clock + 1));
  }
  const diagram = diagramAt(logOf(messages), LAST, { cap: 150 });
  assert.equal(diagram.arrows.length, 150);
  assert.equal(diagram.hidden, 850);
  assert.equal(diagram.rows, 300);
  assert.equal(diagram.arrows[0]?.sendEntry.seq, 1701);
  assert.equal(diagram.arrows.at(-1)?.receiveRow, 299);
  const filtered = diagramAt(logOf(messages), LAST, {
    cap: 150,
    excludedTypes: new Set(["find-event"]),
  });
  assert.deepEqual([filtered.arrows.length, filtered.hidden, filtered.rows], [0, 0, 0]);
});

test("lanes: the manager, then the daemons named, then any other name seen", () => {
  const log = logOf([sent("register", "127.0.0.1:5000", "manager", 1)]);
  assert.deepEqual(diagramAt(log, LAST, { lanes: ["alpha", "beta"] }).lanes, [
    "manager",
    "alpha",
    "beta",
    "127.0.0.1:5000",
  ]);
});

test("message classes", () => {
  assert.deepEqual(
    ["register", "set-id", "store", "find-event", "find-result", "teardown", "reset-id"].map(
      classOf,
    ),
    ["manager", "build", "build", "query", "query", "churn", "churn"],
  );
});
