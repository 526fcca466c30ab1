/**
 * Downloads NOAA's yearly Storm Events details files from NCEI's "csvfiles" listing and
 * converts them, streaming (download -> gunzip -> csv-parse -> details-YYYY.csv).
 */

import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { messageOf } from "../../daemons/src/support/errors.ts";
import { type ConvertResult, convertStream, type Progress } from "./convert.ts";

export const DEFAULT_BASE_URL = "https://www.ncei.noaa.gov/pub/data/swdi/stormevents/csvfiles/";

export class FetchError extends Error {
  override name = "FetchError";
}

/** The base URL: the option, else `$STORMRING_NOAA_BASE_URL`, else NCEI's; ends in "/". */
export function resolveBaseUrl(
  option: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const base = option ?? (env.STORMRING_NOAA_BASE_URL || DEFAULT_BASE_URL);
  try {
    new URL(base);
  } catch {
    throw new FetchError(`not a URL: ${JSON.stringify(base)}`);
  }
  return base.endsWith("/") ? base : `${base}/`;
}

const DETAILS_FILE = /StormEvents_details-ftp_v1\.0_d([0-9]{4})_c([0-9]{8})\.csv\.gz/g;

/** The newest (highest c-date) details file of `year` named in a listing, if any. */
export function findYearFile(listing: string, year: string): string | undefined {
  let best: { name: string; created: string } | undefined;
  for (const match of listing.matchAll(DETAILS_FILE)) {
    const [name, fileYear, created] = match;
    if (fileYear !== year || created === undefined) continue;
    if (best === undefined || created > best.created) best = { name, created };
  }
  return best?.name;
}

/** GETs `url`; a network error or a non-2xx status is a FetchError. */
export async function get(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new FetchError(`cannot reach ${url}: ${cause ?? (error as Error).message}`, {
      cause: error,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FetchError(
      `download of ${url} failed: HTTP ${response.status} ${response.statusText}`.trimEnd(),
    );
  }
  return response;
}

export async function fetchListing(baseUrl: string): Promise<string> {
  const response = await get(baseUrl);
  try {
    return await response.text();
  } catch (error) {
    throw new FetchError(`reading the listing ${baseUrl} failed: ${(error as Error).message}`);
  }
}

export type FetchYearOptions = {
  outDir: string;
  baseUrl: string;
  /** The listing page, if already downloaded (fetched otherwise). */
  listing?: string | undefined;
  /** Write `details-YYYY.csv.gz` instead of `details-YYYY.csv`. */
  gzipOutput?: boolean | undefined;
  onProgress?: ((progress: Progress) => void) | undefined;
};

export type FetchYearResult = ConvertResult & { url: string };

/** Downloads and converts one year into `<outDir>/details-YYYY.csv` (or `.csv.gz`). */
export async function fetchYear(year: string, options: FetchYearOptions): Promise<FetchYearResult> {
  if (!/^[0-9]{4}$/.test(year)) {
    throw new FetchError(`the year must be four digits (YYYY), got ${JSON.stringify(year)}`);
  }
  const listing = options.listing ?? (await fetchListing(options.baseUrl));
  const name = findYearFile(listing, year);
  if (name === undefined) {
    throw new FetchError(
      `no details file for ${year} in the listing ${options.baseUrl} ` +
        `(expected StormEvents_details-ftp_v1.0_d${year}_cYYYYMMDD.csv.gz)`,
    );
  }
  const url = new URL(name, options.baseUrl).href;
  const response = await get(url);
  if (response.body === null) throw new FetchError(`${url} sent no body`);
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  const source = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  try {
    const result = await convertStream(source, {
      outDir: options.outDir,
      gzip: true,
      gzipOutput: options.gzipOutput,
      expectedYear: year,
      totalBytes: Number.isFinite(length) ? length : undefined,
      onProgress: options.onProgress,
    });
    return { ...result, url };
  } catch (error) {
    throw new FetchError(`download of ${url} failed: ${whyBroken(error)}`, { cause: error });
  }
}

/** Undici reports a connection lost mid-body as "terminated", the reason in `cause`. */
function whyBroken(error: unknown): string {
  const message = messageOf(error);
  if (message !== "terminated") return message;
  const cause = (error as { cause?: { message?: string } }).cause?.message;
  return `the connection broke off before the end of the file${cause ? ` (${cause})` : ""}`;
}
