/** Client frame validation, the event hub and store progress of the control channel. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseClientFrame } from "../../../src/observe/events.ts";
import { EventHub } from "../../../src/observe/hub.ts";
import { StoreProgress } from "../../../src/observe/progress.ts";

test("a command frame is accepted", () => {
  assert.deepEqual(parseClientFrame('{"type":"command","requestId":"a","line":"status"}'), {
    kind: "command",
    frame: { type: "command", requestId: "a", line: "status" },
  });
  assert.equal(parseClientFrame('{"type":"command","requestId":3,"line":""}').kind, "command");
});

test("malformed frames are explained, keeping the request id when there is one", () => {
  assert.deepEqual(parseClientFrame("{"), {
    kind: "malformed",
    requestId: null,
    error: "frame is not JSON",
  });
  for (const text of [
    "null",
    "[]",
    '{"type":"command","requestId":1}',
    '{"type":"command","requestId":1,"line":7}',
    '{"type":"other","requestId":1,"line":"x"}',
    '{"type":"command","requestId":1,"line":"x","extra":true}',
    '{"type":"command","requestId":1.5,"line":"x"}',
  ]) {
    const parsed = parseClientFrame(text);
    assert.equal(parsed.kind, "malformed", text);
    if (parsed.kind === "malformed") assert.match(parsed.error, /^not a command frame/);
  }
  const kept = parseClientFrame('{"type":"command","requestId":"r9","line":false}');
  assert.equal(kept.kind === "malformed" && kept.requestId, "r9");
});

test("the hub stamps events with time and clock, only while observed", () => {
  let clock = 5;
  const hub = new EventHub(
    () => clock,
    () => 1000,
  );
  assert.equal(hub.active, false);
  const seen: unknown[] = [];
  const stop = hub.observe((published) => seen.push(published));
  hub.publish({ kind: "console", line: "one" });
  clock = 9;
  hub.publish({ kind: "console", line: "two" });
  stop();
  hub.publish({ kind: "console", line: "unseen" });
  assert.deepEqual(seen, [
    { at: 1000, clock: 5, event: { kind: "console", line: "one" } },
    { at: 1000, clock: 9, event: { kind: "console", line: "two" } },
  ]);
});

test("store progress is rate-limited and always reports the end", () => {
  let now = 0;
  const reports: [number, number][] = [];
  const progress = new StoreProgress(
    1000,
    (stored, total) => reports.push([stored, total]),
    100,
    () => now,
  );
  for (let batch = 0; batch < 100; batch += 1) {
    progress.add(10);
    now += 5;
  }
  assert.equal(progress.done, true);
  assert.ok(reports.length <= 6, JSON.stringify(reports));
  assert.deepEqual(reports[0], [10, 1000]);
  assert.deepEqual(reports.at(-1), [1000, 1000]);
  progress.add(10);
  assert.deepEqual(reports.at(-1), [1000, 1000]);
  assert.equal(reports.filter(([stored]) => stored === 1000).length, 1);
});

test("inspect and faults frames are told by their type and checked as such", () => {
  assert.deepEqual(parseClientFrame('{"type":"inspect","requestId":1}'), {
    kind: "inspect",
    frame: { type: "inspect", requestId: 1 },
  });
  assert.equal(
    parseClientFrame('{"type":"inspect","requestId":1,"eventId":5536849}').kind,
    "inspect",
  );
  const faults = parseClientFrame(
    '{"type":"faults","requestId":"f","loss":0.2,"dropNext":{"ip":"127.0.0.1","port":5004}}',
  );
  assert.deepEqual(faults, {
    kind: "faults",
    frame: {
      type: "faults",
      requestId: "f",
      loss: 0.2,
      dropNext: { ip: "127.0.0.1", port: 5004 },
    },
  });
  for (const [text, what] of [
    ['{"type":"inspect","requestId":2,"eventId":-1}', /^not an inspect frame/],
    ['{"type":"faults","requestId":3,"loss":0.6}', /^not a faults frame/],
    ['{"type":"faults","requestId":4,"dropNext":{"ip":"x","port":0}}', /^not a faults frame/],
  ] as const) {
    const parsed = parseClientFrame(text);
    assert.equal(parsed.kind, "malformed", text);
    if (parsed.kind === "malformed") {
      assert.match(parsed.error, what);
      assert.notEqual(parsed.requestId, null, "the request id is kept for the answer");
    }
  }
});
