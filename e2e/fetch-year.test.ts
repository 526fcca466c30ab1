/**
 * "A setup-dht for a missing year: the dashboard offers to fetch it", by clicks in
 * Chromium. The server's data folder is a temporary one holding only 1996, and NOAA is a
 * local stand-in listing 2007 (a gzip of the 49-record NOAA-format sample) and nothing
 * else: the page fetches 2007, builds a DHT of 3 from it, and reports a year NOAA lacks.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { NOAA_SAMPLE, TEST_DATA_DIR } from "../daemons/test/support/paths.ts";
import { type NoaaStandIn, startNoaaStandIn } from "../data/test/support/noaa-stand-in.ts";
import type { Dashboard } from "./support/dashboard.ts";
import { screenshot } from "./support/harness.ts";
import { type LiveDashboard, openLiveDashboard } from "./support/live-dashboard.ts";

const FILE_2007 = "StormEvents_details-ftp_v1.0_d2007_c20240216.csv.gz";
const NAMES = ["alpha", "beta", "gamma"];
const SAMPLE_RECORDS = 49;

describe("fetching a missing year from the dashboard", { timeout: 180_000 }, () => {
  let dataDir: string;
  let noaa: NoaaStandIn;
  let live: LiveDashboard;
  let dashboard: Dashboard;

  before(async () => {
    // Only 1996, linked from the folder the other tests read (never written to).
    dataDir = await mkdtemp(join(tmpdir(), "stormring-e2e-fetch-"));
    await symlink(join(TEST_DATA_DIR, "details-1996.csv.gz"), join(dataDir, "details-1996.csv.gz"));
    // The download is held back until the test has seen the fetch running.
    noaa = await startNoaaStandIn({
      [FILE_2007]: { serve: "hold", body: gzipSync(await readFile(NOAA_SAMPLE)) },
    });
    live = await openLiveDashboard({
      server: { dataDir, env: { STORMRING_NOAA_BASE_URL: noaa.baseUrl } },
    });
    ({ dashboard } = live);
  });

  after(async () => {
    await live?.close();
    await noaa?.close();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  test("three peers are added and registered", async () => {
    await dashboard.addPeers(NAMES.length);
    for (const [index, name] of NAMES.entries()) {
      await dashboard.register(`peer-${index + 1}`, name);
    }
    assert.equal(await dashboard.peersIn("Free").count(), NAMES.length);
  });

  test("setup-dht offers only the year the data folder holds", async () => {
    assert.deepEqual(await dashboard.yearsOffered("alpha"), ["1996"]);
    await screenshot(live.page, "fetch-only-1996");
  });

  test("Fetch year downloads 2007, and the Year select then offers it", async () => {
    const progress = await dashboard.startYearFetch("alpha", "2007");
    await noaa.whenHeld(1);
    await progress.filter({ hasText: /^2007: / }).waitFor();
    assert.equal(
      await dashboard.peer("alpha").getByRole("button", { name: "Fetch year" }).isDisabled(),
      true,
      "one fetch at a time",
    );
    await screenshot(live.page, "fetch-2007-running");
    noaa.releaseHeld();

    assert.equal(await dashboard.yearFetchEnded(progress, "2007"), "2007: done: 49 records");
    const notice = live.page.getByRole("status").filter({ hasText: "Fetched 2007" });
    await notice.waitFor();
    assert.match((await notice.textContent()) ?? "", /49 records in .*details-2007\.csv/);
    const form = await dashboard.openSetupForm("alpha");
    await form
      .getByLabel("Year", { exact: true })
      .getByRole("option", { name: "2007" })
      .waitFor({ state: "attached" });
    assert.deepEqual(await dashboard.yearsOffered("alpha"), ["1996", "2007"]);
    assert.equal(
      await form.getByLabel("Year", { exact: true }).inputValue(),
      "2007",
      "the fetched year is picked",
    );
    await screenshot(live.page, "fetch-2007-done");
  });

  test("a year NOAA does not list fails with a readable reason", async () => {
    const progress = await dashboard.startYearFetch("alpha", "2008");
    const line = await dashboard.yearFetchEnded(progress, "2008");
    assert.match(line, /^2008: failed: no details file for 2008 in the listing http:\/\/127/);
    const alert = live.page.getByRole("alert").filter({ hasText: "Fetching 2008 failed" });
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? "", /d2008_cYYYYMMDD\.csv\.gz/);
    await screenshot(live.page, "fetch-2008-failed");
    await alert.getByRole("button", { name: /^Dismiss/ }).click();
    assert.deepEqual(await dashboard.yearsOffered("alpha"), ["1996", "2007"]);
  });

  test("setup-dht n = 3 for the fetched year holds its 49 records", async () => {
    await dashboard.setupDht("alpha", 3, "2007");
    assert.equal(await dashboard.peersIn("Leader").count(), 1);
    assert.equal(await dashboard.peersIn("InDHT").count(), 2);
    const records = live.page.getByRole("region", { name: "Records" });
    await records.getByText(`l = ${SAMPLE_RECORDS} records of 2007 over n = 3 nodes`).waitFor();
    const perNode = await records.getByRole("row").getByRole("cell").allTextContents();
    assert.equal(perNode.length, 3);
    assert.equal(
      perNode.reduce((sum, cell) => sum + Number(cell), 0),
      SAMPLE_RECORDS,
    );
    await screenshot(live.page, "fetch-dht-2007-built");
    assert.deepEqual(live.pageErrors, []);
  });
});
