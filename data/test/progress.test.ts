import assert from "node:assert/strict";
import { test } from "node:test";
import { formatProgress, progressLine } from "../src/progress.ts";

const state = { records: 1234, bytesRead: 512 * 1024, totalBytes: 1024 * 1024 };

test("progress is drawn only on a TTY, at most every 250 ms", () => {
  const written: string[] = [];
  let time = 0;
  const quiet = progressLine({ isTTY: false, write: (text) => written.push(text) }, "x");
  quiet.update(state);
  quiet.clear();
  assert.equal(written.length, 0);

  const line = progressLine({ isTTY: true, write: (text) => written.push(text) }, "2007", {
    bar: true,
    now: () => time,
  });
  line.update(state);
  time = 100;
  line.update(state);
  time = 300;
  line.update(state);
  assert.equal(written.length, 2);
  assert.match(
    written[0] ?? "",
    /2007 \[#{12}-{12}\] {2}50% 512\.0 KiB of 1\.0 MiB, 1,234 records/,
  );
  line.clear();
  assert.equal(written.length, 3);
});

test("formatProgress without a known total or without a bar", () => {
  assert.equal(
    formatProgress("f", { ...state, totalBytes: undefined }, false),
    "f: 1,234 records, 512.0 KiB read",
  );
  assert.equal(formatProgress("f", state, false), "f: 1,234 records, 512.0 KiB of 1.0 MiB (50%)");
});
