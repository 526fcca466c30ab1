import assert from "node:assert/strict";
import { test } from "node:test";
import type { DaemonEvent, TimelineEntry } from "../src/api/types.ts";
import { classOf, gatheredStores, MESSAGE_CLASSES } from "../src/model/message-classes.ts";
import { diagramAt } from "../src/model/messages.ts";

type MessageEvent = Extract<DaemonEvent, { kind: "message" }>;

/** [direction, type, from, to, clock]; a store is a summary (no datagram clock, 12 records). */
type Line = ["sent" | "received", string, string, string, number];

function entriesOf(lines: Line[]): { entry: TimelineEntry; event: MessageEvent }[] {
  return lines.map(([direction, messageType, from, to, clock], index) => {
    const store = messageType === "store";
    const event: MessageEvent = {
      kind: "message",
      direction,
      messageType,
      from,
      to,
      summary: messageType,
      ...(store ? { records: 12, datagrams: 1 } : { messageClock: clock }),
    };
    const daemonId = direction === "sent" ? from : to;
    return { entry: { seq: index + 1, daemonId, at: index, clock, event }, event };
  });
}

const logOf = (lines: Line[]) => ({
  entries: entriesOf(lines).map(({ entry }) => entry),
  states: [],
});

test("writes are a class of their own; gathering is churn, as the rebuild it serves", () => {
  assert.deepEqual(["write", "write-result", "gathered", "store", "reset-id"].map(classOf), [
    "write",
    "write",
    "churn",
    "build",
    "churn",
  ]);
  assert.deepEqual(MESSAGE_CLASSES, ["manager", "build", "query", "write", "churn"]);
});

test("a write and its acknowledgement are drawn as writes", () => {
  const log = logOf([
    ["sent", "write", "zeta", "gamma", 10],
    ["received", "write", "zeta", "gamma", 11],
    ["sent", "write", "gamma", "delta", 12],
    ["received", "write", "gamma", "delta", 13],
    ["sent", "write-result", "delta", "zeta", 14],
    ["received", "write-result", "delta", "zeta", 15],
  ]);
  assert.deepEqual(
    diagramAt(log, Number.MAX_SAFE_INTEGER).arrows.map(
      (arrow) => `${arrow.messageType} ${arrow.messageClass}`,
    ),
    ["write write", "write write", "write-result write"],
  );
});

// beta gathers its records at the new leader alpha (stores, then gathered), and alpha then
// stores the renumbered ring (stores, then count) on the same link the other way.
const REBUILD: Line[] = [
  ["sent", "store", "beta", "alpha", 30],
  ["sent", "gathered", "beta", "alpha", 31],
  ["received", "store", "beta", "alpha", 32],
  ["received", "gathered", "beta", "alpha", 33],
  ["sent", "store", "alpha", "beta", 40],
  ["sent", "count", "alpha", "beta", 41],
  ["received", "store", "alpha", "beta", 42],
  ["received", "count", "alpha", "beta", 43],
];

test("the store summaries right before a gathered on their link are gathered ones", () => {
  const messages = entriesOf(REBUILD);
  assert.deepEqual(
    gatheredStores(messages).map(({ entry }) => entry.seq),
    [1, 3],
  );
});

test("a gathered store is drawn as churn, a build's stores stay builds", () => {
  const arrows = diagramAt(logOf(REBUILD), Number.MAX_SAFE_INTEGER).arrows;
  assert.deepEqual(
    arrows.map((arrow) => [arrow.messageType, arrow.from, arrow.messageClass, arrow.gather]),
    [
      ["store", "beta", "churn", true],
      ["gathered", "beta", "churn", false],
      ["store", "alpha", "build", false],
      ["count", "alpha", "build", false],
    ],
  );
});

test("another message between a store and a gathered on the link ends the store's run", () => {
  const messages = entriesOf([
    ["sent", "store", "beta", "alpha", 30],
    ["sent", "count", "beta", "alpha", 31],
    ["sent", "gathered", "beta", "alpha", 32],
  ]);
  assert.deepEqual(gatheredStores(messages), []);
});
