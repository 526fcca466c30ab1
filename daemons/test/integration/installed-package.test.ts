/**
 * The package as a user gets it: `npm pack` (its prepack step compiles the commands into
 * dist/ and builds the dashboard), then `npm install -g` of the tarball into a temporary
 * prefix (production dependencies only: no tsx, so the commands run the compiled
 * JavaScript), from npm's cache (offline when the cache holds every package's metadata,
 * else preferring the cache). The installed
 * `dht-manager` and `dht-peer` then run a small DHT from a folder outside the repository
 * with no DHT_DATA_DIR, so the year comes from the data shipped in the package; and the
 * installed `stormring` serves the dashboard and lists the shipped years. On a machine that
 * can reach no npm registry and whose cache lacks the dependencies' metadata, the install
 * cannot resolve them: the test then checks the tarball only and says it skipped the rest.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ringReport } from "../../demo/acceptance.ts";
import { Daemon, freePort, REPO_ROOT, register } from "../../demo/processes.ts";
import { SHIPPED_YEARS } from "../support/paths.ts";

const work = mkdtempSync(join(tmpdir(), "stormring-package-"));
const prefix = join(work, "prefix");
/** Where the installed commands run: not the repository. */
const elsewhere = mkdtempSync(join(work, "cwd-"));
const daemons: Daemon[] = [];
const NETWORK_ERROR =
  /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|ECONNRESET/;

after(async () => {
  await Promise.all(daemons.map((daemon) => daemon.stop()));
  rmSync(work, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => {
  const { DHT_DATA_DIR: _ignored, ...rest } = process.env;
  return { ...rest, PATH: `${join(prefix, "bin")}:${process.env.PATH ?? ""}` };
};

function npm(args: string[], cwd = REPO_ROOT) {
  const result = spawnSync("npm", args, { cwd, encoding: "utf8", env: process.env });
  return { ok: result.status === 0, output: `${result.stdout}\n${result.stderr}` };
}

function installed(label: string, command: string, args: string[]): Daemon {
  const child = spawn(command, args, {
    cwd: elsewhere,
    env: env(),
    stdio: ["pipe", "pipe", "pipe"],
  });
  const daemon = new Daemon(label, child);
  daemons.push(daemon);
  return daemon;
}

test("npm pack, npm install -g, and the installed commands run a DHT on the shipped data", {
  timeout: 120_000,
}, async (t) => {
  const packed = npm(["pack", "--pack-destination", work]);
  assert.ok(packed.ok, packed.output);
  const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
  assert.ok(tarball, "npm pack wrote a tarball");
  const tarballPath = join(work, tarball);
  const listing = spawnSync("tar", ["tzf", tarballPath], { encoding: "utf8" }).stdout.split("\n");
  for (const file of [
    "package/bin/dht-manager.js",
    "package/bin/dht-peer.js",
    "package/bin/stormring.js",
    "package/dist/dht-manager.js",
    "package/dist/dht-peer.js",
    "package/dist/stormring.js",
    "package/web/dist/index.html",
    "package/tools/wireshark/stormring.lua",
    ...SHIPPED_YEARS.map((year) => `package/data/details-${year}.csv.gz`),
  ]) {
    assert.ok(listing.includes(file), `${file} is in the tarball`);
  }
  const unwanted = listing.filter((file) =>
    /\/test\/|^package\/(e2e|bench|web\/src|daemons|server)\/|\.ts$|\.csv$|\.png$/.test(file),
  );
  assert.deepEqual(unwanted, [], "no tests, e2e, benches, TypeScript sources or plain CSV");
  const size = statSync(tarballPath).size;
  t.diagnostic(`tarball ${tarball}: ${listing.filter(Boolean).length} entries, ${size} bytes`);
  assert.ok(size < 2_000_000, `the tarball is small (${size} bytes)`);

  const install = ["install", "-g", "--no-audit", "--no-fund", "--prefix", prefix, tarballPath];
  let result = npm([...install, "--offline"], elsewhere);
  if (!result.ok) {
    // `npm install` of the project caches the packages but not always their registry
    // metadata, which resolving the tarball's dependency ranges needs once.
    t.diagnostic("npm's cache lacks some metadata for --offline; installing with --prefer-offline");
    // Few and short retries: without a network they only delay the skip below.
    const retries = [
      "--fetch-retries=1",
      "--fetch-retry-mintimeout=1000",
      "--fetch-retry-maxtimeout=2000",
    ];
    result = npm([...install, "--prefer-offline", ...retries], elsewhere);
    if (!result.ok && NETWORK_ERROR.test(result.output)) {
      t.skip("no npm registry and no cached metadata: the tarball cannot be installed here");
      return;
    }
  }
  assert.ok(result.ok, result.output);
  for (const command of ["dht-manager", "dht-peer", "stormring"]) {
    assert.ok(statSync(join(prefix, "bin", command)), `${command} is on the PATH`);
  }

  // A manager and four peers of the installed package, none given a data folder.
  const port = await freePort();
  const manager = installed("manager", "dht-manager", [String(port), "--host", "127.0.0.1"]);
  await manager.waitFor(/manager listening on/, 30_000);
  const names = ["ann", "ben", "cat", "dan"];
  const peers = names.map((name) => installed(name, "dht-peer", ["127.0.0.1", String(port)]));
  for (const [index, name] of names.entries()) await register(peers[index] as Daemon, name);
  const [leader] = peers as [Daemon];
  const setup = await leader.run(
    "setup-dht ann 3 1996",
    /^dht-complete ann: |FAILURE|refused/,
    60_000,
  );
  assert.ok(setup.includes("total: 48534 records on 3 nodes"), setup.join("\n"));
  // The manager picks the two other members at random; the one left out asks.
  const members = ringReport(setup).names;
  const outsider = names.findIndex((name) => !members.includes(name));
  const query = await (peers[outsider] as Daemon).run(
    `query-dht ${names[outsider]} 5536849`,
    /^id-seq: |gave up|: FAILURE/,
    30_000,
  );
  const text = query.join("\n");
  assert.match(text, /SHELBY/, text);
  assert.doesNotMatch(text, /not found/, text);

  // The installed server and dashboard, reading the shipped years.
  const server = installed("stormring", "stormring", ["--port", "0", "--peers", "1"]);
  const line = await server.waitFor(/^stormring dashboard: http:\/\/\S+$/, 60_000);
  const url = line.slice("stormring dashboard: ".length);
  const page = await (await fetch(url)).text();
  assert.match(page, /<script type="module"/, "the built dashboard is served");
  const years = (await (await fetch(`${url}/api/years`)).json()) as {
    dataDir: string;
    years: string[];
  };
  assert.deepEqual(years.years, [...SHIPPED_YEARS]);
  assert.ok(years.dataDir.startsWith(prefix), `the installed package's data/ (${years.dataDir})`);
});
