import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { loadYear } from "../../daemons/src/data/csv-loader.ts";
import { NOAA_SAMPLE as SAMPLE } from "../../daemons/test/support/paths.ts";
import {
  convertFile,
  csvField,
  NOAA_COLUMNS,
  OUTPUT_HEADER,
  yearFromFileName,
} from "../src/convert.ts";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "stormring-convert-"));
  dirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

type Row = Record<string, string>;
const sampleRows = async (): Promise<Row[]> =>
  parse(await readFile(SAMPLE), { columns: true, bom: true }) as Row[];

test("convert writes the 14 fields of every sample record, field by field", async () => {
  const source = await sampleRows();
  // data/README says 48 events; the file itself holds 49 data lines (all distinct ids).
  assert.equal(source.length, 49);
  const out = await tempDir();
  const result = await convertFile(SAMPLE, { outDir: out });
  assert.equal(result.year, "2007");
  assert.equal(result.records, source.length);
  assert.equal(result.file, join(out, "details-2007.csv"));
  assert.deepEqual(await readdir(out), ["details-2007.csv"]);

  const text = await readFile(result.file, "utf8");
  assert.ok(!text.includes("\r"), "LF line ends only");
  assert.ok(!text.includes("\t"), "no tabs");
  assert.equal(text.split("\n")[0], OUTPUT_HEADER);
  const written = parse(text, { columns: true }) as Row[];
  assert.equal(written.length, source.length);
  for (const [index, row] of written.entries()) {
    const from = source[index] as Row;
    assert.equal(Object.keys(row).length, 14);
    for (const column of NOAA_COLUMNS) {
      assert.equal(row[column.toLowerCase()], from[column], `record ${index + 1} ${column}`);
    }
  }
});

test("gzipOutput writes details-YYYY.csv.gz: the same bytes once gunzipped, deterministic", async () => {
  const plain = await tempDir();
  const zipped = await tempDir();
  const plainResult = await convertFile(SAMPLE, { outDir: plain });
  const result = await convertFile(SAMPLE, { outDir: zipped, gzipOutput: true });
  assert.equal(result.file, join(zipped, "details-2007.csv.gz"));
  assert.deepEqual(await readdir(zipped), ["details-2007.csv.gz"]);
  const bytes = await readFile(result.file);
  assert.deepEqual(gunzipSync(bytes), await readFile(plainResult.file));
  // No file name, time 0: converting again gives the same bytes.
  assert.equal(bytes.readUInt32LE(4), 0, "gzip mtime 0");
  await convertFile(SAMPLE, { outDir: zipped, gzipOutput: true });
  assert.deepEqual(await readFile(result.file), bytes);
  assert.deepEqual(await loadYear(zipped, "2007"), await loadYear(plain, "2007"));
});

test("a narrative with commas does not shift the columns", async () => {
  const source = await sampleRows();
  const withCommas = source.find((row) => (row.EVENT_NARRATIVE ?? "").includes(","));
  assert.ok(withCommas, "the sample has a narrative with commas");
  const out = await tempDir();
  await convertFile(SAMPLE, { outDir: out });
  const lines = (await readFile(join(out, "details-2007.csv"), "utf8")).trimEnd().split("\n");
  const line = lines.find((text) => text.startsWith(`${withCommas.EVENT_ID},`));
  assert.ok(line);
  // None of the 14 values of the sample needs quoting, so a plain split is exact.
  const fields = line.split(",");
  assert.equal(fields.length, 14);
  assert.equal(fields[1], withCommas.STATE);
  assert.equal(fields[6], withCommas.CZ_NAME);
  assert.equal(fields[12], withCommas.DAMAGE_CROPS);
  assert.equal(fields[13], withCommas.TOR_F_SCALE);
});

test("the output loads with the daemons' loadYear, no problems, same event ids", async () => {
  const source = await sampleRows();
  const out = await tempDir();
  await convertFile(SAMPLE, { outDir: out });
  const { records, problems } = await loadYear(out, "2007");
  assert.deepEqual(problems, []);
  assert.deepEqual(
    records.map((record) => record[0]),
    source.map((row) => row.EVENT_ID),
  );
});

