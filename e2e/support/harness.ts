/**
 * The e2e harness: the embedded default (`npm start` with no peers, so the test adds them
 * by clicks) on a free port, and Debian's Chromium driven by playwright-core, which never
 * downloads a browser of its own.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { ensureFreshBuild } from "../../daemons/demo/fresh-build.ts";
import { TEST_DATA_DIR } from "../../daemons/test/support/paths.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The peers' data folder: $DHT_DATA_DIR, else the folder every other test reads. */
export const DATA_DIR = process.env.DHT_DATA_DIR ?? TEST_DATA_DIR;
export const ARTIFACTS = join(REPO_ROOT, "e2e", "artifacts");
const CHROMIUM = process.env.STORMRING_CHROMIUM ?? "/usr/bin/chromium";

export interface RunningServer {
  url: string;
  process: ChildProcess;
  output: string[];
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** The peers' data folder; default DATA_DIR. */
  dataDir?: string;
  /** More environment for the server (e.g. STORMRING_NOAA_BASE_URL). */
  env?: NodeJS.ProcessEnv;
}

/** Starts the server with a manager and no peers; resolves once it prints its URL. */
export function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? DATA_DIR;
  ensureFreshBuild();
  const child = spawn(
    process.execPath,
    // --data-dir, not only $DHT_DATA_DIR, so a test's own folder wins over the caller's.
    ["bin/stormring.js", "--port", "0", "--peers", "0", "--data-dir", dataDir],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env, DHT_DATA_DIR: dataDir },
      stdio: "pipe",
    },
  );
  const output: string[] = [];
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  createInterface({ input: child.stderr }).on("line", (line) => output.push(line));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start:\n${output.join("\n")}`)),
      30_000,
    );
    child.once("exit", (code) =>
      reject(new Error(`server exited (${code}):\n${output.join("\n")}`)),
    );
    createInterface({ input: child.stdout }).on("line", (line) => {
      output.push(line);
      const url = /^stormring dashboard: (\S+)/.exec(line)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve({ url, process: child, output, stop });
    });
  });
}

export interface RunningBrowser {
  browser: Browser;
  page: Page;
  /** Uncaught errors the page threw, in order: a correct run has none. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openDashboard(url: string): Promise<RunningBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  // Dark, as most screens show it; the light theme is tried by a step of its own.
  const page = await browser.newPage({
    viewport: { width: 1280, height: 720 },
    colorScheme: "dark",
  });
  await page.goto(url);
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  return {
    browser,
    page,
    pageErrors,
    // Playwright gives the browser a fresh profile in a temporary folder of its own.
    close: () => browser.close(),
  };
}

let shot = 0;
/** Saves a numbered full-page screenshot of the step under e2e/artifacts/. */
export async function screenshot(page: Page, step: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  shot += 1;
  // Nodes glide for 800 ms after a change; the picture is of where they settle.
  await page.waitForTimeout(1_000);
  // A full-page picture of a scrolled page would draw the sticky header mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  const path = join(ARTIFACTS, `${String(shot).padStart(2, "0")}-${step}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
