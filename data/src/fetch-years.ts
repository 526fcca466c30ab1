/**
 * Fetching several years one after the other with a progress line each, as
 * `npm run data -- fetch` does: one failure does not stop the others.
 */
import { fetchYear } from "./fetch.ts";
import { formatBytes, type ProgressOutput, progressLine } from "./progress.ts";

export interface FetchYearsOptions {
  outDir: string;
  baseUrl: string;
  /** NCEI's csvfiles listing, read once for every year. */
  listing: string;
  /** Write `details-YYYY.csv.gz` files. */
  gzipOutput?: boolean | undefined;
  stderr: ProgressOutput;
}

/** Fetches each year, reporting each on `stderr`; returns the failures, "YYYY: why". */
export async function fetchYearsReporting(
  years: readonly string[],
  options: FetchYearsOptions,
): Promise<string[]> {
  const { outDir, baseUrl, listing, gzipOutput, stderr } = options;
  const failures: string[] = [];
  for (const year of years) {
    const progress = progressLine(stderr, year, { bar: true });
    const started = Date.now();
    try {
      const result = await fetchYear(year, {
        outDir,
        baseUrl,
        listing,
        gzipOutput,
        onProgress: progress.update,
      });
      progress.clear();
      stderr.write(
        `fetched ${result.url}: ${result.records} records of ${year} ` +
          `(${formatBytes(result.bytesRead)}) into ${result.file} in ${secondsSince(started)}\n`,
      );
    } catch (error) {
      progress.clear();
      stderr.write(`error: ${year}: ${(error as Error).message}\n`);
      failures.push(`${year}: ${(error as Error).message}`);
    }
  }
  return failures;
}

/** "1.3 s": the time since `started` (a Date.now()). */
export function secondsSince(started: number): string {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}
