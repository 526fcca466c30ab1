/**
 * `npm run data -- ensure-test-data` (npm's pretest) offline: a local stand-in for NCEI's
 * csvfiles listing serves NOAA-format gzips generated here from the test years' 14-field
 * files (the NOAA columns filled in, narratives with commas and quotes), and a temporary
 * folder stands in for data/ on a machine without ../shared/data.
 */
import assert from "node:assert/strict";
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { loadYear } from "../../daemons/src/data/csv-loader.ts";
import { TEST_DATA_DIR } from "../../daemons/test/support/paths.ts";
import { runCli } from "../src/commands.ts";
import { convertFile, NOAA_COLUMNS } from "../src/convert.ts";
import {
  CUT_SAMPLE,
  ensureTestData,
  hasSharedData,
  noaaSampleIn,
  SAMPLE_RECORDS,
  TEST_YEARS,
  testDataDir,
} from "../src/test-data.ts";
import { type NoaaFile, type NoaaStandIn, startNoaaStandIn } from "./support/noaa-stand-in.ts";

/** NOAA's 51 columns, as in its yearly details files. */
const NOAA_HEADER = (
  "BEGIN_YEARMONTH,BEGIN_DAY,BEGIN_TIME,END_YEARMONTH,END_DAY,END_TIME,EPISODE_ID,EVENT_ID," +
  "STATE,STATE_FIPS,YEAR,MONTH_NAME,EVENT_TYPE,CZ_TYPE,CZ_FIPS,CZ_NAME,WFO,BEGIN_DATE_TIME," +
  "CZ_TIMEZONE,END_DATE_TIME,INJURIES_DIRECT,INJURIES_INDIRECT,DEATHS_DIRECT,DEATHS_INDIRECT," +
  "DAMAGE_PROPERTY,DAMAGE_CROPS,SOURCE,MAGNITUDE,MAGNITUDE_TYPE,FLOOD_CAUSE,CATEGORY," +
  "TOR_F_SCALE,TOR_LENGTH,TOR_WIDTH,TOR_OTHER_WFO,TOR_OTHER_CZ_STATE,TOR_OTHER_CZ_FIPS," +
  "TOR_OTHER_CZ_NAME,BEGIN_RANGE,BEGIN_AZIMUTH,BEGIN_LOCATION,END_RANGE,END_AZIMUTH," +
  "END_LOCATION,BEGIN_LAT,BEGIN_LON,END_LAT,END_LON,EPISODE_NARRATIVE,EVENT_NARRATIVE,DATA_SOURCE"
).split(",");

const gzName = (year: string): string => `StormEvents_details-ftp_v1.0_d${year}_c20240216.csv.gz`;

const quote = (value: string): string =>
  /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

/** A NOAA-format file of 14-field records: their values in place, the other columns made up. */
function noaaCsv(records: string[][]): string {
  const rows = records.map((record) => {
    const row: Record<string, string> = {
      BEGIN_YEARMONTH: `${record[2]}01`,
      EVENT_NARRATIVE: `Event ${record[0]}, in ${record[1]}: "trees down",\r\npower out.`,
      DATA_SOURCE: "CSV",
    };
    NOAA_COLUMNS.forEach((column, index) => {
      row[column] = record[index] ?? "";
    });
    return NOAA_HEADER.map((column) => quote(row[column] ?? "")).join(",");
  });
  return `${[NOAA_HEADER.join(","), ...rows].join("\r\n")}\r\n`;
}

/** 2007 stand-in: 60 records (ids 7000+), some unsuitable for the sample (a comma in CZ_NAME). */
function noaa2007(base: string[][]): string {
  const records = base.slice(0, 60).map((record, index) => {
    const copy = [...record];
    copy[0] = String(7000 + index);
    copy[2] = "2007";
    if (index % 10 === 3) copy[6] = "FAR WEST, NORTH";
    return copy;
  });
  return noaaCsv(records);
}

/** The NOAA-format gzips by file name: 1950-1952 and the 2007 stand-in. */
const gzips = new Map<string, Buffer>();
const standIns: NoaaStandIn[] = [];
const dirs: string[] = [];
let real: Record<string, string[][]> = {};

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "stormring-test-data-"));
  dirs.push(dir);
  return dir;
}

