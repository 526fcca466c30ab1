/**
 * `GET /api/bench` and `GET /api/bench/:file` through app.inject, on a folder of its own:
 * only plain files with allowed names are listed and served, with their content types;
 * every other name, a traversal however spelt, a link and a folder are 404.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { TEST_DATA_DIR } from "../../daemons/test/support/paths.ts";
import { buildApp, DEFAULT_BENCH_DIR } from "../src/app.ts";
import { BENCH_FILE, listBench } from "../src/routes/bench.ts";
import { assertError } from "./support/assert-error.ts";
import { fakeRing } from "./support/fakes.ts";

const PLOT = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>\n';
const NUMBERS = '{"rows":[]}\n';

let root: string;
let benchDir: string;
let app: FastifyInstance;

before(async () => {
  root = mkdtempSync(join(tmpdir(), "stormring-bench-"));
  benchDir = join(root, "results");
  mkdirSync(benchDir);
  writeFileSync(join(benchDir, "scale-time-vs-n.svg"), PLOT);
  writeFileSync(join(benchDir, "replication-latency.svg"), PLOT);
  writeFileSync(join(benchDir, "scale.json"), NUMBERS);
  // Not results: another extension, a hidden file, odd names, a link out, a folder.
  writeFileSync(join(benchDir, "notes.txt"), "x");
  writeFileSync(join(benchDir, ".hidden.svg"), PLOT);
  writeFileSync(join(benchDir, "Upper.svg"), PLOT);
  writeFileSync(join(root, "secret.json"), '{"secret":true}');
  symlinkSync(join(root, "secret.json"), join(benchDir, "linked.json"));
  mkdirSync(join(benchDir, "folder.svg"));
  const { supervisor, aggregator } = await fakeRing();
  app = await buildApp({
    supervisor,
    aggregator,
    dataDir: TEST_DATA_DIR,
    benchDir,
    webRoot: join(tmpdir(), "stormring-no-such-web-root"),
  });
});

after(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

describe("GET /api/bench", () => {
  test("lists the plain svg and json files with allowed names, by name", async () => {
    const response = await app.inject({ url: "/api/bench" });
    assert.equal(response.statusCode, 200);
    const { files } = response.json() as { files: { name: string; kind: string; bytes: number }[] };
    assert.deepEqual(
      files.map(({ name, kind, bytes }) => [name, kind, bytes]),
      [
        ["replication-latency.svg", "svg", PLOT.length],
        ["scale-time-vs-n.svg", "svg", PLOT.length],
        ["scale.json", "json", NUMBERS.length],
      ],
    );
    assert.equal(response.headers["cache-control"], "no-cache");
  });

  test("a folder that does not exist lists nothing", async () => {
    assert.deepEqual(await listBench(join(root, "no-such-folder")), []);
  });

  test("by default it reads the repository's bench/results", async () => {
    const names = (await listBench(DEFAULT_BENCH_DIR)).map((file) => file.name);
    assert.ok(names.includes("scale-time-vs-n.svg"), names.join(" "));
    assert.ok(names.every((name) => BENCH_FILE.test(name)));
  });
});

describe("GET /api/bench/:file", () => {
  test("serves a plot as SVG and numbers as JSON, unchanged", async () => {
    const plot = await app.inject({ url: "/api/bench/scale-time-vs-n.svg" });
    assert.equal(plot.statusCode, 200);
    assert.equal(plot.headers["content-type"], "image/svg+xml");
    assert.equal(plot.body, PLOT);
    assert.equal(plot.headers["x-content-type-options"], "nosniff");
    assert.match(String(plot.headers["content-security-policy"]), /default-src 'none'/);
    const numbers = await app.inject({ url: "/api/bench/scale.json" });
    assert.equal(numbers.statusCode, 200);
    assert.match(String(numbers.headers["content-type"]), /^application\/json/);
    assert.deepEqual(numbers.json(), { rows: [] });
  });

  test("the pattern admits no path: no separator, no dot but the extension's", () => {
    for (const name of [
      "../scale.json",
      "a/b.svg",
      "a\\b.svg",
      "..svg",
      "a..svg",
      "-a.svg",
      "a.svg.svg",
    ]) {
      assert.equal(BENCH_FILE.test(name), false, name);
    }
  });

  test("a file written after the app started is served too", async () => {
    writeFileSync(join(benchDir, "replication-throughput.svg"), PLOT);
    const response = await app.inject({ url: "/api/bench/replication-throughput.svg" });
    assert.equal(response.statusCode, 200);
  });

  for (const [what, url] of [
    ["a missing result", "/api/bench/missing.svg"],
    ["another extension", "/api/bench/notes.txt"],
    ["a hidden file", "/api/bench/.hidden.svg"],
    ["a name outside the pattern", "/api/bench/Upper.svg"],
    ["a link out of the folder", "/api/bench/linked.json"],
    ["a folder", "/api/bench/folder.svg"],
    ["an encoded traversal", "/api/bench/..%2Fsecret.json"],
    ["a doubly encoded traversal", "/api/bench/..%252Fsecret.json"],
    ["an absolute path", `/api/bench/${encodeURIComponent(join(root, "secret.json"))}`],
    ["a backslash traversal", "/api/bench/..%5Csecret.json"],
    ["a NUL byte", "/api/bench/scale.json%00.svg"],
  ] as const) {
    test(`${what} is 404 NOT_FOUND`, async () => {
      const response = await app.inject({ url });
      assert.equal(response.statusCode, 404, `${url}: ${response.body}`);
      assert.doesNotMatch(response.body, /"secret":true/);
      if (response.headers["content-type"]?.toString().startsWith("application/json")) {
        assertError(response, 404, "NOT_FOUND", /no route GET/);
      }
    });
  }
});
