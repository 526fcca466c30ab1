/**
 * A replicated DHT by clicks in Chromium: the demo peers' ring torn down and set up again
 * through the setup form with Replicas 2 and Consistency chain (a k beyond n refused in
 * the form first), each member's records split into primaries and copies on its card and
 * in the chart, an insert-event through the API drawn as write arrows, a query for the
 * inserted record answered by its chain's tail (worked out here with the daemons' own
 * hashing and placement), and the Benchmarks view showing the committed plots.
 * Photographed at three sizes in both themes.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { ownerOf, tableSizeFor } from "../daemons/src/data/hashing.ts";
import { tailOf } from "../daemons/src/data/placement.ts";
import { type Dashboard, STEP_TIMEOUT_MS } from "./support/dashboard.ts";
import { LAPTOP, type LiveDashboard, openLiveDashboard } from "./support/live-dashboard.ts";
import { photograph } from "./support/photograph.ts";

/** l of 1996, the demo's year. */
const L_1996 = 48_534;
/** An id 1996 does not have, inserted and then asked for. */
const INSERTED = 99_000_001;
const FIELDS = `${INSERTED},OHIO,1996,May,Hail,C,FRANKLIN,0,0,0,0,1K,0,`;

describe("a replicated DHT", { timeout: 420_000 }, () => {
  let live: LiveDashboard;
  let dashboard: Dashboard;
  let page: Page;
  let leader = "";
  let members: string[] = [];

  before(async () => {
    live = await openLiveDashboard({ viewport: LAPTOP, upTo: "demo ring" });
    ({ dashboard, page } = live);
    leader = await dashboard.nameOf(dashboard.peersIn("Leader").first());
    await dashboard.run(dashboard.peer(leader), "teardown-dht");
    await dashboard.waitForDht("no DHT");
    await dashboard.peersIn("Leader").first().waitFor({ state: "detached" });
  });

  after(() => live?.close());

  test("the setup form refuses k beyond n, then sets up Replicas 2, chain", async () => {
    const form = await dashboard.openSetupForm(leader);
    const replicas = form.getByLabel("Replicas", { exact: true });
    const consistency = form.getByLabel("Consistency", { exact: true });
    assert.equal(await replicas.inputValue(), "1");
    assert.deepEqual(await consistency.getByRole("option").allTextContents(), [
      "chain",
      "eventual",
    ]);
    await form.getByLabel("Ring size n").fill("5");
    await replicas.fill("9");
    const send = form.getByRole("button", { name: "Send setup-dht" });
    await form.getByText("Replicas must be from 1 to n = 5").waitFor();
    assert.equal(await send.isDisabled(), true);
    // Enter in the field does not send it either.
    await replicas.press("Enter");
    await page.waitForTimeout(500);
    assert.equal(
      await dashboard
        .peer(leader)
        .getByText(/replicas=9/)
        .count(),
      0,
    );
    assert.equal(await page.getByText("· no DHT").count(), 1);
    await photograph(page, "replication-form-refused");
    await replicas.fill("2");
    await consistency.selectOption("chain");
    await form.getByLabel("Year", { exact: true }).selectOption("1996");
    await send.click();
    await dashboard.waitForDht("DHT of 5, year 1996, ready");
    await dashboard.ring
      .getByText(/^2 copies of each record, chain: /)
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    // The line the form sent, in the card's folded "last output".
    await dashboard
      .peer(leader)
      .getByText(`> setup-dht ${leader} 5 1996 replicas=2 consistency=chain (ok)`)
      .waitFor({ state: "attached" });
    members = await dashboard.memberNames();
    assert.equal(members.length, 5, members.join(" "));
  });

  test("each member's records are split into primaries and copies", async () => {
    await dashboard.peersIn("InDHT").first().waitFor();
    const card = dashboard.peer(members[1] ?? "");
    await card
      .getByText(/^[\d,]+ records \([\d,]+ primary, [\d,]+ copies\)$/)
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    const records = page.getByRole("region", { name: "Records" });
    await records.locator(".records-legend").getByText("copies", { exact: true }).waitFor();
    await records.getByRole("columnheader", { name: "copies" }).waitFor({ state: "attached" });
    // The chart's table: every record once as a primary and once as a copy (k = 2).
    const rows = await records
      .getByRole("row")
      .evaluateAll((each) =>
        each.slice(1).map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent)),
      );
    const column = (index: number) =>
      rows.reduce((sum, cells) => sum + Number((cells[index] ?? "").replaceAll(",", "")), 0);
    assert.equal(rows.length, 5);
    assert.equal(column(1), L_1996, "primaries");
    assert.equal(column(2), L_1996, "copies");
    await photograph(page, "replication-cards");
    await photograph(page, "replication-records", records);
  });

  test("an insert-event through the API is drawn as write arrows", async () => {
    const free = dashboard.peersIn("Free").first();
    const writer = await dashboard.nameOf(free);
    const daemonId = ((await free.getAttribute("aria-label")) ?? "").split(":")[0] ?? "";
    const result = await page.evaluate(
      async ({ id, line }) => {
        const response = await fetch(`/api/daemons/${id}/command`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ line }),
        });
        return (await response.json()) as { ok: boolean; lines: string[] };
      },
      { id: daemonId, line: `insert-event ${writer} ${FIELDS}` },
    );
    assert.equal(result.ok, true, result.lines.join("\n"));
    assert.ok(result.lines.includes(`insert-event ${INSERTED}: SUCCESS`), result.lines.join("\n"));
    const messages = page.getByRole("region", { name: "Messages" });
    const writes = messages.getByRole("button", { name: /^write \w+ → \w+$/ });
    await writes.first().waitFor({ timeout: STEP_TIMEOUT_MS });
    // To a member, on to the primary (unless the member is it), down the chain to the
    // tail; the tail acknowledges.
    await page.waitForFunction(
      () =>
        document.querySelectorAll('.message-arrow.class-write[aria-label^="write "]').length >= 2,
      undefined,
      { timeout: STEP_TIMEOUT_MS },
    );
    await messages
      .getByRole("button", { name: /^write-result \w+ → \w+$/ })
      .first()
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.match((await writes.first().getAttribute("class")) ?? "", /\bclass-write\b/);
    await messages.getByRole("list", { name: "Legend" }).getByText("write").waitFor();
    await photograph(page, "replication-write", messages);
  });

  test("a query for the inserted record says which copy answered: the chain's tail", async () => {
    const asker = await dashboard.nameOf(dashboard.peersIn("Free").first());
    const result = await dashboard.query(asker, INSERTED);
    // Worked out as the daemons do: the primary is pos mod n, its tail the next node.
    const primary = ownerOf(INSERTED, tableSizeFor(L_1996), 5);
    const tail = tailOf(primary, 2, 5);
    const expected = `answered by node ${tail} (${members[tail]}), the tail of 2 copies`;
    await result.getByText(expected).waitFor({ timeout: STEP_TIMEOUT_MS });
    await result.getByText("OHIO", { exact: true }).waitFor();
    const arithmetic = dashboard.ring.getByRole("complementary", { name: "Query arithmetic" });
    await arithmetic
      .getByText(`found by node ${tail} (${members[tail]}), the tail of 2 copies`)
      .waitFor();
    await arithmetic.getByText(/^k = 2, chain: \d \w+ → \d \w+ \(tail\)$/).waitFor();
    const caption = dashboard.ring.locator(".hop-caption");
    assert.match(
      (await caption.textContent()) ?? "",
      new RegExp(`node ${tail} \\(${members[tail]}\\): .*the tail of 2 copies: found it`),
    );
    await photograph(page, "replication-answer");
  });

  test("the Benchmarks view shows the committed plots", async () => {
    await page.getByRole("button", { name: "Benchmarks", exact: true }).click();
    const view = page.getByRole("region", { name: "Benchmarks" });
    const plot = view.getByRole("img", { name: /^scale: / }).first();
    await plot.waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLImageElement>("#benchmarks img")].some(
          (image) => image.complete && image.naturalWidth > 0,
        ),
      undefined,
      { timeout: STEP_TIMEOUT_MS },
    );
    assert.ok((await view.getByRole("img").count()) >= 1);
    await view.getByRole("link", { name: "scale.json" }).waitFor();
    await photograph(page, "replication-benchmarks");
    await page.keyboard.press("Escape");
    await view.waitFor({ state: "detached" });
    assert.deepEqual(live.pageErrors, []);
  });
});
