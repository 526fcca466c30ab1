/**
 * The node inspector, by clicks in Chromium: a ring node opens it on that member (its
 * place, neighbour, records, Lamport clock and console, and what the daemon answers: its
 * table and counters), an event id looked up is held by its owner only, a peer card opens
 * it on that peer, and Esc closes it. Photographed at three sizes in both themes.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import type { Dashboard } from "./support/dashboard.ts";
import { LAPTOP, type LiveDashboard, openLiveDashboard } from "./support/live-dashboard.ts";
import { photograph } from "./support/photograph.ts";

const STEP_TIMEOUT_MS = 60_000;
/** In 1996, the acceptance demo's first query. */
const FOUND_ID = 5536849;

describe("the node inspector", { timeout: 300_000 }, () => {
  let live: LiveDashboard;
  let dashboard: Dashboard;
  let page: Page;
  let members: string[] = [];

  before(async () => {
    live = await openLiveDashboard({ viewport: LAPTOP, upTo: "demo ring" });
    ({ dashboard, page } = live);
    members = await dashboard.memberNames();
    assert.equal(members.length, 5, members.join(" "));
  });

  after(() => live?.close());

  const fact = (term: string) =>
    dashboard.inspector.locator(`dt:text-is("${term}") + dd`).first().textContent();

  test("a ring node opens it on that member, as the log and the daemon have it", async () => {
    const [first = "", second = ""] = members;
    await dashboard.ringNode(first).click();
    const inspector = dashboard.inspector;
    await inspector.waitFor();
    assert.equal(await inspector.getByRole("heading", { level: 2 }).textContent(), first);
    assert.equal(await fact("place"), "node 0 of 5");
    assert.match(
      (await fact("right neighbour")) ?? "",
      new RegExp(`^${second} \\(127\\.0\\.0\\.1:\\d+\\)$`),
    );
    assert.match((await fact("records held")) ?? "", /^\d{1,2},\d{3}$/);
    assert.match((await fact("Lamport clock")) ?? "", /^\d+ at its last event$/);
    // The daemon's own answer: its table, and what it has sent (the setup's messages at least).
    await inspector
      .getByText(/^[\d,]+ records in [\d,]+ of 97,073 slots$/)
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    const sent = inspector.getByRole("list", { name: "Counters" }).getByText(/ sent$/);
    assert.match((await sent.textContent()) ?? "", /^[1-9][\d,]* sent$/);
    await inspector
      .getByText(/setup-dht \w+ 5 1996: SUCCESS|node \d \(\w+\): [\d,]+ records/)
      .first()
      .waitFor();
    await photograph(page, "inspector");
  });

  test("an event id looked up is held by its owner and by no other node", async () => {
    const answer = await lookUp(FOUND_ID);
    const owner = /\((\w+)\): (not )?held here$/.exec(answer)?.[1] ?? "";
    assert.ok(members.includes(owner), answer);
    if (owner !== members[0]) assert.match(answer, /: not held here$/);
    await dashboard.ringNode(owner).click();
    await dashboard.inspector.getByRole("heading", { name: owner }).waitFor();
    assert.match(await lookUp(FOUND_ID), new RegExp(`\\(${owner}\\): held here$`));
  });

  test("a peer card opens it on that peer; Esc closes it", async () => {
    const free = dashboard.peersIn("Free").first();
    const name = await dashboard.nameOf(free);
    // The card's address line, not one of its buttons.
    await free.locator(".peer-addresses").click();
    await dashboard.inspector.getByRole("heading", { name }).waitFor();
    assert.equal(await fact("place"), "not in a ring");
    assert.equal(await fact("right neighbour"), "none");
    await dashboard.inspector
      .getByText("none (not in a DHT)")
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.keyboard.press("Escape");
    await dashboard.inspector.waitFor({ state: "detached" });
    assert.deepEqual(live.pageErrors, []);
  });

  /** Types `eventId` in the inspector's lookup; returns the answer line once it names it. */
  async function lookUp(eventId: number): Promise<string> {
    const form = dashboard.inspector.getByRole("form", { name: "Look up an event id" });
    await form.getByLabel("Held here?").fill(String(eventId));
    await form.getByRole("button", { name: "Look up" }).click();
    const line = dashboard.inspector.getByRole("status").filter({ hasText: `pos ${eventId} mod` });
    await line.waitFor({ timeout: STEP_TIMEOUT_MS });
    return (await line.textContent()) ?? "";
  }
});
