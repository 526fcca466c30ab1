/**
 * The years the project ships in data/ (details-YYYY.csv.gz): each loads with the data
 * README's count and no problem, is a deterministic gzip (`gzip -9 -n`: no file name, time
 * 0), and, where the course's reference copy is beside the repository (../shared/data in
 * development and CI), is byte for byte that file once gunzipped.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadYear } from "../../daemons/src/data/csv-loader.ts";
import {
  SHARED_DATA_DIR,
  SHIPPED_YEARS,
  shippedCsv,
  shippedFile,
  TEST_DATA_DIR,
} from "../../daemons/test/support/paths.ts";
import { COURSE_YEAR_COUNTS } from "../../daemons/test/support/sample-record.ts";
import { listYears } from "../src/years.ts";

test("data/ ships the seven course years as .csv.gz", async () => {
  // A user may have fetched more years into data/; the shipped ones must all be listed.
  const listed = await listYears(TEST_DATA_DIR);
  for (const year of SHIPPED_YEARS) assert.ok(listed.includes(year), year);
  for (const year of SHIPPED_YEARS) {
    assert.ok(existsSync(shippedFile(year)), shippedFile(year));
    const { records, problems } = await loadYear(TEST_DATA_DIR, year);
    assert.deepEqual(problems, [], year);
    assert.equal(records.length, COURSE_YEAR_COUNTS[year], year);
  }
});

test("each shipped file is a gzip with no name and no time (gzip -9 -n)", () => {
  for (const year of SHIPPED_YEARS) {
    const bytes = readFileSync(shippedFile(year));
    assert.deepEqual([bytes[0], bytes[1], bytes[2]], [0x1f, 0x8b, 8], `${year}: gzip, deflate`);
    assert.equal((bytes[3] ?? 0) & 0x08, 0, `${year}: no FNAME`);
    assert.equal(bytes.readUInt32LE(4), 0, `${year}: mtime 0`);
  }
});

const shared = existsSync(join(SHARED_DATA_DIR, "details-1996.csv"));

test("each shipped file is the reference copy byte for byte once gunzipped", {
  skip: shared ? false : `no reference copy at ${SHARED_DATA_DIR}`,
}, () => {
  for (const year of SHIPPED_YEARS) {
    const reference = readFileSync(join(SHARED_DATA_DIR, `details-${year}.csv`));
    const shipped = shippedCsv(year);
    assert.equal(shipped.length, reference.length, `${year}: size`);
    assert.ok(shipped.equals(reference), `${year}: bytes differ`);
  }
});
