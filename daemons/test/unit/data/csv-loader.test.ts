import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import {
  detailsFileFor,
  detailsFileName,
  loadYear,
  MissingDataError,
  parseDetails,
} from "../../../src/data/csv-loader.ts";
import { StormTable } from "../../../src/data/hash-table.ts";
import { tableSizeFor } from "../../../src/data/hashing.ts";
import { YearCache } from "../../../src/data/year-cache.ts";
import type { StormRecord } from "../../../src/protocol/messages.ts";
import { fromRecordLine, toRecordLine } from "../../../src/protocol/record-line.ts";
import { detailsText } from "../../support/independent.ts";
import { TEST_DATA_DIR } from "../../support/paths.ts";
import { COURSE_YEAR_COUNTS } from "../../support/sample-record.ts";

const HEADER =
  "EVENT_ID,STATE,YEAR,MONTH_NAME,EVENT_TYPE,CZ_TYPE,CZ_NAME,INJURIES_DIRECT," +
  "INJURIES_INDIRECT,DEATHS_DIRECT,DEATHS_INDIRECT,DAMAGE_PROPERTY,DAMAGE_CROPS,TOR_F_SCALE";

/** A valid data line for `eventId`, with `czName` as written (quotes included). */
function dataLine(eventId: string, czName = "DALLAS", torFScale = "F1"): string {
  return `${eventId},TEXAS,1996,May,Tornado,C,${czName},0,0,0,0,10K,0,${torFScale}`;
}

test("all seven real files load with the README's counts and no problems", async () => {
  for (const [year, count] of Object.entries(COURSE_YEAR_COUNTS)) {
    const { records, problems } = await loadYear(TEST_DATA_DIR, year);
    assert.deepEqual(problems, [], `problems in ${year}`);
    assert.equal(records.length, count, `records in ${year}`);
    for (const record of records) {
      assert.equal(record.length, 14);
      assert.ok(
        record.every((value) => !/[\r\n]/.test(value)),
        `line end kept in ${year} ${record}`,
      );
    }
  }
});

/**
 * The variants of a real file that the loader must read alike (data/README.md): built here
 * from whichever 1990 file the tests read, so they do not rely on how that file is written.
 */
