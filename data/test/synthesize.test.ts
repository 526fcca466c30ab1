import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { loadYear } from "../../daemons/src/data/csv-loader.ts";
import { TEST_DATA_DIR } from "../../daemons/test/support/paths.ts";
import { runCli } from "../src/commands.ts";
import { FIRST_ID, ID_STRIDE, synthesizeYear } from "../src/synthesize.ts";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "stormring-synthesize-"));
  dirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const options = (outDir: string, seed = 7) => ({
  sourceYear: "1996",
  dataDir: TEST_DATA_DIR,
  year: "9001",
  records: 5_000,
  seed,
  outDir,
});

test("a synthetic year: unique ids in their strides, the year's name, real fields", async () => {
  const out = await tempDir();
  const result = await synthesizeYear(options(out));
  assert.equal(result.file, join(out, "details-9001.csv"));
  const { records, problems } = await loadYear(out, "9001");
  assert.deepEqual(problems, [], "the daemons' loader reads it without a complaint");
  assert.equal(records.length, 5_000);
  const ids = records.map((record) => Number(record[0]));
  assert.equal(new Set(ids).size, ids.length, "ids are unique");
  ids.forEach((id, index) => {
    const offset = id - (FIRST_ID + index * ID_STRIDE);
    assert.ok(offset >= 0 && offset < ID_STRIDE, `id ${id} is in stride ${index}`);
  });
  assert.ok(records.every((record) => record[2] === "9001" && record.length === 14));

  // Every record's other fields are those of some record of 1996.
  const source = await loadYear(TEST_DATA_DIR, "1996");
  const rest = (record: string[]) => [record[1], ...record.slice(3)].join("\t");
  const real = new Set(source.records.map(rest));
  assert.ok(records.every((record) => real.has(rest(record))));
});

test("the same seed writes the same bytes, another seed other ids; --gzip compresses", async () => {
  const [first, second, third] = [await tempDir(), await tempDir(), await tempDir()];
  await synthesizeYear(options(first));
  await synthesizeYear(options(second));
  await synthesizeYear({ ...options(third, 8), gzipOutput: true });
  const text = (dir: string) => readFile(join(dir, "details-9001.csv"), "utf8");
  assert.equal(await text(first), await text(second));
  const gzipped = gunzipSync(await readFile(join(third, "details-9001.csv.gz"))).toString();
  assert.notEqual(gzipped, await text(first));
  assert.equal(gzipped.split("\n").length, (await text(first)).split("\n").length);
});

test("npm run data -- synthesize: usage errors name what is wrong", async () => {
  const run = async (argv: string[]) => {
    let stderr = "";
    const code = await runCli(argv, {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) } as never,
      env: { DHT_DATA_DIR: TEST_DATA_DIR },
    });
    return { code, stderr: stderr.split("\n")[0] };
  };
  const out = await tempDir();
  assert.deepEqual(await run(["synthesize", "9001", "--out", out]), {
    code: 2,
    stderr: "error: synthesize needs --records <N>, a positive integer",
  });
  assert.equal(
    (await run(["synthesize", "91", "--records", "5"])).stderr,
    "error: synthesize takes one year (YYYY) to write",
  );
  assert.equal((await run(["list", "--seed", "3"])).stderr, "error: --seed is for synthesize only");
  assert.equal(
    (await run(["synthesize", "9001", "--records", "5", "--from", "1800", "--out", out])).code,
    1,
    "a source year that is not there is a failure, not a usage error",
  );
  const done = await run(["synthesize", "9002", "--records", "300", "--out", out]);
  assert.equal(done.code, 0);
  assert.match(done.stderr ?? "", /^wrote 300 records \(re-keyed from 48534 of 1996\) into /);
});
