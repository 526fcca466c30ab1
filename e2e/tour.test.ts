/**
 * Lecture mode, in Chromium, as a presenter's remote drives it: from an empty page, seven
 * numbered steps with a caption each run the acceptance demo's real commands (register,
 * setup, a found query, a missing one, leave, join, teardown); PageDown and Next go on,
 * PageUp and Previous go back to how a step ended (from the log), `.` hides the caption.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import type { Dashboard } from "./support/dashboard.ts";
import { LAPTOP, type LiveDashboard, openLiveDashboard } from "./support/live-dashboard.ts";
import { photograph } from "./support/photograph.ts";

const STEP_TIMEOUT_MS = 90_000;

describe("lecture mode", { timeout: 400_000 }, () => {
  let live: LiveDashboard;
  let dashboard: Dashboard;
  let page: Page;

  before(async () => {
    live = await openLiveDashboard({ viewport: LAPTOP });
    ({ dashboard, page } = live);
  });

  after(() => live?.close());

  const panel = () => page.getByRole("region", { name: "Lecture" });
  const button = (name: string) => panel().getByRole("button", { name, exact: true });
  const history = () => page.getByRole("list", { name: "Query history" });

  /** Waits for step `number`'s title, and for it to have finished running. */
  async function atStep(number: number, title: string): Promise<void> {
    await panel().getByText(`Step ${number} of 7: ${title}`).waitFor({ timeout: STEP_TIMEOUT_MS });
    await panel().getByRole("status").waitFor({ state: "detached", timeout: STEP_TIMEOUT_MS });
  }

  test("Lecture mode opens at the start; PageDown runs the first step, register", async () => {
    await page.getByRole("button", { name: "Lecture mode", exact: true }).click();
    await panel()
      .getByText(/^Lecture: the acceptance demo in 7 steps/)
      .waitFor();
    assert.equal(await button("Previous").isDisabled(), true);
    await page.keyboard.press("PageDown");
    await atStep(1, "register");
    await page.waitForFunction(
      () => document.querySelectorAll('[aria-label$=", Free"]').length === 6,
      null,
      { timeout: STEP_TIMEOUT_MS },
    );
    assert.match((await panel().locator(".lecture-caption").textContent()) ?? "", /register/);
  });

  test("Next runs setup-dht, then PageDown a found query", async () => {
    await button("Next").click();
    await atStep(2, "setup-dht");
    await dashboard.waitForDht("DHT of 5, year 1996, ready");
    await photograph(page, "lecture-setup");
    await page.keyboard.press("PageDown");
    await atStep(3, "a found query");
    // Found, once the ring's replay has reached the owner (the answer waits for it).
    await history()
      .getByRole("listitem")
      .filter({ hasText: /^5536849\w+found/ })
      .waitFor({ timeout: STEP_TIMEOUT_MS });
  });

  test("`.` hides the caption and shows it again", async () => {
    await page.keyboard.press(".");
    await page.locator(".lecture-panel.blank").waitFor();
    await page.keyboard.press(".");
    await page.locator(".lecture-panel.blank").waitFor({ state: "detached" });
  });

  test("a missing query, then leave-dht", async () => {
    await page.keyboard.press("PageDown");
    await atStep(4, "a missing query");
    await history()
      .getByRole("listitem")
      .filter({ hasText: /^55770111\w+not found/ })
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.keyboard.press("PageDown");
    await atStep(5, "leave-dht");
    await dashboard.waitForDht("DHT of 4, year 1996, ready");
  });

  test("PageUp goes back to how the step before ended; PageDown comes back", async () => {
    await page.keyboard.press("PageUp");
    await atStep(4, "a missing query");
    await dashboard.waitForDht("DHT of 5, year 1996, ready");
    await page.getByText(/paused at event \d+ of \d+/).waitFor();
    await page.keyboard.press("PageDown");
    await atStep(5, "leave-dht");
    await dashboard.waitForDht("DHT of 4, year 1996, ready");
  });

  test("join-dht and teardown-dht end the lecture", async () => {
    await button("Next").click();
    await atStep(6, "join-dht");
    await dashboard.waitForDht("DHT of 5, year 1996, ready");
    await button("Next").click();
    await atStep(7, "teardown-dht");
    await dashboard.waitForDht("no DHT");
    assert.equal(await button("Next").isDisabled(), true, "the last step");
    await photograph(page, "lecture-end");
    assert.deepEqual(live.pageErrors, []);
  });
});