test("CRLF, an upper-case header, no final newline and an empty last field give the same records", async () => {
  const original = detailsText(join(TEST_DATA_DIR, "details-1990.csv"));
  const [header = "", ...lines] = original.split(/\r?\n/);
  while (lines.at(-1) === "") lines.pop();
  assert.ok(lines.length > 1000, "a real year's worth of lines");
  // The last line's last field (tor_f_scale) emptied: the file then ends on a comma.
  const emptied = [...lines.slice(0, -1), (lines.at(-1) ?? "").replace(/,[^,]*$/, ",")];
  const lower = header.toLowerCase();
  const upper = header.toUpperCase();
  const variants: Record<string, string> = {
    "LF, lower-case header": `${[lower, ...emptied].join("\n")}\n`,
    CRLF: `${[lower, ...emptied].join("\r\n")}\r\n`,
    "upper-case header": `${[upper, ...emptied].join("\n")}\n`,
    "no final newline": [lower, ...emptied].join("\n"),
    "CRLF, upper-case header, no final newline": [upper, ...emptied].join("\r\n"),
  };
  const dir = await mkdtemp(join(tmpdir(), "stormring-quirks-"));
  try {
    const asIs = await loadYear(TEST_DATA_DIR, "1990");
    let reference: StormRecord[] | undefined;
    for (const [name, text] of Object.entries(variants)) {
      const variantDir = join(dir, name.replace(/[^a-z]+/gi, "-"));
      await mkdir(variantDir);
      await writeFile(join(variantDir, "details-1990.csv"), text, "latin1");
      const { records, problems } = await loadYear(variantDir, "1990");
      assert.deepEqual(problems, [], name);
      assert.equal(records.length, COURSE_YEAR_COUNTS["1990"], name);
      assert.ok(
        records.every((record) => record.every((value) => !/[\r\n]/.test(value))),
        `no line end kept (${name})`,
      );
      const last = records.at(-1);
      assert.equal(last?.length, 14, name);
      assert.equal(last?.[13], "", `the emptied last field (${name})`);
      if (reference === undefined) reference = records;
      else assert.deepEqual(records, reference, `${name} reads as the LF file`);
    }
    // Apart from the emptied field, the variants hold the real file's records.
    assert.deepEqual(reference?.slice(0, -1), asIs.records.slice(0, -1));
    assert.deepEqual(reference?.at(-1)?.slice(0, 13), asIs.records.at(-1)?.slice(0, 13));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the acceptance demo's events of 1996 are found, and the absent ones are not", async () => {
  const { records } = await loadYear(TEST_DATA_DIR, "1996");
  const table = new StormTable(tableSizeFor(records.length));
  table.insertMany(records.map(toRecordLine));
  const find = (eventId: number) => {
    const line = table.find(eventId);
    return line === undefined ? undefined : fromRecordLine(line);
  };
  const shelby = find(5_536_849);
  assert.deepEqual([shelby?.[1], shelby?.[6], shelby?.[4]], ["ALABAMA", "SHELBY", "Tornado"]);
  const greenlee = find(5_539_287);
  assert.deepEqual(
    [greenlee?.[1], greenlee?.[6], greenlee?.[4], greenlee?.[7]],
    ["ARIZONA", "NORTHERN GREENLEE", "Tornado", "17"],
  );
  assert.equal(table.find(2_402_920), undefined);
  assert.equal(table.find(55_770_111), undefined);
});

test("malformed lines are reported by line number and skipped; good lines load", () => {
  const text = [
    HEADER,
    dataLine("1", '"DALLAS, NORTH"', ""),
    "2,TEXAS,1996,May,Tornado,C,DALLAS,0,0,0,0,10K,0",
    "",
    dataLine("x3"),
    dataLine("-4"),
    dataLine("5"),
  ].join("\r\n");
  const { records, problems } = parseDetails(text);
  assert.deepEqual(
    records.map((record) => record[0]),
    ["1", "5"],
  );
  assert.equal(records[0]?.[6], "DALLAS, NORTH");
  assert.equal(records[0]?.[13], "");
  assert.equal(records[1]?.[13], "F1");
  assert.deepEqual(problems, [
    { line: 3, message: "expected 14 fields, found 13" },
    { line: 5, message: 'event id "x3" is not a non-negative integer' },
    { line: 6, message: 'event id "-4" is not a non-negative integer' },
  ]);
});

test("LF, CRLF and a mix of both give the same records", () => {
  const lines = [HEADER, dataLine("1"), dataLine("2"), dataLine("3", '"A ""B"" C"')];
  const lf = parseDetails(`${lines.join("\n")}\n`);
  const crlf = parseDetails(lines.join("\r\n"));
  const mixed = parseDetails(`${lines[0]}\n${lines[1]}\r\n${lines[2]}\n\n${lines[3]}\r\n`);
  assert.deepEqual(lf.problems, []);
  assert.equal(lf.records.length, 3);
  assert.equal(lf.records[2]?.[6], 'A "B" C');
  assert.deepEqual(crlf, lf);
  assert.deepEqual(mixed, lf);
  assert.deepEqual(parseDetails(Buffer.from(`\ufeff${lines.join("\n")}`)), lf);
});

test("a duplicate event id keeps the first record and reports the later ones", () => {
  const text = [HEADER, dataLine("7", "FIRST"), dataLine("8"), dataLine("007", "SECOND")].join(
    "\n",
  );
  const { records, problems } = parseDetails(text);
  assert.deepEqual(
    records.map((record) => record[6]),
    ["FIRST", "DALLAS"],
  );
  assert.deepEqual(problems, [
    { line: 4, message: "duplicate event id 7 (first on line 2, kept)" },
  ]);
});

test("line numbers count the lines inside quoted values", () => {
  const text = [
    HEADER,
    dataLine("1", '"TWO\r\nLINES"'),
    `2,"BROKEN\r\nRECORD",x`,
    dataLine("y3"),
  ].join("\r\n");
  const { records, problems } = parseDetails(text);
  assert.equal(records[0]?.[6], "TWO\r\nLINES");
  assert.deepEqual(problems, [
    { line: 4, message: "expected 14 fields, found 3" },
    { line: 6, message: 'event id "y3" is not a non-negative integer' },
  ]);
});

test("an unclosed quote loses only the rest of the file, and says where it starts", () => {
  const text = [HEADER, dataLine("1"), "", dataLine("2", '"OPEN'), dataLine("3")].join("\n");
  const { records, problems } = parseDetails(text);
  assert.deepEqual(
    records.map((record) => record[0]),
    ["1"],
  );
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.line, 4);
  assert.match(problems[0]?.message ?? "", /never closed/);
});

