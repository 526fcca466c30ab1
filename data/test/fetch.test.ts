import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { NOAA_SAMPLE as SAMPLE } from "../../daemons/test/support/paths.ts";
import { runCli } from "../src/commands.ts";
import { convertFile } from "../src/convert.ts";
import { fetchYear, findYearFile, resolveBaseUrl } from "../src/fetch.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OLD = "StormEvents_details-ftp_v1.0_d2007_c20170717.csv.gz";
const NEW = "StormEvents_details-ftp_v1.0_d2007_c20240216.csv.gz";
const OTHER = "StormEvents_details-ftp_v1.0_d2008_c20240216.csv.gz";

const listing = (names: string[]): string =>
  `<html><body><h1>Index of csvfiles</h1><table>${names
    .map((name) => `<tr><td><a href="${name}">${name}</a></td><td>2024-02-16 10:00</td></tr>`)
    .join("")}</table></body></html>`;

let server: Server;
let origin: string;
let gz: Buffer;
let expected: string;
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "stormring-fetch-"));
  dirs.push(dir);
  return dir;
}

before(async () => {
  gz = gzipSync(await readFile(SAMPLE));
  const reference = await tempDir();
  expected = await readFile((await convertFile(SAMPLE, { outDir: reference })).file, "utf8");
  server = createServer((request, response) => {
    const [, mode, name] = (request.url ?? "").split("/");
    if (name === "") {
      const names = mode === "missing" ? [OTHER] : [OLD, NEW, OTHER];
      response.setHeader("content-type", "text/html");
      response.end(listing(names));
    } else if (name === NEW && mode === "ok") {
      response.setHeader("content-length", gz.length);
      response.end(gz);
    } else if (name === NEW && mode === "cut") {
      const half = gz.subarray(0, Math.floor(gz.length / 2));
      response.setHeader("content-length", half.length);
      response.end(half);
    } else if (name === NEW && mode === "drop") {
      // Promises the whole file, then drops the connection half-way.
      response.setHeader("content-length", gz.length);
      response.write(gz.subarray(0, Math.floor(gz.length / 2)), () =>
        setTimeout(() => response.destroy(), 20),
      );
    } else if (name === NEW && mode === "error") {
      response.statusCode = 500;
      response.end("internal error");
    } else {
      // The older c-date, among others, is absent: picking it would fail the test.
      response.statusCode = 404;
      response.end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
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
    baseUrl: `${origin}/ok/`,
    onProgress: (state) => progress.push(state.bytesRead),
  });
  assert.equal(result.url, `${origin}/ok/${NEW}`);
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
      fetchYear("2007", { outDir: out, baseUrl: `${origin}/${mode}/` }),
      message,
    );
    assert.deepEqual(await readdir(out), []);
  });
}

test("a year missing from the listing fails clearly", async () => {
  const out = await tempDir();
  await assert.rejects(
    fetchYear("2007", { outDir: out, baseUrl: `${origin}/missing/` }),
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
    ["fetch", "2007", "1999", "--out", out, "--base-url", `${origin}/ok`],
    io,
  );
  assert.equal(code, 1);
  assert.match(stderr, /fetched .*: 49 records of 2007/);
  assert.match(stderr, /error: 1999: no details file for 1999/);
  assert.deepEqual(await readdir(out), ["details-2007.csv"]);
});

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
    STORMRING_NOAA_BASE_URL: `${origin}/ok/`,
    DHT_DATA_DIR: out,
  });
  assert.equal(fetched.code, 0, fetched.stderr);
  assert.match(fetched.stderr, /49 records of 2007/);
  assert.equal(await readFile(join(out, "details-2007.csv"), "utf8"), expected);

  const listed = await cli(["list", "--out", out]);
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, /2007\s+49 records/);

  const failed = await cli(["fetch", "2007", "--out", out, "--base-url", `${origin}/cut/`]);
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
