/**
 * The one place the tests (and the bench) learn where to read storm data: the project's
 * own data/, which ships the course's seven years as details-YYYY.csv.gz, so the tests
 * need no network and no folder beside the repository.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { DEFAULT_DATA_DIR } from "../../src/data/data-dir.ts";

/** The folder of details-YYYY.csv.gz files the tests read; ends in a path separator. */
export const TEST_DATA_DIR = DEFAULT_DATA_DIR;

/** The years shipped in data/ (see data/README.md). */
export const SHIPPED_YEARS = ["1950", "1951", "1952", "1990", "1991", "1992", "1996"] as const;

/** The shipped file of `year`: `<data>/details-YYYY.csv.gz`. */
export function shippedFile(year: string): string {
  return join(TEST_DATA_DIR, `details-${year}.csv.gz`);
}

/** The shipped year's CSV text as bytes (gunzipped), for tests that read it on their own. */
export function shippedCsv(year: string): Buffer {
  return gunzipSync(readFileSync(shippedFile(year)));
}

/** The reference copy of the course's data beside the repository, where it exists. */
export const SHARED_DATA_DIR = fileURLToPath(new URL("../../../../shared/data/", import.meta.url));

/**
 * The NOAA-format (51 columns) 2007 sample the converter tests read, from the reference
 * data beside the repository (only the course years ship, gzipped, in data/).
 */
export const NOAA_SAMPLE = join(SHARED_DATA_DIR, "noaa", "StormEvents_details-sample-2007.csv");