test("a value too long for a store message is reported, not loaded", () => {
  const text = [HEADER, dataLine("1", "X".repeat(513)), dataLine("2", "X".repeat(512))].join("\n");
  const { records, problems } = parseDetails(text);
  assert.deepEqual(
    records.map((record) => record[0]),
    ["2"],
  );
  assert.deepEqual(problems, [
    { line: 2, message: "cz name is 513 characters long (at most 512 fit in a store message)" },
  ]);
});

test("a wrong header is reported on line 1 and the data lines are still checked one by one", () => {
  const headerless = parseDetails([dataLine("1"), dataLine("2")].join("\n"));
  assert.deepEqual(
    headerless.records.map((record) => record[0]),
    ["2"],
  );
  assert.deepEqual(headerless.problems, [
    {
      line: 1,
      message: 'expected a header of 14 columns starting with event_id, found 14 starting with "1"',
    },
  ]);
  const shortHeader = parseDetails(`\n\nevent_id,state\n${dataLine("1")}\n`);
  assert.equal(shortHeader.records.length, 1);
  assert.equal(shortHeader.problems[0]?.line, 3);
  assert.deepEqual(parseDetails("\r\n\r\n"), {
    records: [],
    problems: [{ line: 1, message: "no header line: the file has no data" }],
  });
});

test("loadYear names the missing file and how to get data", async () => {
  assert.equal(detailsFileName("1997"), "details-1997.csv");
  const expectedFile = join(TEST_DATA_DIR, "details-1997.csv");
  await assert.rejects(loadYear(TEST_DATA_DIR, "1997"), (error: unknown) => {
    assert.ok(error instanceof MissingDataError);
    assert.equal(error.file, expectedFile);
    assert.equal(
      error.message,
      `no storm data for 1997: ${expectedFile} does not exist (nor details-1997.csv.gz) ` +
        "(get it with: npm run data -- fetch 1997 --out <data folder>; see data/README.md)",
    );
    return true;
  });
});

test("details-YYYY.csv.gz is read when there is no details-YYYY.csv; the plain file wins", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "stormring-gz-"));
  try {
    const gzipped = [HEADER, dataLine("1"), dataLine("2")].join("\r\n");
    await writeFile(join(dataDir, "details-1996.csv.gz"), gzipSync(gzipped));
    assert.equal(await detailsFileFor(dataDir, "1996"), join(dataDir, "details-1996.csv.gz"));
    const cache = new YearCache(dataDir);
    const fromGzip = await cache.load("1996");
    const parsed = await loadYear(dataDir, "1996");
    // The cache holds the parsed records as their lines.
    assert.deepEqual(fromGzip, { ...parsed, records: parsed.records.map(toRecordLine) });
    assert.deepEqual(
      fromGzip.records.map((line) => fromRecordLine(line)[0]),
      ["1", "2"],
    );
    // A plain copy made beside the shipped one (fetch or convert without --gzip) is read.
    await writeFile(join(dataDir, "details-1996.csv"), `${HEADER}\n${dataLine("3")}\n`);
    assert.equal(await detailsFileFor(dataDir, "1996"), join(dataDir, "details-1996.csv"));
    assert.deepEqual(
      (await cache.load("1996")).records.map((line) => fromRecordLine(line)[0]),
      ["3"],
    );
  } finally {
    await rm(dataDir, { recursive: true });
  }
});

test("a details-YYYY.csv.gz that is not gzip is reported as such", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "stormring-gz-"));
  try {
    await writeFile(join(dataDir, "details-1951.csv.gz"), `${HEADER}\n${dataLine("1")}\n`);
    await assert.rejects(loadYear(dataDir, "1951"), (error: unknown) => {
      assert.ok(error instanceof MissingDataError);
      assert.match(error.message, /details-1951\.csv\.gz is not valid gzip/);
      return true;
    });
  } finally {
    await rm(dataDir, { recursive: true });
  }
});

test("loadYear reports a data file it cannot read", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "stormring-data-"));
  try {
    await mkdir(join(dataDir, "details-2001.csv"));
    await assert.rejects(loadYear(dataDir, "2001"), (error: unknown) => {
      assert.ok(error instanceof MissingDataError);
      assert.match(error.message, /details-2001\.csv is a directory/);
      return true;
    });
  } finally {
    await rm(dataDir, { recursive: true });
  }
});

test("loadYear refuses a year that is not four digits", async () => {
  for (const year of ["96", "19960", "abcd", "../1996", ""]) {
    await assert.rejects(
      loadYear(TEST_DATA_DIR, year),
      (error: unknown) => {
        assert.ok(error instanceof Error && !(error instanceof MissingDataError));
        assert.match(error.message, /four digits/);
        return true;
      },
      JSON.stringify(year),
    );
  }
});
