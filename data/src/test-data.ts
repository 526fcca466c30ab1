/**
 * Where the tests read storm data, and `npm run data -- ensure-test-data` (the `pretest`
 * step) that puts it there on a machine without `../shared/data`.
 *
 * The tests read `../shared/data` when it is there (development, CI). Otherwise they read
 * `<repo>/data`, where the ensure step first downloads each year the tests need from NOAA
 * (the shared files are cut from NOAA's own yearly files) and cuts a small sample of NOAA's
 * 51-column 2007 file for the converter tests.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { fileURLToPath } from "node:url";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import { csvField, NOAA_COLUMNS } from "./convert.ts";
import { FetchError, fetchListing, findYearFile, get } from "./fetch.ts";
import { fetchYearsReporting, secondsSince } from "./fetch-years.ts";
import type { ProgressOutput } from "./progress.ts";

/** The shared data folder beside the repository (read-only; never copied into it). */
export const SHARED_DATA_DIR = fileURLToPath(new URL("../../../shared/data/", import.meta.url));
/** The repository's own data folder (its CSV files are ignored by git). */
export const REPO_DATA_DIR = fileURLToPath(new URL("../", import.meta.url));

/** The years the tests read: the seven files of ../shared/data (see its README). */
export const TEST_YEARS = ["1950", "1951", "1952", "1990", "1991", "1992", "1996"] as const;

/** The NOAA-format sample the converter tests read, relative to the test data folder. */
export const SHARED_SAMPLE = join("noaa", "StormEvents_details-sample-2007.csv");
/** Its stand-in in `<repo>/data`: records cut from NOAA's real 2007 file. */
export const CUT_SAMPLE = "noaa-sample-2007.csv";
export const SAMPLE_YEAR = "2007";
export const SAMPLE_RECORDS = 49;

/** Whether `dir` is the shared data folder: it holds the acceptance demo's year. */
export function hasSharedData(dir: string = SHARED_DATA_DIR): boolean {
  return existsSync(join(dir, "details-1996.csv"));
}

/** The folder the tests read: `sharedDir` when it holds the data, else `repoDataDir`. */
export function testDataDir(
  sharedDir: string = SHARED_DATA_DIR,
  repoDataDir: string = REPO_DATA_DIR,
): string {
  return hasSharedData(sharedDir) ? sharedDir : repoDataDir;
}

/** The NOAA-format 2007 sample in the folder `testDataDir` gave. */
export function noaaSampleIn(dataDir: string, sharedDir: string = SHARED_DATA_DIR): string {
  return join(dataDir, dataDir === sharedDir ? SHARED_SAMPLE : CUT_SAMPLE);
}

/**
 * Whether a NOAA record suits the sample: its 14 protocol values need no CSV quoting (the
 * converter tests split the output lines on commas). The sample also needs one record whose
 * narrative has commas, the case the converter must get right.
 */
function plain(row: Record<string, string>): boolean {
  return NOAA_COLUMNS.every((column) => csvField(row[column] ?? "") === (row[column] ?? ""));
}
const commaNarrative = (row: Record<string, string>): boolean =>
  (row.EVENT_NARRATIVE ?? "").includes(",");

/**
 * Writes `<outDir>/noaa-sample-2007.csv`: the first 49 suitable records of NOAA's 2007
 * details file (one of them with commas in its narrative), all 51 columns, in file order.
 * Reads only as much of the download as it needs; written to a temp file and renamed.
 */
