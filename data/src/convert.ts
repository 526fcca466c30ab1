/**
 * Converts NOAA's yearly Storm Events "details" CSV (51 columns, quoted narratives) into
 * the 14-field `details-YYYY.csv` of PROTOCOL.md section 3 (or, with `gzipOutput`,
 * `details-YYYY.csv.gz`, which the daemons read alike), as a stream, written
 * atomically: to a temp file in the output folder, renamed into place at the end, and
 * removed on any error so no partial file is ever left.
 */

import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants, createGunzip, createGzip } from "node:zlib";
import { parse } from "csv-parse";
import { messageOf } from "../../daemons/src/support/errors.ts";

/** The NOAA columns read, in the order of the 14 output fields. */
export const NOAA_COLUMNS = [
  "EVENT_ID",
  "STATE",
  "YEAR",
  "MONTH_NAME",
  "EVENT_TYPE",
  "CZ_TYPE",
  "CZ_NAME",
  "INJURIES_DIRECT",
  "INJURIES_INDIRECT",
  "DEATHS_DIRECT",
  "DEATHS_INDIRECT",
  "DAMAGE_PROPERTY",
  "DAMAGE_CROPS",
  "TOR_F_SCALE",
] as const;

export const OUTPUT_HEADER = NOAA_COLUMNS.map((column) => column.toLowerCase()).join(",");

export type Progress = { records: number; bytesRead: number; totalBytes: number | undefined };

export type ConvertOptions = {
  /** Folder the `details-YYYY.csv` goes to (created if missing). */
  outDir: string;
  /** Whether the source bytes are gzip. */
  gzip: boolean;
  /** Write `details-YYYY.csv.gz` (gzip, best compression) instead of the plain file. */
  gzipOutput?: boolean | undefined;
  /** Year to use when the records carry none (an empty file), e.g. from the file name. */
  fallbackYear?: string | undefined;
  /** If set, every record's YEAR must be this. */
  expectedYear?: string | undefined;
  /** Size of the source in bytes, if known (for progress). */
  totalBytes?: number | undefined;
  onProgress?: ((progress: Progress) => void) | undefined;
};

export type ConvertResult = { year: string; records: number; file: string; bytesRead: number };

export class ConvertError extends Error {
  override name = "ConvertError";
}

const YEAR = /^[0-9]{4}$/;

/** One value as a CSV field: tabs and line breaks become spaces, quoted if it must be. */
export function csvField(value: string): string {
  const flat = value.replace(/\r\n|[\t\r\n]/g, " ");
  return /[",]/.test(flat) ? `"${flat.replaceAll('"', '""')}"` : flat;
}

/** The year in a NOAA file name (`..._d2007_c2024...`) or a `details-2007.csv`-like one. */
export function yearFromFileName(file: string): string | undefined {
  const name = basename(file);
  return (/_d([0-9]{4})_/.exec(name) ?? /(?:^|[^0-9])([0-9]{4})(?:[^0-9]|$)/.exec(name))?.[1];
}

/** Converts one NOAA details file (gzip if its name ends in .gz). */
export async function convertFile(
  file: string,
  options: Omit<ConvertOptions, "gzip" | "totalBytes" | "fallbackYear">,
): Promise<ConvertResult> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    throw new ConvertError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  return convertStream(createReadStream(file), {
    ...options,
    gzip: file.endsWith(".gz"),
    totalBytes: size,
    fallbackYear: yearFromFileName(file),
  });
}

/** Converts a NOAA details CSV read from `source` into `<outDir>/details-YYYY.csv`. */
export async function convertStream(
  source: Readable,
  options: ConvertOptions,
): Promise<ConvertResult> {
  await mkdir(options.outDir, { recursive: true });
  const temp = join(
    options.outDir,
    `.details-${process.pid}-${randomBytes(6).toString("hex")}.csv.tmp`,
  );
  let bytesRead = 0;
  let records = 0;
  let year: string | undefined;
  const report = (): void =>
    options.onProgress?.({ records, bytesRead, totalBytes: options.totalBytes });

  async function* countBytes(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of input) {
      bytesRead += chunk.length;
      yield chunk;
    }
  }

  async function* toLines(rows: AsyncIterable<Record<string, string>>): AsyncGenerator<string> {
    yield `${OUTPUT_HEADER}\n`;
    for await (const row of rows) {
      const rowYear = row.YEAR ?? "";
      if (year === undefined) {
        if (!YEAR.test(rowYear)) {
          throw new ConvertError(
            `record ${records + 1}: YEAR ${JSON.stringify(rowYear)} is not YYYY`,
          );
        }
        if (options.expectedYear !== undefined && rowYear !== options.expectedYear) {
          throw new ConvertError(`the records are of ${rowYear}, expected ${options.expectedYear}`);
        }
        year = rowYear;
      } else if (rowYear !== year) {
        throw new ConvertError(
          `record ${records + 1} (event ${row.EVENT_ID}) is of year ${JSON.stringify(rowYear)}, ` +
            `the file's first record of ${year}: one file must hold one year`,
        );
      }
      records++;
      yield `${NOAA_COLUMNS.map((column) => csvField(row[column] ?? "")).join(",")}\n`;
      report();
    }
  }

  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      const names = header.map((name) => name.trim().toUpperCase());
      const missing = NOAA_COLUMNS.filter((column) => !names.includes(column));
      if (missing.length > 0) {
        throw new ConvertError(
          `not a NOAA Storm Events details file: the header lacks ${missing.join(", ")}`,
        );
      }
      return names;
    },
  });

  try {
    const stages: unknown[] = options.gzip
      ? [countBytes, createGunzip(), parser, toLines]
      : [countBytes, parser, toLines];
    // zlib's gzip header has no name and time 0, so equal records give equal bytes.
    if (options.gzipOutput === true)
      stages.push(createGzip({ level: constants.Z_BEST_COMPRESSION }));
    // biome-ignore lint/suspicious/noExplicitAny: pipeline's overloads do not take a spread.
    await (pipeline as any)(source, ...stages, createWriteStream(temp));
    const finalYear = year ?? options.fallbackYear;
    if (finalYear === undefined || !YEAR.test(finalYear)) {
      throw new ConvertError("the file has no records and its name gives no year");
    }
    if (options.expectedYear !== undefined && finalYear !== options.expectedYear) {
      throw new ConvertError(`the file is of ${finalYear}, expected ${options.expectedYear}`);
    }
    const file = join(
      options.outDir,
      `details-${finalYear}.csv${options.gzipOutput === true ? ".gz" : ""}`,
    );
    await rename(temp, file);
    report();
    return { year: finalYear, records, file, bytesRead };
  } catch (error) {
    source.destroy();
    await rm(temp, { force: true });
    throw describe(error);
  }
}

function describe(error: unknown): Error {
  if (error instanceof ConvertError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = messageOf(error);
  if (code === "Z_BUF_ERROR" || message === "unexpected end of file") {
    return new ConvertError("the gzip data is cut off (unexpected end of file)", { cause: error });
  }
  if (typeof code === "string" && code.startsWith("Z_")) {
    return new ConvertError(`the gzip data is corrupt (${message})`, { cause: error });
  }
  if (typeof code === "string" && code.startsWith("CSV_")) {
    return new ConvertError(`unreadable CSV: ${message}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(message);
}
