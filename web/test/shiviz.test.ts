import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DaemonEvent, TimelineEntry } from "../src/api/types.ts";
import { appendEntries, EMPTY_LOG } from "../src/model/log.ts";
import { SHIVIZ_REGEX, shivizLog } from "../src/model/shiviz.ts";

let seq = 0;
function message(
  daemonId: string,
  direction: "sent" | "received",
  from: string,
  to: string,
  messageType: string,
  messageClock: number,
  clock: number,
): TimelineEntry {
  seq += 1;
  const event: DaemonEvent = {
    kind: "message",
    direction,
    messageType,
    from,
    to,
    messageClock,
    summary: `${messageType} ${from}`,
  };
  return { seq, daemonId, at: seq, clock, event };
}

describe("shivizLog", () => {
  it("writes an event per send and receipt with vector clocks ShiViz accepts", () => {
    // alpha registers (the manager replies), then sends bravo a find-event that is lost
    // once and resent; only the resend arrives.
    const log = appendEntries(EMPTY_LOG, [
      message("peer-1", "sent", "alpha", "manager", "register", 1, 1),
      message("manager", "received", "alpha", "manager", "register", 1, 2),
      message("manager", "sent", "manager", "alpha", "reply", 3, 3),
      message("peer-1", "received", "manager", "alpha", "reply", 3, 4),
      message("peer-1", "sent", "alpha", "bravo", "find-event", 5, 5),
      message("peer-1", "sent", "alpha", "bravo", "find-event", 5, 5),
      message("peer-2", "received", "alpha", "bravo", "find-event", 5, 6),
    ]);
    const lines = shivizLog(log).trimEnd().split("\n");
    assert.equal(lines[0], SHIVIZ_REGEX);
    assert.equal(lines[1], "", "one execution: no delimiter");
    const events: [string, string, Record<string, number>][] = [];
    for (let index = 2; index < lines.length; index += 2) {
      const [host, ...clock] = (lines[index + 1] ?? "").split(" ");
      events.push([lines[index] ?? "", host ?? "", JSON.parse(clock.join(" "))]);
    }
    assert.deepEqual(events, [
      ["alpha sends register to manager: register alpha", "alpha", { alpha: 1 }],
      ["manager receives register from alpha", "manager", { alpha: 1, manager: 1 }],
      ["manager sends reply to alpha: reply manager", "manager", { alpha: 1, manager: 2 }],
      ["alpha receives reply from manager", "alpha", { alpha: 2, manager: 2 }],
      ["alpha sends find-event to bravo: find-event alpha", "alpha", { alpha: 3, manager: 2 }],
      ["alpha sends find-event to bravo: find-event alpha", "alpha", { alpha: 4, manager: 2 }],
      ["bravo receives find-event from alpha", "bravo", { alpha: 4, manager: 2, bravo: 1 }],
    ]);
    // ShiViz's own rule: each host's entry counts its events 1, 2, 3, ...
    const byHost = new Map<string, number>();
    for (const [, host, clock] of events) {
      const next = (byHost.get(host) ?? 0) + 1;
      byHost.set(host, next);
      assert.equal(clock[host], next);
    }
    // Its parser, as a JS regexp over the events, finds every one.
    const parser = new RegExp(SHIVIZ_REGEX, "g");
    assert.equal([...lines.slice(2).join("\n").matchAll(parser)].length, events.length);
  });
});
