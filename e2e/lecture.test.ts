/**
 * The dashboard as a lecture uses it, by clicks in Chromium: from an empty page, `Build
 * demo ring` and `Random query` are the two clicks to a first animated hop; the result
 * stays hidden until the walk's replay reaches its last hop; `Next hop` / `Previous hop`
 * move one whole hop with a caption each; `Next command` / `Previous command` jump
 * between the time line's markers. The new controls are photographed at three window
 * sizes in both themes, into a folder under the system's temp dir (not the repository).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import type { Dashboard } from "./support/dashboard.ts";
import { LAPTOP, type LiveDashboard, openLiveDashboard } from "./support/live-dashboard.ts";
import { photograph } from "./support/photograph.ts";

const STEP_TIMEOUT_MS = 60_000;

describe("the dashboard as a lecture instrument", { timeout: 300_000 }, () => {
  let live: LiveDashboard;
  let dashboard: Dashboard;
  let page: Page;

  before(async () => {
    live = await openLiveDashboard({ viewport: LAPTOP });
    ({ dashboard, page } = live);
  });

  after(() => live?.close());

  const ring = () => page.getByRole("region", { name: "Ring" });
  const result = () =>
    page.getByRole("region", { name: "Queries" }).getByRole("region", { name: "Query result" });
  const hopCaption = () => ring().locator(".hop-caption");
  const button = (name: string) => page.getByRole("button", { name, exact: true });

  test("an empty page says what to do first, in one sentence", async () => {
    const demo = page.getByRole("region", { name: "Demo" });
    await demo.getByRole("button", { name: "Build demo ring", exact: true }).waitFor();
    const hint = (await demo.locator(".demo-hint").textContent()) ?? "";
    assert.match(hint, /^Start here: press Build demo ring/);
    assert.equal(hint.split(/[.!?](\s|$)/).filter((part) => part.trim() !== "").length, 1, hint);
    await photograph(page, "empty");
  });

  test("two clicks from the empty page to a first animated hop", async () => {
    let clicks = 0;
    await button("Build demo ring").click();
    clicks += 1;
    await dashboard.waitForDht("DHT of 5, year 1996, ready");
    assert.equal(await dashboard.peersIn("Free").count(), 1, "one peer is left free");
    const free = await dashboard.nameOf(dashboard.peersIn("Free").first());
    const queries = page.getByRole("region", { name: "Queries" });
    await queries.getByText(`Querying peer: ${free}`).waitFor();
    await watchForEarlyAnswers(page);
    await button("Random query").click();
    clicks += 1;
    // Hop 0, the manager's choice of the first member, is drawn first.
    await ring()
      .getByRole("img", { name: /^hop 0: manager picks \w+$/ })
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.equal(clicks, 2);
    await result()
      .getByText(/^id-seq:/)
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    await photograph(page, "random-query");
  });

  test("live, the result appears only once the replay has drawn the last hop", async () => {
    const early = await page.evaluate(() => (window as unknown as Watched).earlyAnswers);
    assert.deepEqual(early, [], "the answer was shown before the walk's last hop");
  });

  test("Previous hop and Next hop move one whole hop, with a caption each", async () => {
    const hops = await drawnHops();
    while (await button("Previous hop").isEnabled()) await button("Previous hop").click();
    assert.match((await hopCaption().textContent()) ?? "", /^hop 0 manager: \w+ asks for a member/);
    assert.equal(await drawnHops(), 0);
    await assertResultHidden();
    for (let hop = 1; hop <= hops; hop++) {
      await button("Next hop").click();
      assert.equal(await drawnHops(), hop);
      const caption = (await hopCaption().textContent()) ?? "";
      assert.match(caption, new RegExp(`^hop ${hop} node \\d \\(\\w+\\): pos \\d+ mod 5 = \\d, `));
      if (hop < hops) {
        assert.match(caption, /not mine: forward to an unvisited node, \w+$/);
        await assertResultHidden();
      }
    }
    assert.match((await hopCaption().textContent()) ?? "", /(found it|not found)/);
    await result()
      .getByText(/^id-seq:/)
      .waitFor();
    assert.equal(await button("Next hop").isDisabled(), true, "the walk has ended");
    // The keys do the same: p back one hop, n on again.
    await page.keyboard.press("p");
    assert.equal(await drawnHops(), hops - 1);
    await page.keyboard.press("n");
    assert.equal(await drawnHops(), hops);
    await photograph(page, "hop-controls");
  });

  test("the arithmetic writes 2 x l with its product", async () => {
    const arithmetic = ring().getByRole("complementary", { name: "Query arithmetic" });
    await arithmetic.getByText("first prime > 2 x l = 2 x 48534 = 97068: 97073").waitFor();
  });

  test("Demo queries runs the acceptance demo's four", async () => {
    await button("Demo queries").click();
    const history = page.getByRole("list", { name: "Query history" });
    for (const eventId of [5536849, 2402920, 5539287, 55770111]) {
      await history.getByText(String(eventId)).waitFor({ timeout: STEP_TIMEOUT_MS });
    }
    await button("Random query")
      .and(page.locator(":enabled"))
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.waitForFunction(
      () => !document.querySelector(".demo-hint")?.textContent?.startsWith("query "),
      null,
      { timeout: STEP_TIMEOUT_MS },
    );
  });

  test("the time line has a marker per command; Previous and Next command jump to them", async () => {
    const markers = page.getByRole("list", { name: "Command markers" }).getByRole("listitem");
    // setup-dht, the random query and the demo's four.
    assert.equal(await markers.count(), 6);
    const labels = await markers.allTextContents();
    assert.match(labels[0] ?? "", /^setup-dht \w+ 5 1996 at event \d+$/);
    assert.match(labels[5] ?? "", /^query-dht \w+ 55770111 at event \d+$/);
    const seqOf = (label: string) => Number(/at event (\d+)$/.exec(label)?.[1]);

    await button("Previous command").click();
    assert.equal(await dashboard.cursor(), seqOf(labels[5] ?? ""));
    // The query jumped to is shown as it began: Next hop moves on to its first hop.
    assert.match((await hopCaption().textContent()) ?? "", /^hop 0 manager:/);
    await assertResultHidden();
    await button("Next hop").click();
    await ring()
      .getByRole("img", { name: /^hop 0: manager picks \w+$/ })
      .waitFor();
    await photograph(page, "command-markers");

    // Next hop moved the cursor past the query's marker: the first jump back returns to it.
    for (const index of [5, 4, 3, 2, 1, 0]) {
      await button("Previous command").click();
      assert.equal(await dashboard.cursor(), seqOf(labels[index] ?? ""));
    }
    assert.equal(await button("Previous command").isDisabled(), true);
    await button("Next command").click();
    assert.equal(await dashboard.cursor(), seqOf(labels[1] ?? ""));
    // Shift+N and Shift+P, as the shortcut sheet says.
    await page.keyboard.press("Shift+N");
    assert.equal(await dashboard.cursor(), seqOf(labels[2] ?? ""));
    await page.keyboard.press("Shift+P");
    assert.equal(await dashboard.cursor(), seqOf(labels[1] ?? ""));
    await page
      .getByRole("region", { name: "Time control" })
      .getByRole("button", { name: "Live" })
      .click();
    assert.deepEqual(live.pageErrors, []);
  });

  /** The find-event hops the ring draws now (hop 0 not counted). */
  async function drawnHops(): Promise<number> {
    return ring()
      .getByRole("img", { name: /^hop [1-9]\d*: / })
      .count();
  }

  async function assertResultHidden(): Promise<void> {
    assert.equal(
      await result()
        .getByText(/^id-seq:/)
        .count(),
      0,
      "the result is shown",
    );
    assert.equal(
      await result()
        .getByText(/answered by/)
        .count(),
      0,
      '"answered by" is shown',
    );
    const arithmetic = ring().getByRole("complementary", { name: "Query arithmetic" });
    assert.equal(await arithmetic.getByText(/ by \w+$/).count(), 0, '"found by" is shown');
    await arithmetic.getByText(/mod 5 = \? /).waitFor();
  }
});

interface Watched {
  earlyAnswers: string[];
}

/**
 * Records, from now on, every moment the page shows a query's id-seq while the ring has
 * drawn fewer hops than the id-seq is long.
 */
async function watchForEarlyAnswers(page: Page): Promise<void> {
  // A script, not a function: tsx names the functions it compiles with a helper the page
  // does not have.
  await page.evaluate(`(() => {
    window.earlyAnswers = [];
    new MutationObserver(() => {
      const line = [...document.querySelectorAll('[aria-label="Query result"] p')]
        .find((each) => each.textContent.startsWith("id-seq:"));
      if (line === undefined) return;
      const length = line.textContent.replace("id-seq:", "").trim().split(/\\s+/).length;
      const hops = [...document.querySelectorAll('[aria-label="hop path"] [aria-label^="hop "]')]
        .filter((hop) => !hop.getAttribute("aria-label").startsWith("hop 0"));
      if (hops.length < length) window.earlyAnswers.push(line.textContent + " at " + hops.length);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
}
