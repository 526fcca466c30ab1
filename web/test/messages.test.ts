import assert from "node:assert/strict";
import { test } from "node:test";
import type { DaemonEvent, TimelineEntry } from "../src/api/types.ts";
import type { EventLog } from "../src/model/log.ts";
import { classOf } from "../src/model/message-classes.ts";
import {
  type CausalDirection,
  causallyRelated,
  type DiagramArrow,
  diagramAt,
} from "../src/model/messages.ts";

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
  status?: "SUCCESS" | "FAILURE";
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
      ...(message.status === undefined ? {} : { status: message.status }),
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

test("a reply whose status is FAILURE is a failure, whatever its summary says", () => {
  const log = logOf([
    { ...sent("reply", "manager", "zeta", 17), status: "FAILURE", summary: "NOT_REGISTERED" },
    { ...sent("reply", "manager", "alpha", 18), status: "SUCCESS", summary: "FAILURE-ish text" },
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

/** A sent message and its receipt at the next clock on the receiver. */
function delivered(type: string, from: string, to: string, messageClock: number, clock: number) {
  return [sent(type, from, to, messageClock), received(type, from, to, messageClock, clock)];
}

/** The messages related to the one named "type from>to", each named the same way. */
function related(messages: Message[], name: string, direction: CausalDirection): string[] {
  const { arrows } = diagramAt(logOf(messages), LAST);
  const nameOf = (arrow: DiagramArrow) => `${arrow.messageType} ${arrow.from}>${arrow.to}`;
  const picked = arrows.filter((arrow) => nameOf(arrow) === name);
  assert.equal(picked.length, 1, `one ${name}`);
  const keys = causallyRelated(arrows, picked[0]?.key ?? "", direction);
  return arrows.filter((arrow) => keys.has(arrow.key)).map(nameOf);
}

test("causality: a chain across three lanes is the history of its last hop and the future of its first", () => {
  const chain = [
    ...delivered("find-event", "alpha", "beta", 1, 2),
    ...delivered("find-event", "beta", "gamma", 3, 4),
    ...delivered("find-result", "gamma", "alpha", 5, 6),
  ];
  assert.deepEqual(related(chain, "find-result gamma>alpha", "history"), [
    "find-event alpha>beta",
    "find-event beta>gamma",
  ]);
  assert.deepEqual(related(chain, "find-event alpha>beta", "future"), [
    "find-event beta>gamma",
    "find-result gamma>alpha",
  ]);
  assert.deepEqual(related(chain, "find-event beta>gamma", "history"), ["find-event alpha>beta"]);
  assert.deepEqual(related(chain, "find-result gamma>alpha", "future"), []);
});

test("causality: concurrent messages, and ones sent before but received elsewhere, are left out", () => {
  const messages = [
    // Sent by alpha before the chain starts, but delta tells nobody in it.
    ...delivered("count", "alpha", "delta", 1, 3),
    ...delivered("find-event", "alpha", "beta", 2, 4),
    // Concurrent with the whole chain, on lanes it never touches.
    ...delivered("register", "delta", "manager", 5, 6),
    ...delivered("find-event", "beta", "gamma", 7, 8),
    // Sent by beta after it forwarded the query: later on its lane, not before.
    ...delivered("reply", "beta", "delta", 9, 10),
    // Received by gamma, but after it sent its answer.
    ...delivered("set-id", "manager", "gamma", 11, 13),
    ...delivered("find-result", "gamma", "alpha", 12, 14),
  ];
  assert.deepEqual(related(messages, "find-result gamma>alpha", "history"), [
    "find-event alpha>beta",
    "find-event beta>gamma",
  ]);
  // What the first hop caused: the rest of the chain and whatever beta sent afterwards.
  assert.deepEqual(related(messages, "find-event alpha>beta", "future"), [
    "find-event beta>gamma",
    "reply beta>delta",
    "find-result gamma>alpha",
  ]);
  // alpha had sent count before the query, yet it arrived at delta only: nothing in the
  // chain follows it, only delta's register and, after that, the manager's set-id to gamma,
  // which gamma received after it had answered.
  assert.deepEqual(related(messages, "count alpha>delta", "future"), [
    "register delta>manager",
    "set-id manager>gamma",
  ]);
});

test("causality: a never-received send counts by its send, so only its sender's later events follow it", () => {
  const messages: Message[] = [
    sent("register", "zeta", "manager", 3),
    { ...sent("register", "zeta", "manager", 3), clock: 4, retransmission: true },
    // Lost on another lane before the manager replied: it reached nobody.
    sent("reply", "manager", "omega", 6),
    received("register", "zeta", "manager", 3, 10),
    ...delivered("reply", "manager", "zeta", 11, 12),
    // Lost by the manager after its reply: not in the reply's past.
    sent("teardown", "manager", "omega", 13),
  ];
  const { arrows } = diagramAt(logOf(messages), LAST);
  const keysOf = (keys: Set<string>) => arrows.filter((arrow) => keys.has(arrow.key));
  const [lostCopy, resend, lostReply, reply, lostTeardown] = arrows;
  assert.deepEqual(
    [lostCopy?.receiveRow, resend?.retransmission, lostReply?.receiveRow, lostTeardown?.receiveRow],
    [null, true, null, null],
  );
  // The reply's history: both copies of the request (the lost one by zeta's lane order)
  // and the manager's own earlier, lost send; its later lost send is not.
  assert.deepEqual(keysOf(causallyRelated(arrows, reply?.key ?? "", "history")), [
    lostCopy,
    resend,
    lostReply,
  ]);
  // The lost copy caused what zeta did next: the resend, then through it the reply.
  assert.deepEqual(keysOf(causallyRelated(arrows, lostCopy?.key ?? "", "future")), [
    resend,
    reply,
    lostTeardown,
  ]);
  // The lost reply to omega reached nobody: only the manager's later sends follow it.
  assert.deepEqual(keysOf(causallyRelated(arrows, lostReply?.key ?? "", "future")), [
    reply,
    lostTeardown,
  ]);
  assert.deepEqual(keysOf(causallyRelated(arrows, lostTeardown?.key ?? "", "future")), []);
});

test("causality: a store band counts by its receipt, placed as drawn", () => {
  const messages: Message[] = [
    // The leader writes its summary late (clock 200), after beta received (clock 120).
    { ...bulk("sent", "alpha", "beta", 200), records: 30, datagrams: 3 },
    { ...bulk("received", "alpha", "beta", 120), records: 30, datagrams: 3 },
    { ...bulk("sent", "beta", "gamma", 125), records: 10, datagrams: 1 },
    ...delivered("count", "alpha", "beta", 130, 131),
    { ...bulk("received", "beta", "gamma", 135), records: 10, datagrams: 1 },
    ...delivered("count", "beta", "gamma", 136, 137),
    ...delivered("count", "gamma", "alpha", 138, 139),
  ];
  // beta's count forward follows its store receipt and its own forward of the stores,
  // but not gamma's receipt of them, which happened concurrently.
  assert.deepEqual(related(messages, "count beta>gamma", "history"), [
    "store alpha>beta",
    "count alpha>beta",
  ]);
  // The barrier's return to the leader comes after every store was received.
  assert.deepEqual(related(messages, "count gamma>alpha", "history"), [
    "store alpha>beta",
    "store beta>gamma",
    "count alpha>beta",
    "count beta>gamma",
  ]);
  assert.deepEqual(related(messages, "store alpha>beta", "future"), [
    "store beta>gamma",
    "count beta>gamma",
    "count gamma>alpha",
  ]);
});

test("causality: an unknown key relates nothing; history and future mirror each other", () => {
  const messages: Message[] = [];
  const lanes = ["alpha", "beta", "gamma", "delta", "epsilon", "manager"];
  for (let index = 0; index < 150; index += 1) {
    const from = lanes[index % lanes.length] ?? "alpha";
    const to = lanes[(index * 7 + 1) % lanes.length] ?? "beta";
    messages.push(...delivered("find-event", from, to, 2 * index + 1, 2 * index + 2));
  }
  const { arrows } = diagramAt(logOf(messages), LAST);
  assert.equal(causallyRelated(arrows, "no such key", "history").size, 0);
  const futures = new Map(
    arrows.map((arrow) => [arrow.key, causallyRelated(arrows, arrow.key, "future")]),
  );
  for (const arrow of arrows) {
    for (const earlier of causallyRelated(arrows, arrow.key, "history")) {
      assert.ok(futures.get(earlier)?.has(arrow.key), `${earlier} is before ${arrow.key}`);
    }
  }
  assert.equal(causallyRelated(arrows, arrows[0]?.key ?? "", "history").size, 0);
});

test("paging back leaves out the newest and keeps a cap's worth before them", () => {
  const messages: Message[] = [];
  for (let index = 0; index < 400; index += 1) {
    const clock = 2 * index + 1;
    messages.push(sent("find-event", "alpha", "beta", clock));
    messages.push(received("find-event", "alpha", "beta", clock, clock + 1));
  }
  const log = logOf(messages);
  const older = diagramAt(log, LAST, { cap: 150, skipNewest: 150 });
  assert.deepEqual([older.arrows.length, older.hidden, older.newer], [150, 100, 150]);
  assert.equal(older.arrows.at(-1)?.sendEntry.seq, 2 * 250 - 1);
  const oldest = diagramAt(log, LAST, { cap: 150, skipNewest: 300 });
  assert.deepEqual([oldest.arrows.length, oldest.hidden, oldest.newer], [100, 0, 300]);
  assert.equal(diagramAt(log, LAST, { cap: 150 }).newer, 0);
});