test("a gzip input (.csv.gz) gives the same file", async () => {
  const plain = await tempDir();
  await convertFile(SAMPLE, { outDir: plain });
  const work = await tempDir();
  const gz = join(work, "StormEvents_details-ftp_v1.0_d2007_c20240216.csv.gz");
  await writeFile(gz, gzipSync(await readFile(SAMPLE)));
  const out = join(work, "out");
  const result = await convertFile(gz, { outDir: out });
  assert.equal(
    await readFile(result.file, "utf8"),
    await readFile(join(plain, "details-2007.csv"), "utf8"),
  );
});

/** A NOAA-format file with the given rows (values by column name; the rest empty). */
function noaaFile(rows: Row[]): string {
  const header = (
    "BEGIN_YEARMONTH,EVENT_ID,STATE,YEAR,MONTH_NAME,EVENT_TYPE,CZ_TYPE,CZ_NAME,INJURIES_DIRECT," +
    "INJURIES_INDIRECT,DEATHS_DIRECT,DEATHS_INDIRECT,DAMAGE_PROPERTY,DAMAGE_CROPS,TOR_F_SCALE," +
    "EVENT_NARRATIVE"
  ).split(",");
  const quote = (value: string): string => `"${value.replaceAll('"', '""')}"`;
  return [
    header.join(","),
    ...rows.map((row) => header.map((column) => quote(row[column] ?? "")).join(",")),
  ].join("\r\n");
}

test("tabs and line breaks become spaces; commas and quotes are quoted", async () => {
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("a\tb\r\nc\nd"), "a b c d");
  const dir = await tempDir();
  const file = join(dir, "noaa-1999.csv");
  await writeFile(
    file,
    noaaFile([
      {
        EVENT_ID: "1",
        STATE: "TEXAS",
        YEAR: "1999",
        CZ_NAME: "A\tB\nC",
        EVENT_NARRATIVE: "x\ny, z",
      },
      { EVENT_ID: "2", STATE: "OHIO", YEAR: "1999", CZ_NAME: 'FAR "WEST", NORTH' },
    ]),
  );
  const out = join(dir, "out");
  const result = await convertFile(file, { outDir: out });
  assert.equal(result.records, 2);
  const { records, problems } = await loadYear(out, "1999");
  assert.deepEqual(problems, []);
  assert.equal(records[0]?.[6], "A B C");
  assert.equal(records[1]?.[6], 'FAR "WEST", NORTH');
});

test("an empty NOAA file takes its year from the file name", async () => {
  assert.equal(yearFromFileName("StormEvents_details-ftp_v1.0_d1951_c20210803.csv.gz"), "1951");
  const dir = await tempDir();
  const file = join(dir, "StormEvents_details-ftp_v1.0_d1951_c20210803.csv");
  await writeFile(file, noaaFile([]));
  const result = await convertFile(file, { outDir: join(dir, "out") });
  assert.equal(result.year, "1951");
  assert.equal(result.records, 0);
  assert.equal(await readFile(result.file, "utf8"), `${OUTPUT_HEADER}\n`);
});

test("bad input fails clearly and leaves nothing in the output folder", async () => {
  const dir = await tempDir();
  const cases: [string, string, RegExp][] = [
    ["no-columns-2001.csv", "A,B\n1,2\n", /header lacks EVENT_ID, STATE/],
    [
      "mixed-2001.csv",
      noaaFile([
        { EVENT_ID: "1", YEAR: "2001" },
        { EVENT_ID: "2", YEAR: "2002" },
      ]),
      /one file must hold one year/,
    ],
    ["unclosed-2001.csv", `${noaaFile([{ EVENT_ID: "1", YEAR: "2001" }])}\n"3,`, /unreadable CSV/],
  ];
  for (const [name, content, message] of cases) {
    const file = join(dir, name);
    await writeFile(file, content);
    const out = join(dir, `out-${name}`);
    await assert.rejects(convertFile(file, { outDir: out }), message);
    assert.deepEqual(await readdir(out), [], name);
  }
  await assert.rejects(convertFile(join(dir, "absent.csv"), { outDir: dir }), /cannot read/);
});
