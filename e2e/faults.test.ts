/**
 * Faults by click, in Chromium: a loss set at run time on a member (queries still answer),
 * a pause and a resume, a member killed and the repair watched (its neighbour reports it,
 * the ring is rebuilt without it), the killed peer restarted, a message dropped on a link,
 * and Reset back to an empty page. Every fault is shaded in the chart of query latency and
 * hops. Photographed at three sizes in both themes.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Locator, Page } from "playwright-core";
import type { Dashboard } from "./support/dashboard.ts";
import { LAPTOP, type LiveDashboard, openLiveDashboard } from "./support/live-dashboard.ts";
import { photograph } from "./support/photograph.ts";

const STEP_TIMEOUT_MS = 60_000;

describe("faults by click", { timeout: 400_000 }, () => {
  let live: LiveDashboard;
  let dashboard: Dashboard;
  let page: Page;
  let members: string[] = [];

  before(async () => {
    live = await openLiveDashboard({ viewport: LAPTOP, upTo: "demo ring" });
    ({ dashboard, page } = live);
    members = await dashboard.memberNames();
  });

  after(() => live?.close());

  const button = (name: string) => page.getByRole("button", { name, exact: true });
  const faultButton = (name: string) =>
    dashboard.inspector.getByRole("button", { name, exact: true });
  const chart = () => page.getByRole("region", { name: "Query latency and hops" });

  async function inspect(name: string): Promise<Locator> {
    await dashboard.ringNode(name).click();
    await dashboard.inspector.getByRole("heading", { name, exact: true }).waitFor();
    return dashboard.inspector;
  }

  async function randomQuery(): Promise<void> {
    const history = page.getByRole("list", { name: "Query history" }).getByRole("listitem");
    const before = await history.count();
    await button("Random query").click();
    await page.waitForFunction(
      ([count]) =>
        document.querySelectorAll('[aria-label="Query history"] li').length > (count ?? 0),
      [before],
      { timeout: STEP_TIMEOUT_MS },
    );
    await button("Random query")
      .and(page.locator(":enabled"))
      .waitFor({ timeout: STEP_TIMEOUT_MS });
  }

  test("a loss set at run time on a member; queries still answer, and the chart shades it", async () => {
    const inspector = await inspect(members[1] ?? "");
    await inspector.getByLabel("Loss").fill("20");
    await inspector.locator("output").filter({ hasText: /^20%$/ }).waitFor();
    // The peer's own snapshot says so: the log has the loss, so the chart has its span.
    await chart()
      .getByText(new RegExp(`${members[1]} loses 20%`))
      .first()
      .waitFor({ state: "attached", timeout: STEP_TIMEOUT_MS });
    await page.keyboard.press("Escape");
    await randomQuery();
    await randomQuery();
    await inspect(members[1] ?? "");
    await dashboard.inspector.getByLabel("Loss").fill("0");
    await dashboard.inspector.locator("output").filter({ hasText: /^0%$/ }).waitFor();
    // Set back to 0, the loss ends: its span is closed.
    await chart()
      .getByText(new RegExp(`${members[1]} loses 20% [\\d.]+–[\\d.]+ s`))
      .first()
      .waitFor({ state: "attached", timeout: STEP_TIMEOUT_MS });
  });

  test("Pause makes Resume of the button, and Resume makes it Pause again", async () => {
    await inspect(members[2] ?? "");
    await faultButton("Pause").click();
    await faultButton("Resume").waitFor({ timeout: STEP_TIMEOUT_MS });
    await dashboard.inspector.getByText(/paused: it answers nothing/).waitFor();
    // Resumed within --dead-after (3 s): the ring does not notice.
    await faultButton("Resume").click();
    await faultButton("Pause").waitFor({ timeout: STEP_TIMEOUT_MS });
    await chart()
      .getByText(new RegExp(`${members[2]} paused`))
      .first()
      .waitFor({ state: "attached" });
  });

  test("kill a member and watch the repair: reported dead, the ring rebuilt without it", async () => {
    const victim = members[3] ?? "";
    await inspect(victim);
    await watchRepairCaptions(page);
    const killedAt = Date.now();
    await faultButton("Kill").click();
    await dashboard.waitForDht("DHT of 4, year 1996, ready");
    const repairMs = Date.now() - killedAt;
    const captions = await page.evaluate(() => (window as unknown as Watched).repairCaptions);
    assert.ok(
      captions.some((caption) => new RegExp(`reported ${victim} dead`).test(caption)),
      `no repair caption among ${JSON.stringify(captions)}`,
    );
    assert.ok(repairMs < 20_000, `the repair took ${repairMs} ms`);
    assert.equal((await dashboard.memberNames()).includes(victim), false);
    await dashboard.peer(victim).getByText("crashed (SIGKILL)").waitFor();
    await dashboard.inspector.getByText("not running", { exact: false }).first().waitFor();
    const markers = page.getByRole("list", { name: "Command markers" });
    await markers
      .getByText(new RegExp(`\\(${victim}\\) crashed \\(SIGKILL\\)`))
      .waitFor({ state: "attached" });
    await chart()
      .getByText(new RegExp(`${victim} killed`))
      .first()
      .waitFor({ state: "attached" });
    await randomQuery();
    await photograph(page, "faults-repaired");
    await page.keyboard.press("Escape");
    await photograph(page, "faults-chart", chart());
    await inspect(victim);
  });

  test("Restart brings the killed peer back, unregistered", async () => {
    const victim = members[3] ?? "";
    await faultButton("Restart").click();
    await dashboard.peersIn("unregistered").first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await dashboard.inspector.getByRole("heading", { name: victim }).waitFor({ state: "detached" });
  });

  test("Drop next message loses one message on a link, and Reset empties the page", async () => {
    const leader = (await dashboard.memberNames())[0] ?? "";
    await inspect(leader);
    await faultButton("Drop next message").click();
    // Reset tears the DHT down from the leader: its teardown to its right neighbour is the
    // next message on that link, dropped once and retransmitted.
    await page.keyboard.press("Escape");
    await button("Reset").click();
    await button("Build demo ring").waitFor({ timeout: 120_000 });
    await page
      .getByText(/ · no DHT$/)
      .first()
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.waitForFunction(
      () =>
        !document.querySelector(".demo-hint")?.textContent?.startsWith("resetting") &&
        document.querySelectorAll('[aria-label$=", unregistered"]').length === 6,
      null,
      { timeout: 120_000 },
    );
    await chart()
      .getByText(new RegExp(`${leader} dropped teardown to \\w+`))
      .first()
      .waitFor({ state: "attached" });
    const lost = page
      .getByRole("region", { name: "Messages" })
      .getByRole("button", { name: /^teardown / });
    assert.ok((await lost.count()) >= 2, "the dropped teardown and its retransmission are drawn");
    await photograph(page, "faults-reset");
    assert.deepEqual(live.pageErrors, []);
  });
});

interface Watched {
  repairCaptions: string[];
}

/** Records every ring caption from now on: a repair may last less than a second. */
async function watchRepairCaptions(page: Page): Promise<void> {
  // A script, not a function: tsx names the functions it compiles with a helper the page
  // does not have.
  await page.evaluate(`(() => {
    window.repairCaptions = [];
    new MutationObserver(() => {
      for (const caption of document.querySelectorAll(".ring-caption")) {
        const text = caption.textContent;
        if (!window.repairCaptions.includes(text)) window.repairCaptions.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
}
