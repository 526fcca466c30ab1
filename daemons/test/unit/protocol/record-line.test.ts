import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDetails } from "../../../src/data/csv-loader.ts";
import {
  encodedLineBytes,
  eventIdOfLine,
  fromRecordLine,
  toRecordLine,
} from "../../../src/protocol/record-line.ts";
import { SHELBY_TORNADO } from "../../support/sample-record.ts";

test("a record line round-trips and yields its event id without splitting", () => {
  const line = toRecordLine(SHELBY_TORNADO);
  assert.deepEqual(fromRecordLine(line), SHELBY_TORNADO);
  assert.equal(eventIdOfLine(line), 5_536_849);
});

test("encodedLineBytes is the exact size the line takes in a JSON array, comma included", () => {
  const plain = toRecordLine(SHELBY_TORNADO);
  const awkward = toRecordLine([
    "1",
    'SAY "HI"',
    "back\\slash",
    "CAÑÓN",
    "\u0001",
    ...SHELBY_TORNADO.slice(5),
  ]);
  for (const line of [plain, awkward]) {
    assert.equal(encodedLineBytes(line), Buffer.byteLength(JSON.stringify(line)) + 1, line);
  }
});

test("the loader refuses a value containing a tab, the field separator on the wire", () => {
  const text = `event_id,state,year,month_name,event_type,cz_type,cz_name,injuries_direct,injuries_indirect,deaths_direct,deaths_indirect,damage_property,damage_crops,tor_f_scale
1,TEXAS,1990,May,Hail,C,TAB\tCOUNTY,0,0,0,0,0,0,
2,TEXAS,1990,May,Hail,C,PLAIN,0,0,0,0,0,0,
`;
  const { records, problems } = parseDetails(text);
  assert.deepEqual(
    records.map((loaded) => loaded[0]),
    ["2"],
  );
  assert.equal(problems[0]?.line, 2);
  assert.match(problems[0]?.message ?? "", /cz name contains a tab/);
});
