/**
 * The acceptance demo of PROTOCOL.md section 9, by clicks alone in Chromium: six peers
 * added and registered, setup-dht n = 5 for 1996, the four queries from the sixth peer,
 * a leave and a query by the leaver, a join and a query by the other outside peer,
 * teardown, and everyone deregistering. Each step saves a screenshot in e2e/artifacts/.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Locator } from "playwright-core";
import type { Dashboard } from "./support/dashboard.ts";
import { screenshot } from "./support/harness.ts";
import { type LiveDashboard, openLiveDashboard } from "./support/live-dashboard.ts";
import { labelOf, recordOf } from "./support/records.ts";

const NAMES = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];
const FOUND = [5536849, 5539287];
const ABSENT = [2402920, 55770111];

describe("acceptance demo in the dashboard", { timeout: 300_000 }, () => {
  let live: LiveDashboard;
  let dashboard: Dashboard;
  let sixth = "";
  let leaver = "";
  /** The log position right after the DHT was built, to scrub back to. */
  let builtAt = 0;

  before(async () => {
    live = await openLiveDashboard();
    ({ dashboard } = live);
  });

  after(() => live?.close());

  test("the page opens with the manager and no peers", async () => {
    await dashboard.peers.getByRole("button", { name: "Add peer" }).waitFor();
    await screenshot(live.page, "empty");
  });

  test("six peers are added and registered", async () => {
    await dashboard.addPeers(6);
    await screenshot(live.page, "six-peers-added");
    for (const [index, name] of NAMES.entries()) {
      await dashboard.register(`peer-${index + 1}`, name);
    }
    assert.equal(await dashboard.peersIn("Free").count(), 6);
    await screenshot(live.page, "six-peers-registered");
  });

  test("a refused command shows the manager's reason and changes nothing", async () => {
    const seventh = await dashboard.addPeers(1);
    const card = dashboard.peer(seventh);
    await card.getByRole("button", { name: "register", exact: true }).click();
    const form = card.getByRole("form", { name: `register ${seventh}` });
    await form.getByLabel("Name").fill("alpha");
    await form.getByRole("button", { name: "Send register" }).click();
    const alert = live.page.getByRole("alert").filter({ hasText: "DUPLICATE_NAME" });
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? "", /name "alpha" is already registered/);
    await screenshot(live.page, "refused-register");
    await alert.getByRole("button", { name: /^Dismiss/ }).click();
    await form.getByRole("button", { name: "Cancel" }).click();
    assert.equal(await dashboard.peersIn("Free").count(), 6);
    assert.equal(await dashboard.peersIn("unregistered").count(), 1);
  });

  test("alpha builds a DHT of five for 1996", async () => {
    await dashboard.setupDht("alpha", 5, "1996");
    assert.equal(await dashboard.peersIn("Leader").count(), 1);
    assert.equal(await dashboard.peersIn("InDHT").count(), 4);
    const records = live.page.getByRole("region", { name: "Records" });
    await records
      .getByText(/48,?534/)
      .first()
      .waitFor();
    sixth = await dashboard.nameOf(dashboard.peersIn("Free").first());
    builtAt = await dashboard.cursor();
    await screenshot(live.page, "dht-built");
  });

  for (const eventId of [FOUND[0], ABSENT[0], FOUND[1], ABSENT[1]] as number[]) {
    test(`the sixth peer queries ${eventId}`, async () => {
      const result = await dashboard.query(sixth, eventId);
      await checkAnswer(result, eventId, 5);
      await screenshot(live.page, `query-${eventId}`);
    });
  }

  test("a member leaves, then the leaver queries", async () => {
    const member = dashboard.peersIn("InDHT").first();
    leaver = await dashboard.nameOf(member);
    await dashboard.run(member, "leave-dht");
    await dashboard.waitForDht("DHT of 4, year 1996, ready");
    await dashboard.peer(leaver).and(dashboard.peersIn("Free")).waitFor();
    await screenshot(live.page, "after-leave");
    const result = await dashboard.query(leaver, FOUND[0] as number);
    await checkAnswer(result, FOUND[0] as number, 4);
    await screenshot(live.page, "leaver-query");
  });

  test("the sixth peer joins, then the leaver queries", async () => {
    await dashboard.run(dashboard.peer(sixth), "join-dht");
    await dashboard.waitForDht("DHT of 5, year 1996, ready");
    await screenshot(live.page, "after-join");
    const result = await dashboard.query(leaver, FOUND[1] as number);
    await checkAnswer(result, FOUND[1] as number, 5);
    await screenshot(live.page, "query-after-join");
  });

  test("the leader tears the DHT down", async () => {
    await dashboard.run(dashboard.peersIn("Leader").first(), "teardown-dht");
    await dashboard.waitForDht("no DHT");
    await dashboard.peersIn("InDHT").first().waitFor({ state: "detached" });
    await dashboard.peersIn("Leader").first().waitFor({ state: "detached" });
    assert.equal(await dashboard.peersIn("Free").count(), 6);
    await screenshot(live.page, "after-teardown");
  });

  test("every peer deregisters and exits", async () => {
    for (const name of NAMES) {
      await dashboard.run(dashboard.peer(name), "deregister");
      await dashboard.peersIn("gone").nth(NAMES.indexOf(name)).waitFor({ timeout: 30_000 });
    }
    assert.equal(await dashboard.peersIn("gone").count(), 6);
    await screenshot(live.page, "all-deregistered");
    assert.deepEqual(live.pageErrors, []);
  });

  test("scrubbing back shows the ring as it was, and Live returns", async () => {
    const timeControl = live.page.getByRole("region", { name: "Time control" });
    await timeControl.getByRole("button", { name: "Pause" }).click();
    await timeControl.getByLabel("Time cursor").fill(String(builtAt));
    await dashboard.waitForDht("DHT of 5, year 1996, ready");
    assert.equal(await dashboard.peersIn("Leader").count(), 1);
    const commands = dashboard.peersIn("Leader").getByRole("button", { name: "teardown-dht" });
    assert.equal(await commands.isDisabled(), true, "no commands while viewing the past");
    await screenshot(live.page, "scrubbed-back");

    // A moment of the build, found in the server's timeline, shows its progress bar.
    const storing = await dashboard.storeProgressSeq();
    await timeControl.getByLabel("Time cursor").fill(String(storing.seq));
    const progress = live.page
      .getByRole("region", { name: "Records" })
      .getByRole("progressbar", { name: "Storing records" });
    await progress.waitFor();
    assert.equal(Number(await progress.getAttribute("value")), storing.stored);
    await screenshot(live.page, "scrubbed-to-build");

    // Each message of the diagram opens its details; by keyboard, since crossing arrows
    // may lie over the middle of the one a mouse would click.
    const messages = live.page.getByRole("region", { name: "Messages" });
    await pressArrow(messages.getByRole("button", { name: /^set-id alpha → / }).first());
    const details = messages.getByRole("complementary", { name: "Message details" });
    await details.getByText(/set-id \d+ \(ring of 5, year 1996\)/).waitFor();
    await timeControl.getByRole("button", { name: "Live" }).click();
    await dashboard.waitForDht("no DHT");
    assert.equal(await dashboard.peersIn("gone").count(), 6);
  });

  test("the keyboard drives time: Space on a button presses it once, arrows step, L is live", async () => {
    const { page } = live;
    const timeControl = page.getByRole("region", { name: "Time control" });
    await timeControl.getByRole("button", { name: "Pause" }).focus();
    await page.keyboard.press(" ");
    await timeControl.getByRole("button", { name: "Play" }).waitFor();
    const paused = await dashboard.cursor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("ArrowLeft");
    await page.waitForFunction(
      (before) =>
        Number(document.querySelector<HTMLInputElement>('[aria-label="Time cursor"]')?.value) <
        before,
      paused,
    );
    await page.keyboard.press("l");
    await timeControl.getByRole("button", { name: "Pause" }).waitFor();
    assert.equal(
      await timeControl.getByRole("button", { name: "Live" }).getAttribute("aria-pressed"),
      "true",
    );
  });

  test("a message's causal history is shown, and the light theme reads well", async () => {
    const { page } = live;
    const messages = page.getByRole("region", { name: "Messages" });
    await pressArrow(messages.getByRole("button", { name: /^find-event / }).last());
    const details = messages.getByRole("complementary", { name: "Message details" });
    await details.getByText(/^History: \d+ drawn messages? happened before it was sent/).waitFor();
    await page.getByRole("button", { name: "Light theme" }).click();
    assert.equal(await page.locator("html").getAttribute("data-theme"), "light");
    await screenshot(page, "light-theme-causal-history");
    await page.getByRole("button", { name: "Dark theme" }).click();
    await page.keyboard.press("Escape");
    await details.getByText(/^History:/).waitFor({ state: "detached" });
  });

  test("? opens the keyboard shortcut sheet", async () => {
    await live.page.keyboard.press("?");
    const sheet = live.page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await sheet.waitFor();
    await screenshot(live.page, "shortcut-sheet");
    await live.page.keyboard.press("Escape");
    await sheet.waitFor({ state: "hidden" });
  });

  /** The result shows the record (every field) or "not found", and the ring its walk. */
  async function checkAnswer(result: Locator, eventId: number, ringSize: number) {
    const idSeq = await dashboard.idSeqOf(result);
    assert.ok(idSeq.length >= 1 && idSeq.length <= ringSize, `id-seq ${idSeq}`);
    assert.equal(new Set(idSeq).size, idSeq.length, `id-seq ${idSeq} repeats a node`);
    if (FOUND.includes(eventId)) {
      const shown = await fieldsShown(result);
      for (const [header, value] of Object.entries(recordOf("1996", eventId))) {
        assert.equal(shown.get(labelOf(header)), value.trim(), labelOf(header));
      }
    } else {
      await result.getByText(`Storm event ${eventId} not found in the DHT.`).waitFor();
    }
    await dashboard.waitForHopPath(idSeq.length);
  }
});

/** The labelled fields of a result's description list. */
async function fieldsShown(result: Locator): Promise<Map<string, string>> {
  const pairs = await result.evaluate((region) =>
    [...region.querySelectorAll("dt")].map((term) => [
      term.textContent?.trim() ?? "",
      term.nextElementSibling?.textContent?.trim() ?? "",
    ]),
  );
  return new Map(pairs as [string, string][]);
}

/** Selects a message arrow of the diagram as a keyboard user does: focus, then Enter. */
async function pressArrow(arrow: Locator): Promise<void> {
  await arrow.focus();
  await arrow.press("Enter");
}