/**
 * A stand-in listing every test year and 2007; the years data/ already has in these tests
 * (1990-1992, 1996) are listed but absent. `cut` serves that year's gzip cut short.
 */
async function standIn(cut?: string): Promise<NoaaStandIn> {
  const files: Record<string, NoaaFile> = {};
  for (const name of [...TEST_YEARS, "2007"].map(gzName)) {
    const gz = gzips.get(name);
    files[name] = gz === undefined ? 404 : name === cut ? { serve: "cut", body: gz } : gz;
  }
  const started = await startNoaaStandIn(files);
  standIns.push(started);
  return started;
}

before(async () => {
  for (const year of ["1950", "1951", "1952"]) {
    const { records } = await loadYear(TEST_DATA_DIR, year);
    real[year] = records;
    gzips.set(gzName(year), gzipSync(noaaCsv(records)));
  }
  gzips.set(gzName("2007"), gzipSync(noaa2007(real["1950"] ?? [])));
});

after(async () => {
  await Promise.all(standIns.map((each) => each.close()));
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  real = {};
});

/** Captured output, and the streams that write into it. */
function io() {
  const out = {
    stdout: "",
    stderr: "",
    streams: {
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { write: (text: string) => (out.stderr += text) },
    },
  };
  return out;
}

/** A data folder that already holds the big years (copies in a temp folder, never in the repo). */
async function targetWithBigYears(): Promise<string> {
  const target = await tempDir();
  for (const year of ["1990", "1991", "1992", "1996"]) {
    await copyFile(join(TEST_DATA_DIR, `details-${year}.csv`), join(target, `details-${year}.csv`));
  }
  return target;
}

test("the tests read the shared folder when it holds details-1996.csv, else data/", async () => {
  const shared = await tempDir();
  const repoData = await tempDir();
  assert.equal(hasSharedData(shared), false);
  assert.equal(testDataDir(shared, repoData), repoData);
  assert.equal(noaaSampleIn(repoData, shared), join(repoData, CUT_SAMPLE));
  await writeFile(join(shared, "details-1996.csv"), "");
  assert.equal(testDataDir(shared, repoData), shared);
  assert.equal(
    noaaSampleIn(shared, shared),
    join(shared, "noaa", "StormEvents_details-sample-2007.csv"),
  );
  assert.equal(testDataDir(join(shared, "absent"), repoData), repoData);
});

test("with the shared folder there, it says so in one line and fetches nothing", async () => {
  const shared = await tempDir();
  await writeFile(join(shared, "details-1996.csv"), "");
  const target = await tempDir();
  const noaa = await standIn();
  const out = io();
  const code = await ensureTestData({
    sharedDir: shared,
    dataDir: target,
    baseUrl: noaa.baseUrl,
    ...out.streams,
  });
  assert.equal(code, 0);
  assert.equal(out.stdout, `test data: using ${shared}, nothing to fetch\n`);
  assert.equal(out.stderr, "");
  assert.deepEqual(noaa.downloads, []);
  assert.deepEqual(await readdir(target), []);
});

