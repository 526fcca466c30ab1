import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gunzipSync, gzipSync } from "node:zlib";
import { NOAA_SAMPLE as SAMPLE } from "../../daemons/test/support/paths.ts";
import { runCli } from "../src/commands.ts";
import { convertFile } from "../src/convert.ts";
import { fetchYear, findYearFile, resolveBaseUrl } from "../src/fetch.ts";
import {
  noaaListing as listing,
  type NoaaFile,
  type NoaaStandIn,
  startNoaaStandIn,
} from "./support/noaa-stand-in.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OLD = "StormEvents_details-ftp_v1.0_d2007_c20170717.csv.gz";
const NEW = "StormEvents_details-ftp_v1.0_d2007_c20240216.csv.gz";
const OTHER = "StormEvents_details-ftp_v1.0_d2008_c20240216.csv.gz";

/** One stand-in per way NCEI can answer; the older c-date is listed but absent (404). */
let standIns: Record<"ok" | "cut" | "drop" | "error" | "missing", NoaaStandIn>;
let gz: Buffer;
let expected: string;
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "stormring-fetch-"));
  dirs.push(dir);
  return dir;
}

/** The listing NCEI would show with `newest` as the year's latest file. */
const serving = (newest: NoaaFile) => startNoaaStandIn({ [OLD]: 404, [NEW]: newest, [OTHER]: 404 });

before(async () => {
  gz = gzipSync(await readFile(SAMPLE));
  const reference = await tempDir();
  expected = await readFile((await convertFile(SAMPLE, { outDir: reference })).file, "utf8");
  standIns = {
    ok: await serving(gz),
    cut: await serving({ serve: "cut", body: gz }),
    // Promises the whole file, then drops the connection half-way.
    drop: await serving({ serve: "drop", body: gz }),
    error: await serving(500),
    missing: await startNoaaStandIn({ [OTHER]: 404 }),
  };
});

after(async () => {
  await Promise.all(Object.values(standIns ?? {}).map((standIn) => standIn.close()));
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

test("findYearFile picks the newest c-date of the year", () => {
  assert.equal(findYearFile(listing([OLD, NEW, OTHER]), "2007"), NEW);
  assert.equal(findYearFile(listing([NEW, OLD]), "2007"), NEW);
  assert.equal(findYearFile(listing([OTHER]), "2007"), undefined);
});

test("resolveBaseUrl: option, then $STORMRING_NOAA_BASE_URL, then NCEI; ends in /", () => {
  assert.equal(resolveBaseUrl("http://a/b", {}), "http://a/b/");
  assert.equal(resolveBaseUrl(undefined, { STORMRING_NOAA_BASE_URL: "http://c/" }), "http://c/");
  assert.match(resolveBaseUrl(undefined, {}), /^https:\/\/www\.ncei\.noaa\.gov\/.*csvfiles\/$/);
  assert.throws(() => resolveBaseUrl("not a url", {}), /not a URL/);
});

test("fetch downloads the newest file and writes the same file as convert", async () => {
  const out = await tempDir();
  const progress: number[] = [];
  const result = await fetchYear("2007", {
    outDir: out,
    baseUrl: standIns.ok.baseUrl,
    onProgress: (state) => progress.push(state.bytesRead),
  });
  assert.equal(result.url, `${standIns.ok.baseUrl}${NEW}`);
  assert.equal(result.records, 49);
  assert.equal(result.bytesRead, gz.length);
  assert.equal(progress.at(-1), gz.length);
  assert.deepEqual(await readdir(out), ["details-2007.csv"]);
  assert.equal(await readFile(join(out, "details-2007.csv"), "utf8"), expected);
});

for (const [mode, message] of [
  ["cut", /download of .* failed: the gzip data is cut off/],
  ["drop", /download of .* failed: the connection broke off/],
  ["error", /download of .* failed: HTTP 500/],
] as const) {
  test(`a failed download (${mode}) leaves no details-2007.csv and no temp file`, async () => {
    const out = await tempDir();
    await assert.rejects(
      fetchYear("2007", { outDir: out, baseUrl: standIns[mode].baseUrl }),
      message,
    );
    assert.deepEqual(await readdir(out), []);
  });
}

test("a year missing from the listing fails clearly", async () => {
  const out = await tempDir();
  await assert.rejects(
    fetchYear("2007", { outDir: out, baseUrl: standIns.missing.baseUrl }),
    /no details file for 2007 in the listing .*d2007_cYYYYMMDD\.csv\.gz/,
  );
  assert.deepEqual(await readdir(out), []);
});

test("runCli: fetch several years, one failing, exits 1 and reports it", async () => {
  const out = await tempDir();
  let stderr = "";
  const io = {
    stdout: { write: () => true },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
  };
  const code = await runCli(
    ["fetch", "2007", "1999", "--out", out, "--base-url", withoutSlash(standIns.ok.baseUrl)],
    io,
  );
  assert.equal(code, 1);
  assert.match(stderr, /fetched .*: 49 records of 2007/);
  assert.match(stderr, /error: 1999: no details file for 1999/);
  assert.deepEqual(await readdir(out), ["details-2007.csv"]);
});

/** A base URL as a user may type it; the CLI adds the "/". */
const withoutSlash = (url: string): string => url.replace(/\/$/, "");

const run = promisify(execFile);
async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("node", ["--import", "tsx", "data/src/cli.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test("the CLI as a child process: fetch via the env base URL, list, errors", async () => {
  const out = await tempDir();
  const fetched = await cli(["fetch", "2007"], {
    STORMRING_NOAA_BASE_URL: standIns.ok.baseUrl,
    DHT_DATA_DIR: out,
  });
  assert.equal(fetched.code, 0, fetched.stderr);
  assert.match(fetched.stderr, /49 records of 2007/);
  assert.equal(await readFile(join(out, "details-2007.csv"), "utf8"), expected);

  const listed = await cli(["list", "--out", out]);
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, /2007\s+49 records\s+\(details-2007\.csv\)/);

  // --gzip writes details-YYYY.csv.gz, the same text once gunzipped; list reads it too,
  // and the plain file beside it is the one read.
  const zipped = await cli(["fetch", "2007", "--gzip"], {
    STORMRING_NOAA_BASE_URL: standIns.ok.baseUrl,
    DHT_DATA_DIR: out,
  });
  assert.equal(zipped.code, 0, zipped.stderr);
  assert.match(zipped.stderr, /into .*details-2007\.csv\.gz/);
  assert.equal(gunzipSync(await readFile(join(out, "details-2007.csv.gz"))).toString(), expected);
  assert.match((await cli(["list", "--out", out])).stdout, /\(details-2007\.csv\)/);
  await rm(join(out, "details-2007.csv"));
  assert.match(
    (await cli(["list", "--out", out])).stdout,
    /2007\s+49 records\s+\(details-2007\.csv\.gz\)/,
  );
  await rm(join(out, "details-2007.csv.gz"));
  await writeFile(join(out, "details-2007.csv"), expected);
  const gzipUsage = await cli(["list", "--gzip", "--out", out]);
  assert.equal(gzipUsage.code, 2);
  assert.match(gzipUsage.stderr, /--gzip is for fetch, convert and synthesize only/);

  const failed = await cli(["fetch", "2007", "--out", out, "--base-url", standIns.cut.baseUrl]);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /error: 2007: download of .* failed: the gzip data is cut off/);
  assert.deepEqual(await readdir(out), ["details-2007.csv"], "the old file is kept");

  const usage = await cli(["fetch", "07"]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /not a year \(YYYY\): "07"[\s\S]*usage:/);
  const help = await cli(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /usage: npm run data -- <command>/);
});
