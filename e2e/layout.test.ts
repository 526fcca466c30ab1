/**
 * The page on a projector, in Chromium, at 1024x768, 1280x800 and 1920x1080: nothing
 * scrolls sideways; Large text grows the text inside the ring and the diagram; the
 * Presentation layout puts the ring and the diagram side by side; a deregistered peer is
 * gone (not crashed) and Clear departed removes it; Show older messages pages back; the
 * diagram's arrows say their type; many peers outside the ring keep their labels apart.
 * Photographed at each size in both themes.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import type { Dashboard } from "./support/dashboard.ts";
import { LAPTOP, type LiveDashboard, openLiveDashboard } from "./support/live-dashboard.ts";
import { photograph, SIZES } from "./support/photograph.ts";

const STEP_TIMEOUT_MS = 60_000;

describe("the projector layout", { timeout: 400_000 }, () => {
  let live: LiveDashboard;
  let dashboard: Dashboard;
  let page: Page;
  let departedName = "";

  before(async () => {
    live = await openLiveDashboard({ viewport: LAPTOP, upTo: "answered query" });
    ({ dashboard, page } = live);
  });

  after(() => live?.close());

  const button = (name: string) => page.getByRole("button", { name, exact: true });
  const messages = () => page.getByRole("region", { name: "Messages" });

  test("nothing scrolls sideways at any of the three sizes, in either layout", async () => {
    for (const presenting of [false, true]) {
      if (presenting) await button("Presentation layout").click();
      for (const [width, height] of SIZES) {
        await page.setViewportSize({ width, height });
        await page.waitForTimeout(300);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.equal(overflow, 0, `${width}x${height}${presenting ? " presenting" : ""}`);
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test("the Presentation layout puts the ring and the diagram side by side", async () => {
    assert.equal(await button("Presentation layout").getAttribute("aria-pressed"), "true");
    const ring = await page.getByRole("region", { name: "Ring" }).boundingBox();
    const diagram = await messages().boundingBox();
    assert.ok(ring !== null && diagram !== null);
    assert.ok(diagram.x >= ring.x + ring.width - 1, "the diagram is right of the ring");
    assert.ok(Math.abs(diagram.y - ring.y) < 4, "on the same row");
    await photograph(page, "layout-presentation");
    await button("Presentation layout").click();
  });

  test("Large text grows the text inside the ring and the diagram", async () => {
    const sizes = () =>
      page.evaluate(() => [
        Number.parseFloat(
          getComputedStyle(document.querySelector(".ring-node-name") as Element).fontSize,
        ),
        Number.parseFloat(
          getComputedStyle(document.querySelector(".message-type") as Element).fontSize,
        ),
      ]);
    const [ringBefore = 0, diagramBefore = 0] = await sizes();
    await button("Large text").click();
    const [ringAfter = 0, diagramAfter = 0] = await sizes();
    assert.ok(ringAfter > ringBefore, `ring ${ringBefore} -> ${ringAfter}`);
    assert.ok(diagramAfter > diagramBefore, `diagram ${diagramBefore} -> ${diagramAfter}`);
    await photograph(page, "layout-large-text");
    await button("Large text").click();
  });

  test("the diagram's arrows say their type, and no two labels overlap", async () => {
    const labels = messages().locator(".message-type");
    assert.ok((await labels.count()) > 5);
    const boxes = await labels.evaluateAll((nodes) =>
      nodes.map((node) => node.getBoundingClientRect().toJSON()),
    );
    for (const [index, box] of boxes.entries()) {
      for (const other of boxes.slice(index + 1)) {
        const apart =
          box.right <= other.left ||
          other.right <= box.left ||
          box.bottom <= other.top ||
          other.bottom <= box.top;
        assert.ok(apart, `labels overlap: ${JSON.stringify([box, other])}`);
      }
    }
  });

  test("Show older messages pages back past the newest 150", async () => {
    const count = () => messages().locator(".messages-count").textContent();
    // Queries until the diagram holds more than its 150 newest messages.
    for (let query = 0; !/older messages hidden/.test((await count()) ?? ""); query++) {
      assert.ok(query < 40, "150 messages after 40 queries");
      await button("Random query").click();
      await button("Random query")
        .and(page.locator(":enabled"))
        .waitFor({ timeout: STEP_TIMEOUT_MS });
    }
    // Paused, so no message arriving meanwhile changes what is drawn.
    const timeControl = page.getByRole("region", { name: "Time control" });
    await timeControl.getByRole("button", { name: "Pause" }).click();
    const newest = await count();
    await button("Show older messages").click();
    assert.notEqual(await count(), newest);
    assert.match((await count()) ?? "", /newer messages hidden/);
    await button("Show newer messages").click();
    assert.equal(await count(), newest);
    await timeControl.getByRole("button", { name: "Live" }).click();
  });

  test("a deregistered peer is gone, not crashed", async () => {
    const free = dashboard.peersIn("Free").first();
    departedName = await dashboard.nameOf(free);
    await dashboard.run(free, "deregister");
    const gone = dashboard.peer(departedName).and(dashboard.peersIn("gone"));
    await gone.waitFor({ timeout: STEP_TIMEOUT_MS });
    await gone.getByText("deregistered and exited (code 0)").waitFor();
    await dashboard.ringNode(departedName).waitFor();
    assert.equal(
      await dashboard.ringNode(departedName).getAttribute("aria-label"),
      `peer ${departedName} (gone)`,
    );
  });

  test("more than seven peers outside the ring keep their labels apart", async () => {
    // Seven more (twelve running, the server's most) and the departed one: eight outside.
    await dashboard.addPeers(7);
    const labels = page.getByRole("region", { name: "Ring" }).locator(".ring-node.outside text");
    await page.waitForTimeout(1_000);
    const boxes = await labels.evaluateAll((nodes) =>
      nodes.map((node) => node.getBoundingClientRect().toJSON()),
    );
    assert.equal(boxes.length, 2 * 8, "a name and a detail line for each of the eight");
    assertApart(boxes, "ring labels");
    // Nor does a label run under another peer's disc.
    const nodes = await page
      .getByRole("region", { name: "Ring" })
      .locator(".ring-node.outside")
      .evaluateAll((groups) =>
        groups.map((group) => ({
          disc: (group.querySelector("circle") as Element).getBoundingClientRect().toJSON(),
          labels: [...group.querySelectorAll("text")].map((text) =>
            text.getBoundingClientRect().toJSON(),
          ),
        })),
      );
    for (const node of nodes) {
      for (const other of nodes) {
        if (other !== node) assertApart([...node.labels, other.disc], "a label and a disc");
      }
    }
    await photograph(page, "layout-many-peers");
  });

  test("Clear departed takes the gone peer off the page", async () => {
    await button("Clear departed").click();
    await dashboard.peer(departedName).waitFor({ state: "detached" });
    await dashboard.ringNode(departedName).waitFor({ state: "detached" });
    assert.deepEqual(live.pageErrors, []);
  });
});

interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** No two of `boxes` overlap (touching is fine). */
function assertApart(boxes: readonly Rect[], what: string): void {
  for (const [index, box] of boxes.entries()) {
    for (const other of boxes.slice(index + 1)) {
      const apart =
        box.right <= other.left + 0.5 ||
        other.right <= box.left + 0.5 ||
        box.bottom <= other.top + 0.5 ||
        other.bottom <= box.top + 0.5;
      assert.ok(apart, `${what} overlap: ${JSON.stringify([box, other])}`);
    }
  }
}
