import assert from "node:assert/strict";
import { test } from "node:test";
import {
  eventIdOf,
  FIELD_COUNT,
  FIELD_LABELS,
  formatRecord,
  parseEventId,
} from "../../../src/data/records.ts";
import { SHELBY_TORNADO } from "../../support/sample-record.ts";

test("the 14 field labels follow the protocol's column order", () => {
  assert.equal(FIELD_COUNT, 14);
  assert.deepEqual(FIELD_LABELS, [
    "event id",
    "state",
    "year",
    "month name",
    "event type",
    "cz type",
    "cz name",
    "injuries direct",
    "injuries indirect",
    "deaths direct",
    "deaths indirect",
    "damage property",
    "damage crops",
    "tor f scale",
  ]);
});

test("formatRecord prints one labelled line per field, empty values included", () => {
  const lines = formatRecord(SHELBY_TORNADO);
  assert.equal(lines.length, 14);
  assert.equal(lines[0], "event id: 5536849");
  assert.equal(lines[6], "cz name: SHELBY");
  assert.equal(lines[11], "damage property: 10K");
  assert.equal(lines[13], "tor f scale: ");
});

test("eventIdOf reads the first field as a number", () => {
  assert.equal(eventIdOf(SHELBY_TORNADO), 5_536_849);
});

test("parseEventId accepts only plain non-negative decimal integers", () => {
  assert.equal(parseEventId("5536849"), 5_536_849);
  assert.equal(parseEventId("0"), 0);
  assert.equal(parseEventId("007"), 7);
  for (const bad of [
    "",
    " 7",
    "7 ",
    "-1",
    "+1",
    "1.5",
    "1e3",
    "0x1f",
    "abc",
    "99999999999999999",
  ]) {
    assert.equal(parseEventId(bad), undefined, JSON.stringify(bad));
  }
  assert.equal(parseEventId(undefined), undefined);
});
