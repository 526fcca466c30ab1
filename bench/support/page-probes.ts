/**
 * What the dashboard bench measures inside the page: long tasks (PerformanceObserver
 * 'longtask', main-thread tasks over 50 ms) and the gaps between animation frames, which
 * is how janky the page feels while the timeline pours in. Collected in the page and read
 * per phase, so the numbers of the setup and of the queries stay apart.
 */
import type { Page } from "playwright-core";

interface ProbeState {
  longTasks: { start: number; duration: number }[];
  frameGaps: number[];
  lastFrame: number;
}

declare global {
  interface Window {
    __benchProbe?: ProbeState;
  }
}

export interface PhaseMetrics {
  longTaskCount: number;
  longTaskTotalMs: number;
  longTaskMaxMs: number;
  frames: number;
  maxFrameGapMs: number;
  p95FrameGapMs: number;
}

/** Runs in the page before its own scripts, so the first tasks are observed too. */
function probeScript(): void {
  const probe: ProbeState = { longTasks: [], frameGaps: [], lastFrame: performance.now() };
  window.__benchProbe = probe;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      probe.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }
  }).observe({ type: "longtask", buffered: true });
  const onFrame = (now: number) => {
    probe.frameGaps.push(now - probe.lastFrame);
    probe.lastFrame = now;
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
}

/** Installs the probes and reloads the page so they see it from its first script. */
export async function installProbes(page: Page): Promise<void> {
  // tsx compiles this file with esbuild's keepNames, whose `__name` helper the page lacks.
  const content = `globalThis.__name ??= (target) => target; (${probeScript.toString()})();`;
  await page.addInitScript({ content });
  await page.reload();
  await page.waitForFunction(() => window.__benchProbe !== undefined);
}

/** Forgets what the probes saw so far: a new phase starts. */
export async function resetProbes(page: Page): Promise<void> {
  await page.evaluate(() => {
    const probe = window.__benchProbe as ProbeState;
    probe.longTasks = [];
    probe.frameGaps = [];
    probe.lastFrame = performance.now();
  });
}

export async function readProbes(page: Page): Promise<PhaseMetrics> {
  const { longTasks, frameGaps } = await page.evaluate(() => {
    const probe = window.__benchProbe as ProbeState;
    return { longTasks: probe.longTasks, frameGaps: probe.frameGaps };
  });
  const gaps = [...frameGaps].sort((a, b) => a - b);
  const durations = longTasks.map((task) => task.duration);
  return {
    longTaskCount: durations.length,
    longTaskTotalMs: durations.reduce((sum, ms) => sum + ms, 0),
    longTaskMaxMs: Math.max(0, ...durations),
    frames: gaps.length,
    maxFrameGapMs: gaps.at(-1) ?? 0,
    p95FrameGapMs: gaps[Math.min(gaps.length - 1, Math.floor(gaps.length * 0.95))] ?? 0,
  };
}

/**
 * The JS heap in use after a full garbage collection: `performance.memory` (Chromium only,
 * coarse without --enable-precise-memory-info) and the precise figure of the DevTools protocol.
 */
export async function readHeap(page: Page): Promise<{ performanceMemory: number; cdp: number }> {
  const session = await page.context().newCDPSession(page);
  try {
    // Without a collection first the figure is mostly garbage and swings by tens of MB.
    await session.send("HeapProfiler.collectGarbage");
    const performanceMemory = await page.evaluate(
      () =>
        (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory
          ?.usedJSHeapSize ?? Number.NaN,
    );
    const { usedSize } = await session.send("Runtime.getHeapUsage");
    return { performanceMemory, cdp: usedSize };
  } finally {
    await session.detach();
  }
}

/** The time cursor's range: its max is the newest timeline seq the page holds. */
export async function readTimelineRange(page: Page): Promise<{ min: number; max: number }> {
  return page.evaluate(() => {
    const slider = document.querySelector<HTMLInputElement>('input[aria-label="Time cursor"]');
    return { min: Number(slider?.min ?? Number.NaN), max: Number(slider?.max ?? Number.NaN) };
  });
}
