/**
 * A progress line on a terminal: redrawn in place at most a few times a second, and only
 * when the stream is a TTY; nothing at all otherwise.
 */
import type { Progress } from "./convert.ts";

export type ProgressOutput = { isTTY?: boolean; columns?: number; write(text: string): unknown };

const INTERVAL_MS = 250;
const BAR_WIDTH = 24;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatProgress(label: string, progress: Progress, bar: boolean): string {
  const { records, bytesRead, totalBytes } = progress;
  const counts = `${records.toLocaleString("en-US")} records`;
  if (totalBytes === undefined || totalBytes <= 0) {
    return `${label}: ${counts}, ${formatBytes(bytesRead)} read`;
  }
  const fraction = Math.min(1, bytesRead / totalBytes);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const bytes = `${formatBytes(bytesRead)} of ${formatBytes(totalBytes)}`;
  if (!bar) return `${label}: ${counts}, ${bytes} (${percent.trim()})`;
  const filled = Math.round(fraction * BAR_WIDTH);
  return `${label} [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${percent} ${bytes}, ${counts}`;
}

export type ProgressLine = { update(progress: Progress): void; clear(): void };

export function progressLine(
  output: ProgressOutput,
  label: string,
  options: { bar?: boolean; now?: () => number } = {},
): ProgressLine {
  const now = options.now ?? Date.now;
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(progress) {
      if (output.isTTY !== true) return;
      const time = now();
      if (time - last < INTERVAL_MS) return;
      last = time;
      let text = formatProgress(label, progress, options.bar === true);
      const width = output.columns ?? 0;
      if (width > 1 && text.length >= width) text = text.slice(0, width - 1);
      output.write(`\r\x1b[2K${text}`);
      drawn = true;
    },
    clear() {
      if (drawn) output.write("\r\x1b[2K");
      drawn = false;
    },
  };
}
