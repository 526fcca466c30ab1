/**
 * What every dashboard test opens first: the server, Chromium on its page, and the
 * dashboard taken as far as the test starts from; one `close()` ends it all.
 */
import type { Page } from "playwright-core";
import { Dashboard, STEP_TIMEOUT_MS } from "./dashboard.ts";
import {
  openDashboard,
  type RunningBrowser,
  type RunningServer,
  type ServerOptions,
  startServer,
} from "./harness.ts";

/** The laptop size the lecture tests read the page at. */
export const LAPTOP = { width: 1280, height: 800 };

export interface LiveDashboardOptions {
  server?: ServerOptions;
  /** Resized to once the page has loaded; without it, the page stays at openDashboard's size. */
  viewport?: { width: number; height: number };
  /**
   * How far the page is taken before the tests: as opened (the default), the demo ring
   * built, or that and one Random query answered.
   */
  upTo?: "empty page" | "demo ring" | "answered query";
}

export interface LiveDashboard extends RunningBrowser {
  server: RunningServer;
  dashboard: Dashboard;
}

export async function openLiveDashboard(
  options: LiveDashboardOptions = {},
): Promise<LiveDashboard> {
  const server = await startServer(options.server);
  let browser: RunningBrowser | undefined;
  try {
    browser = await openDashboard(server.url);
    const { page } = browser;
    const dashboard = new Dashboard(page);
    if (options.viewport !== undefined) await page.setViewportSize(options.viewport);
    const upTo = options.upTo ?? "empty page";
    if (upTo !== "empty page") await dashboard.buildDemoRing();
    if (upTo === "answered query") await answerRandomQuery(page);
    const opened = browser;
    return {
      ...opened,
      server,
      dashboard,
      close: async () => {
        await opened.close();
        await server.stop();
      },
    };
  } catch (error) {
    // The caller gets nothing to close, so what was started is ended here.
    await browser?.close();
    await server.stop();
    throw error;
  }
}

/** Clicks Random query and waits until its result shows an id-seq. */
async function answerRandomQuery(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Random query", exact: true }).click();
  await page
    .getByRole("region", { name: "Query result" })
    .getByText(/^id-seq:/)
    .waitFor({ timeout: STEP_TIMEOUT_MS });
}