test("without it, fetches exactly the missing years and the 2007 sample; a rerun fetches nothing", async () => {
  const target = await targetWithBigYears();
  const noaa = await standIn();
  const out = io();
  const code = await ensureTestData({
    sharedDir: join(target, "no-shared-here"),
    dataDir: target,
    baseUrl: noaa.baseUrl,
    ...out.streams,
  });
  assert.equal(code, 0, out.stderr);
  assert.deepEqual(noaa.downloads, ["1950", "1951", "1952", "2007"].map(gzName));
  assert.match(out.stdout, /the tests read .* \(has 1990, 1991, 1992, 1996\)/);
  for (const year of ["1950", "1951", "1952"]) {
    const count = real[year]?.length ?? 0;
    assert.match(out.stderr, new RegExp(`fetched .*${gzName(year)}: ${count} records of ${year}`));
    // The fetched file holds the same records as the file the NOAA one was made from.
    const fetched = await loadYear(target, year);
    assert.deepEqual(fetched.problems, []);
    assert.deepEqual(fetched.records, real[year]);
  }
  assert.match(
    out.stderr,
    /cut 49 records of .*d2007_c20240216\.csv\.gz into .*noaa-sample-2007\.csv/,
  );
  assert.deepEqual(
    (await readdir(target)).sort(),
    [...TEST_YEARS.map((year) => `details-${year}.csv`), CUT_SAMPLE].sort(),
  );

  // The sample: NOAA's 51 columns, the first 49 records whose 14 values need no quoting.
  const sample = join(target, CUT_SAMPLE);
  const rows = parse(await readFile(sample), { columns: true }) as Record<string, string>[];
  assert.equal(rows.length, SAMPLE_RECORDS);
  assert.deepEqual(Object.keys(rows[0] ?? {}), NOAA_HEADER);
  assert.ok(rows.every((row) => !(row.CZ_NAME ?? "").includes(",")));
  assert.ok(rows.some((row) => (row.EVENT_NARRATIVE ?? "").includes(",")));
  const expectedIds = Array.from({ length: 60 }, (_, index) => index)
    .filter((index) => index % 10 !== 3)
    .slice(0, SAMPLE_RECORDS)
    .map((index) => String(7000 + index));
  assert.deepEqual(
    rows.map((row) => row.EVENT_ID),
    expectedIds,
  );
  const converted = await convertFile(sample, { outDir: join(target, "converted") });
  assert.equal(converted.records, SAMPLE_RECORDS);
  assert.deepEqual((await loadYear(join(target, "converted"), "2007")).problems, []);

  const again = io();
  const noaaForRerun = await standIn();
  const rerun = await ensureTestData({
    sharedDir: join(target, "no-shared-here"),
    dataDir: target,
    baseUrl: noaaForRerun.baseUrl,
    ...again.streams,
  });
  assert.equal(rerun, 0);
  assert.match(again.stdout, /nothing to fetch/);
  assert.deepEqual(noaaForRerun.requests, [], "not even the listing");
});

test("a failed download leaves no partial file, the others are fetched, and it exits 1 saying why", async () => {
  const target = await targetWithBigYears();
  const noaa = await standIn(gzName("1951"));
  const out = io();
  const code = await ensureTestData({
    sharedDir: join(target, "no-shared-here"),
    dataDir: target,
    baseUrl: noaa.baseUrl,
    ...out.streams,
  });
  assert.equal(code, 1);
  assert.match(out.stderr, /error: 1951: download of .* failed: the gzip data is cut off/);
  assert.match(
    out.stderr,
    /error: could not get the test data \(1 failed\) from http:.*\n {2}1951: .*\nnpm test needs \.\.\/shared\/data or these downloads/,
  );
  const names = (await readdir(target)).sort();
  assert.ok(!names.includes("details-1951.csv"));
  assert.ok(
    names.every((name) => !name.startsWith(".")),
    `no temp file: ${names}`,
  );
  assert.ok(names.includes("details-1950.csv") && names.includes("details-1952.csv"));
  assert.ok(names.includes(CUT_SAMPLE));
});

test("an unreachable listing fails clearly (CLI: ensure-test-data --shared --out --base-url)", async () => {
  const target = await targetWithBigYears();
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const out = io();
  const args = ["--shared", join(target, "none"), "--out", target];
  const code = await runCli(
    ["ensure-test-data", ...args, "--base-url", `http://127.0.0.1:${port}/`],
    { ...out.streams, env: {} },
  );
  assert.equal(code, 1);
  assert.match(out.stderr, /error: could not get the test data .*\n {2}the listing: cannot reach/);
  assert.equal((await readdir(target)).length, 4, "only the four years it had");

  const ok = io();
  const noaa = await standIn();
  assert.equal(
    await runCli(["ensure-test-data", ...args], {
      ...ok.streams,
      env: { STORMRING_NOAA_BASE_URL: noaa.baseUrl },
    }),
    0,
    ok.stderr,
  );
  assert.deepEqual(noaa.downloads, ["1950", "1951", "1952", "2007"].map(gzName));

  const usage = io();
  assert.equal(await runCli(["ensure-test-data", "1996"], { ...usage.streams, env: {} }), 2);
  assert.match(usage.stderr, /ensure-test-data takes no arguments/);
});