export async function cutSample(
  outDir: string,
  baseUrl: string,
  listing: string,
): Promise<{ file: string; url: string; records: number }> {
  const name = findYearFile(listing, SAMPLE_YEAR);
  if (name === undefined) {
    throw new FetchError(`no details file for ${SAMPLE_YEAR} in the listing ${baseUrl}`);
  }
  const url = new URL(name, baseUrl).href;
  const response = await get(url);
  if (response.body === null) throw new FetchError(`${url} sent no body`);
  const source = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  let header: string[] = [];
  const parser = parse({
    bom: true,
    columns: (names: string[]) => {
      header = names.map((column) => column.trim().toUpperCase());
      return header;
    },
  });
  const picked: Record<string, string>[] = [];
  let haveComma = false;
  const gunzip = createGunzip();
  // Errors travel down to the parser, whose records this loop reads.
  source.on("error", (error) => gunzip.destroy(error));
  gunzip.on("error", (error) => parser.destroy(error));
  source.pipe(gunzip).pipe(parser);
  try {
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      if (row.YEAR !== SAMPLE_YEAR || !plain(row)) continue;
      // Keep the last slot for a narrative with commas if none came yet.
      if (picked.length === SAMPLE_RECORDS - 1 && !haveComma && !commaNarrative(row)) continue;
      picked.push(row);
      haveComma ||= commaNarrative(row);
      if (picked.length === SAMPLE_RECORDS) break;
    }
  } catch (error) {
    throw new FetchError(`download of ${url} failed: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  if (picked.length < SAMPLE_RECORDS) {
    throw new FetchError(
      `${url} has only ${picked.length} records suited to the sample (${SAMPLE_RECORDS} needed)`,
    );
  }
  // Not csvField: that flattens line breaks for the 14-field output; the sample keeps
  // NOAA's narratives as NOAA wrote them.
  const quote = (value: string): string =>
    /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  const lines = [header, ...picked.map((row) => header.map((column) => row[column] ?? ""))];
  const text = `${lines.map((values) => values.map(quote).join(",")).join("\n")}\n`;
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, CUT_SAMPLE);
  const temp = join(outDir, `.${CUT_SAMPLE}-${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return { file, url, records: picked.length };
}

export type EnsureOptions = {
  /** The shared folder; when it holds the data nothing is fetched. */
  sharedDir?: string | undefined;
  /** Where missing years go (default `<repo>/data`). */
  dataDir?: string | undefined;
  baseUrl: string;
  stdout: { write(text: string): unknown };
  stderr: ProgressOutput;
};

/**
 * Does nothing when the shared folder is there; otherwise fetches each test year missing
 * from `dataDir`, and the 2007 sample. Returns the exit code: 0 done, 1 a download failed.
 */
export async function ensureTestData(options: EnsureOptions): Promise<number> {
  const sharedDir = options.sharedDir ?? SHARED_DATA_DIR;
  const dataDir = options.dataDir ?? REPO_DATA_DIR;
  const { stdout, stderr, baseUrl } = options;
  if (hasSharedData(sharedDir)) {
    stdout.write(`test data: using ${sharedDir}, nothing to fetch\n`);
    return 0;
  }
  const missing = TEST_YEARS.filter((year) => !existsSync(join(dataDir, `details-${year}.csv`)));
  const sampleMissing = !existsSync(join(dataDir, CUT_SAMPLE));
  const present = TEST_YEARS.filter((year) => !missing.includes(year));
  stdout.write(
    `test data: no ${sharedDir}; the tests read ${dataDir}` +
      (present.length > 0 ? ` (has ${present.join(", ")})` : "") +
      "\n",
  );
  if (missing.length === 0 && !sampleMissing) {
    stdout.write("test data: every year the tests need is there, nothing to fetch\n");
    return 0;
  }
  const failures: string[] = [];
  let listing: string;
  try {
    listing = await fetchListing(baseUrl);
  } catch (error) {
    stderr.write(failed([`the listing: ${(error as Error).message}`], baseUrl));
    return 1;
  }
  failures.push(
    ...(await fetchYearsReporting(missing, { outDir: dataDir, baseUrl, listing, stderr })),
  );
  if (sampleMissing) {
    const started = Date.now();
    try {
      const result = await cutSample(dataDir, baseUrl, listing);
      stderr.write(
        `cut ${result.records} records of ${result.url} into ${result.file} in ${secondsSince(started)}\n`,
      );
    } catch (error) {
      stderr.write(`error: the ${SAMPLE_YEAR} sample: ${(error as Error).message}\n`);
      failures.push(`the ${SAMPLE_YEAR} sample: ${(error as Error).message}`);
    }
  }
  if (failures.length === 0) return 0;
  stderr.write(failed(failures, baseUrl));
  return 1;
}

function failed(failures: string[], baseUrl: string): string {
  return (
    `error: could not get the test data (${failures.length} failed) from ${baseUrl}:\n` +
    failures.map((failure) => `  ${failure}\n`).join("") +
    "npm test needs ../shared/data or these downloads (internet access to NCEI, or " +
    "$STORMRING_NOAA_BASE_URL pointing at a copy of its csvfiles listing)\n"
  );
}
