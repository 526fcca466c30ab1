/**
 * `GET /api/years/:year/sample-ids` through app.inject, on the shipped 1996 file: found ids
 * are ids of its records, missing ones are not, and a year the folder lacks is 404.
 */
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { loadYear } from "../../daemons/src/data/csv-loader.ts";
import { eventIdOf } from "../../daemons/src/data/records.ts";
import { TEST_DATA_DIR } from "../../daemons/test/support/paths.ts";
import { buildApp } from "../src/app.ts";
import { sampleIds } from "../src/sample-ids.ts";
import { assertError } from "./support/assert-error.ts";
import { fakeRing } from "./support/fakes.ts";

let app: FastifyInstance;
let ids1996: Set<number>;

before(async () => {
  const { supervisor, aggregator } = await fakeRing();
  app = await buildApp({
    supervisor,
    aggregator,
    dataDir: TEST_DATA_DIR,
    webRoot: join(tmpdir(), "stormring-no-such-web-root"),
  });
  ids1996 = new Set((await loadYear(TEST_DATA_DIR, "1996")).records.map(eventIdOf));
});

after(() => app.close());

describe("GET /api/years/:year/sample-ids", () => {
  test("found ids are the year's, missing ones are not, count of each", async () => {
    const response = await app.inject({ url: "/api/years/1996/sample-ids?count=20" });
    assert.equal(response.statusCode, 200);
    const body = response.json() as {
      year: string;
      records: number;
      found: number[];
      missing: number[];
    };
    assert.equal(body.year, "1996");
    assert.equal(body.records, 48_534);
    assert.equal(body.found.length, 20);
    assert.equal(body.missing.length, 20);
    assert.ok(body.found.every((id) => ids1996.has(id)));
    assert.ok(body.missing.every((id) => !ids1996.has(id)));
  });

  test("32 of each by default", async () => {
    const body = (await app.inject({ url: "/api/years/1996/sample-ids" })).json();
    assert.equal(body.found.length, 32);
    assert.equal(body.missing.length, 32);
  });

  test("a year the data folder does not hold is 404 MISSING_YEAR", async () => {
    const response = await app.inject({ url: "/api/years/2031/sample-ids" });
    assertError(response, 404, "MISSING_YEAR", /no storm data for 2031/);
  });

  test("a year that is not four digits, or a count out of range, is 400", async () => {
    assert.equal((await app.inject({ url: "/api/years/96/sample-ids" })).statusCode, 400);
    const tooMany = await app.inject({ url: "/api/years/1996/sample-ids?count=5000" });
    assertError(tooMany, 400, "BAD_REQUEST", /count/);
  });
});

describe("sampleIds", () => {
  const ids = [10, 12, 13, 17];

  test("never more found ids than records, each once", () => {
    const { found } = sampleIds(ids, 10);
    assert.deepEqual(
      [...found].sort((a, b) => a - b),
      [10, 12, 13, 17],
    );
  });

  test("missing ids lie between the least and greatest id, none present", () => {
    const { missing } = sampleIds(ids, 3);
    assert.equal(missing.length, 3);
    for (const id of missing) assert.ok([11, 14, 15, 16].includes(id), String(id));
  });

  test("no records: nothing to draw", () => {
    assert.deepEqual(sampleIds([], 5), { found: [], missing: [] });
  });
});
