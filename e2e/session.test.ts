/**
 * Export and import, in Chromium: a link holds the cursor (#t=<seq>); `Export session`,
 * `Export ShiViz log` and the ring's and diagram's SVG and PNG are downloaded and checked;
 * after a reload `Import session` replays the session with nothing live to command, drawn
 * as it was at each moment; and with the server stopped, a plain file server's page opens
 * `?session=<url>#t=<seq>` at that moment, no daemon running anywhere.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { REPLAYING_SESSION } from "../web/src/model/acting.ts";
import { SHIVIZ_REGEX } from "../web/src/model/shiviz.ts";
import type { Dashboard } from "./support/dashboard.ts";
import { REPO_ROOT } from "./support/harness.ts";
import { LAPTOP, type LiveDashboard, openLiveDashboard } from "./support/live-dashboard.ts";
import { photograph } from "./support/photograph.ts";

describe("export and import", { timeout: 300_000 }, () => {
  let live: LiveDashboard;
  let dashboard: Dashboard;
  let page: Page;
  let folder = "";
  let sessionPath = "";
  /** The cursor the link holds, and the log's length when exported. */
  let linkedSeq = 0;
  let lastSeq = 0;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), "stormring-session-"));
    live = await openLiveDashboard({ viewport: LAPTOP, upTo: "answered query" });
    ({ dashboard, page } = live);
  });

  after(() => live?.close());

  const button = (name: string) => page.getByRole("button", { name, exact: true });
  const peerCards = () => dashboard.peers.getByRole("article", { name: /^peer-\d+: / });
  const position = async () =>
    ((await page.locator(".time-position").textContent()) ?? "").split("/").map(Number);

  /** Opens the Session menu (if closed) and clicks `name`; returns what it downloaded. */
  async function fromSessionMenu(name: string): Promise<string> {
    const menu = page.locator("details.session-menu");
    if ((await menu.getAttribute("open")) === null) await menu.locator("summary").click();
    return downloadOf(() => button(name).click());
  }

  async function downloadOf(click: () => Promise<void>): Promise<string> {
    const [download] = await Promise.all([page.waitForEvent("download"), click()]);
    const path = join(folder, download.suggestedFilename());
    await download.saveAs(path);
    return path;
  }

  test("a pinned cursor is in the link as #t=<seq>", async () => {
    await button("Previous command").click();
    [linkedSeq = 0] = await position();
    await page.waitForFunction((seq) => location.hash === `#t=${seq}`, linkedSeq);
  });

  test("Export session saves the whole log; Export ShiViz log its messages with vector clocks", async () => {
    sessionPath = await fromSessionMenu("Export session");
    const session = JSON.parse(await readFile(sessionPath, "utf8"));
    [, lastSeq = 0] = await position();
    assert.equal(session.format, "stormring-session");
    assert.equal(session.entries.at(-1).seq, lastSeq);
    assert.ok(session.states.length > 0);

    const shiviz = (await readFile(await fromSessionMenu("Export ShiViz log"), "utf8")).split("\n");
    assert.equal(shiviz[0], SHIVIZ_REGEX);
    // After the parser and the empty delimiter line: an event's text, then its host and clock.
    const clocks = shiviz.slice(2).filter((line, index) => index % 2 === 1 && line !== "");
    assert.ok(clocks.length > 20, `${clocks.length} events`);
    for (const line of clocks) {
      const [host = "", ...clock] = line.split(" ");
      assert.ok(host in JSON.parse(clock.join(" ")), line);
    }
  });

  test("the ring and the diagram export as SVG and PNG", async () => {
    for (const what of ["ring", "diagram"]) {
      const svg = await readFile(
        await downloadOf(() => button(`Export ${what} as SVG`).click()),
        "utf8",
      );
      assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(svg, /alpha|beta|gamma/, `the ${what} names its peers`);
      const png = await readFile(await downloadOf(() => button(`Export ${what} as PNG`).click()));
      assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from("PNG")]);
    }
  });

  test("after a reload, Import session replays it, as it was at each moment, with nothing to command", async () => {
    await page.goto(live.server.url);
    await dashboard.waitForDht("DHT of 5, year 1996, ready");
    const menu = page.locator("details.session-menu");
    await menu.locator("summary").click();
    await page.getByLabel("Session file").setInputFiles(sessionPath);
    await page.getByText(/^replaying a session: event \d+ of \d+/).waitFor();
    await menu.locator("summary").click();
    await page.getByText(/^Replaying stormring-session-[\d-T]+\.json$/).waitFor();
    await menu.locator("summary").click();
    assert.deepEqual(await position(), [0, lastSeq]);
    // At its start (before its first event) the demo's six peers had started and none had
    // registered: drawn as they were then, not as they are at its end.
    assert.equal(await peerCards().count(), 6);
    assert.equal(await dashboard.peersIn("unregistered").count(), 6);
    await page
      .getByText(/ · no DHT$/)
      .first()
      .waitFor();
    await page
      .getByRole("region", { name: "Time control" })
      .getByRole("button", { name: "Live" })
      .click();
    await dashboard.waitForDht("DHT of 5, year 1996, ready");
    assert.equal(await dashboard.peersIn("unregistered").count(), 0);
    for (const name of ["Random query", "Add peer", "Reset"]) {
      assert.equal(await button(name).getAttribute("title"), REPLAYING_SESSION, name);
    }
    await photograph(page, "session-imported");
  });

  test("with no server and no daemons, ?session=<url>#t=<seq> opens the session at that moment", async () => {
    await live.server.stop();
    const files = await serveFiles({ "/session.json": sessionPath });
    try {
      await page.goto(`${files.url}/?session=/session.json#t=${linkedSeq}`);
      await page.getByText(`replaying a session: event ${linkedSeq} of ${lastSeq}`).waitFor();
      assert.deepEqual(await position(), [linkedSeq, lastSeq]);
      // The moment of the random query: the demo ring was up, its six peers drawn.
      await dashboard.waitForDht("DHT of 5, year 1996, ready");
      assert.equal(await peerCards().count(), 6);
      assert.deepEqual(live.pageErrors, []);
    } finally {
      await new Promise((resolve) => files.server.close(resolve));
    }
  });
});

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

/** A plain file server: the built page from web/dist, and `extra` files by path. */
async function serveFiles(extra: Record<string, string>): Promise<{ url: string; server: Server }> {
  const root = join(REPO_ROOT, "web", "dist");
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://files").pathname;
    const file = extra[path] ?? join(root, normalize(path === "/" ? "/index.html" : path));
    try {
      const body = readFileSync(file);
      response.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, server };
}
