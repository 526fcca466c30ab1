/**
 * Photographs of the page at the three window sizes a lecture meets (a 1024x768 projector,
 * a 1280x800 laptop, a 1920x1080 screen) in both themes, into a folder under the system's
 * temp dir (not the repository), for a person to look at.
 */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";

export const SHOTS =
  process.env.STORMRING_LECTURE_SHOTS ?? join(tmpdir(), "stormring-lecture-shots");
export const SIZES = [
  [1024, 768],
  [1280, 800],
  [1920, 1080],
] as const;

/**
 * The page at each size in both themes, written under SHOTS as `<step>-<w>x<h>-<theme>.png`;
 * with `region`, only that part of the page (scrolled into view), for one below the fold.
 */
export async function photograph(page: Page, step: string, region?: Locator): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const html = page.locator("html");
  const theme = await html.getAttribute("data-theme");
  const viewport = page.viewportSize();
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    for (const wanted of ["dark", "light"]) {
      await switchTheme(page, wanted);
      // Nodes glide for 800 ms after a change; the picture is of where they settle.
      await page.waitForTimeout(900);
      const path = join(SHOTS, `${step}-${width}x${height}-${wanted}.png`);
      if (region === undefined) await page.screenshot({ path });
      else await region.screenshot({ path });
    }
  }
  if (theme !== null) await switchTheme(page, theme);
  await page.setViewportSize(viewport ?? { width: 1280, height: 800 });
}

async function switchTheme(page: Page, wanted: string): Promise<void> {
  if ((await page.locator("html").getAttribute("data-theme")) === wanted) return;
  await page
    .getByRole("button", { name: wanted === "light" ? "Light theme" : "Dark theme" })
    .click();
}
