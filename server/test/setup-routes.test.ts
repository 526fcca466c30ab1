/**
 * The routes that help set up a DHT, through app.inject: the years in the data folder,
 * free UDP ports, and fetching a year from a local stand-in for NOAA's csvfiles listing
 * (a directory listing and a gzip of the 2007 sample, as the data tests serve it).
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import type { FastifyInstance } from "fastify";
import { type NoaaStandIn, startNoaaStandIn } from "../../data/test/support/noaa-stand-in.ts";
import { buildApp } from "../src/app.ts";
import { assertError } from "./support/assert-error.ts";
import { type FakeAggregator, fakeRing } from "./support/fakes.ts";
import { eventually, NOAA_SAMPLE } from "./support/processes.ts";

const NO_WEB = join(tmpdir(), "stormring-no-such-web-root");
const FILE_2007 = "StormEvents_details-ftp_v1.0_d2007_c20240216.csv.gz";

/**
 * NOAA as it should be; "slow" holds the download back until the test has seen the job
 * running; "gone" lists the file but cannot serve it (404).
 */
let noaa: Record<"ok" | "slow" | "gone", NoaaStandIn>;
let gz: Buffer;
const apps: FastifyInstance[] = [];
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "stormring-setup-"));
  dirs.push(dir);
  return dir;
}

async function appWith(dataDir: string, noaaBaseUrl?: string) {
  const { supervisor, aggregator } = await fakeRing();
  const app = await buildApp({
    supervisor,
    aggregator,
    dataDir,
    webRoot: NO_WEB,
    ...(noaaBaseUrl === undefined ? {} : { noaaBaseUrl }),
  });
  apps.push(app);
  return { app, aggregator };
}

before(async () => {
  gz = gzipSync(await readFile(NOAA_SAMPLE));
  noaa = {
    ok: await startNoaaStandIn({ [FILE_2007]: gz }),
    slow: await startNoaaStandIn({ [FILE_2007]: { serve: "hold", body: gz } }),
    gone: await startNoaaStandIn({ [FILE_2007]: 404 }),
  };
});

afterEach(async () => {
  noaa.slow.releaseHeld();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

after(async () => {
  await Promise.all(Object.values(noaa ?? {}).map((standIn) => standIn.close()));
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

type Job = { year: string; state: string; error: string | null; file: string | null };

async function jobs(app: FastifyInstance): Promise<Job[]> {
  const response = await app.inject({ url: "/api/data/fetch" });
  assert.equal(response.statusCode, 200);
  return response.json().jobs;
}

/** Polls GET /api/data/fetch until the year's job is no longer running. */
async function finished(
  app: FastifyInstance,
  year: string,
): Promise<Job & Record<string, unknown>> {
  let job: Job | undefined;
  const poll = async () => {
    job = (await jobs(app)).find((each) => each.year === year);
  };
  await poll();
  const deadline = Date.now() + 15_000;
  while (job?.state === "running") {
    if (Date.now() > deadline) throw new Error(`the fetch of ${year} did not end`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await poll();
  }
  assert.ok(job !== undefined, `a job for ${year}`);
  return job as Job & Record<string, unknown>;
}

function startFetch(app: FastifyInstance, payload: object) {
  return app.inject({ method: "POST", url: "/api/data/fetch", payload });
}

describe("GET /api/years", () => {
  test("the years of details-YYYY.csv in the data folder, ascending", async () => {
    const dataDir = await tempDir();
    for (const name of ["details-2007.csv", "details-1996.csv", "details-07.csv", "notes.txt"]) {
      await writeFile(join(dataDir, name), "");
    }
    await writeFile(join(dataDir, ".details-1-ab.csv.tmp"), "");
    const { app } = await appWith(dataDir);
    const response = await app.inject({ url: "/api/years" });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { dataDir, years: ["1996", "2007"] });
  });

  test("a data folder that does not exist has no years", async () => {
    const dataDir = join(await tempDir(), "not-yet");
    const { app } = await appWith(dataDir);
    assert.deepEqual((await app.inject({ url: "/api/years" })).json(), { dataDir, years: [] });
  });
});

describe("GET /api/free-ports", () => {
  let app: FastifyInstance;
  let aggregator: FakeAggregator;

  test("two distinct free ports on 127.0.0.1 by default", async () => {
    ({ app } = await appWith(await tempDir()));
    const response = await app.inject({ url: "/api/free-ports" });
    assert.equal(response.statusCode, 200);
    const { host, ports } = response.json();
    assert.equal(host, "127.0.0.1");
    assert.equal(ports.length, 2);
    assert.notEqual(ports[0], ports[1]);
    assert.ok(ports.every((port: number) => Number.isInteger(port) && port > 0));
  });

  test("count and host", async () => {
    ({ app } = await appWith(await tempDir()));
    const { host, ports } = (
      await app.inject({ url: "/api/free-ports?count=16&host=0.0.0.0" })
    ).json();
    assert.equal(host, "0.0.0.0");
    assert.equal(new Set(ports).size, 16);
  });

  test("never offers a port a registered peer has, even one the kernel calls free", async () => {
    ({ app, aggregator } = await appWith(await tempDir()));
    // Every port registered: whatever the kernel hands out is skipped.
    const peers = Array.from({ length: 32_768 }, (_, index) => ({
      name: `p${index}`,
      mport: 2 * index,
      pport: 2 * index + 1,
    }));
    Object.assign(aggregator.viewsById.get("manager") ?? {}, { snapshot: { peers } });
    assertError(
      await app.inject({ url: "/api/free-ports?count=1" }),
      500,
      "INTERNAL",
      /found only 0 of 1 free UDP ports on 127\.0\.0\.1/,
    );
  });

  for (const [host, message] of [
    ["nope", /IPv4 address like 127\.0\.0\.1, not "nope"/],
    ["::1", /IPv4 address/],
    ["192.0.2.1", /192\.0\.2\.1 is not an address of this machine/],
  ] as const) {
    test(`400 BAD_HOST for host=${host}`, async () => {
      ({ app } = await appWith(await tempDir()));
      const response = await app.inject({ url: `/api/free-ports?host=${host}` });
      assertError(response, 400, "BAD_HOST", message);
    });
  }

  for (const query of ["count=0", "count=17", "count=abc", "count=1.5"]) {
    test(`400 for ?${query}`, async () => {
      ({ app } = await appWith(await tempDir()));
      const response = await app.inject({ url: `/api/free-ports?${query}` });
      assertError(response, 400, "BAD_REQUEST", /querystring\/count/);
    });
  }
});

describe("/api/data/fetch", () => {
  test("fetches a year into the data folder; then /api/years lists it", async () => {
    const dataDir = await tempDir();
    const { app } = await appWith(dataDir, noaa.slow.baseUrl);
    assert.deepEqual(await jobs(app), []);
    const started = await startFetch(app, { year: "2007" });
    assert.equal(started.statusCode, 202);
    assert.deepEqual(started.json(), { year: "2007" });

    // The download is held back, so the job is surely still running.
    const [running] = await jobs(app);
    assert.equal(running?.state, "running");
    assertError(
      await startFetch(app, { year: "2007" }),
      409,
      "FETCH_RUNNING",
      /2007 is already being fetched/,
    );
    await eventually("the download request", () => noaa.slow.held === 1);
    noaa.slow.releaseHeld();

    const done = await finished(app, "2007");
    assert.deepEqual(done, {
      year: "2007",
      state: "done",
      records: 49,
      bytesRead: gz.length,
      totalBytes: gz.length,
      error: null,
      file: join(dataDir, "details-2007.csv"),
    });
    const { years } = (await app.inject({ url: "/api/years" })).json();
    assert.deepEqual(years, ["2007"]);

    // A finished year can be fetched again; the list keeps the latest job per year.
    assert.equal((await startFetch(app, { year: "2007" })).statusCode, 202);
    await eventually("the second download request", () => noaa.slow.held === 1);
    noaa.slow.releaseHeld();
    assert.equal((await finished(app, "2007")).state, "done");
    assert.equal((await jobs(app)).length, 1);
  });

  test("a failed download (404) ends failed with the reason and leaves no file", async () => {
    const dataDir = await tempDir();
    const { app } = await appWith(dataDir, noaa.gone.baseUrl);
    assert.equal((await startFetch(app, { year: "2007" })).statusCode, 202);
    const failed = await finished(app, "2007");
    assert.equal(failed.state, "failed");
    assert.equal(
      failed.error,
      `download of ${noaa.gone.baseUrl}${FILE_2007} failed: HTTP 404 Not Found`,
    );
    assert.equal(failed.file, null);
    assert.deepEqual(await readdir(dataDir), []);
    assert.deepEqual((await app.inject({ url: "/api/years" })).json().years, []);
  });

  test("a year missing from the listing fails, naming the listing", async () => {
    const { app } = await appWith(await tempDir(), noaa.ok.baseUrl);
    await startFetch(app, { year: "1999" });
    const failed = await finished(app, "1999");
    assert.equal(failed.state, "failed");
    assert.match(String(failed.error), /no details file for 1999 in the listing/);
  });

  test("without a base URL it uses $STORMRING_NOAA_BASE_URL, as npm run data does", async (t) => {
    const saved = process.env.STORMRING_NOAA_BASE_URL;
    process.env.STORMRING_NOAA_BASE_URL = noaa.ok.baseUrl;
    t.after(() => {
      if (saved === undefined) delete process.env.STORMRING_NOAA_BASE_URL;
      else process.env.STORMRING_NOAA_BASE_URL = saved;
    });
    const dataDir = await tempDir();
    const { app } = await appWith(dataDir);
    await startFetch(app, { year: "2007" });
    const done = await finished(app, "2007");
    assert.equal(done.state, "done", String(done.error));
    assert.deepEqual(await readdir(dataDir), ["details-2007.csv"]);
  });

  for (const [payload, status, code, message] of [
    [{ year: "07" }, 400, "BAD_REQUEST", /body\/year/],
    [{ year: "2007", extra: 1 }, 400, "BAD_REQUEST", /body/],
    [{}, 400, "BAD_REQUEST", /body/],
    [{ year: "1800" }, 400, "BAD_YEAR", /from 1950 to 2100 \(YYYY\), not "1800"/],
    [{ year: "2101" }, 400, "BAD_YEAR", /from 1950 to 2100/],
  ] as const) {
    test(`${status} ${code} for ${JSON.stringify(payload)}`, async () => {
      const { app } = await appWith(await tempDir(), noaa.ok.baseUrl);
      assertError(await startFetch(app, payload), status, code, message);
      assert.deepEqual(await jobs(app), []);
    });
  }
});
