/**
 * Reads `details-YYYY.csv` (PROTOCOL.md section 3), or its gzipped `details-YYYY.csv.gz`,
 * into storm records. When a folder holds both, the plain `.csv` is read: it is the one a
 * user made (`npm run data -- fetch` or `convert` without `--gzip`), the `.csv.gz` the
 * copy the project ships.
 *
 * - The first non-blank line is the header. If it is not 14 columns starting with
 *   event_id (any case) it is reported as a problem, and the data lines are still read:
 *   each of them is checked on its own, so a bad header cannot let a bad record in.
 * - A data line with the wrong field count, an event id that is not a non-negative
 *   integer, or a value longer than a `store` datagram may carry, is reported and
 *   skipped. So is any line after the first with an event id already seen.
 * - LF and CRLF (even mixed), a missing final newline, an empty last field, blank lines
 *   and a UTF-8 byte order mark are all accepted. Values are the file's exact text, only
 *   unquoted as CSV says.
 *
 * Line numbers cost: csv-parse's `info` slows a whole parse by about half, so the common
 * path parses without it, and a second pass locates rows only once a problem needs a
 * line number. (csv-parse's own line count also drifts after a quoted CRLF, so the
 * second pass counts newlines itself.)
 */

import { access, readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { parse as parseStream } from "csv-parse";
import { type CsvError, type Options, parse } from "csv-parse/sync";
import type { StormRecord } from "../protocol/messages.ts";
import {
  FIELD_SEPARATOR,
  fromRecordLine,
  type RecordLine,
  toRecordLine,
} from "../protocol/record-line.ts";
import { messageOf } from "../support/errors.ts";
import { eventIdOf, FIELD_COUNT, FIELD_LABELS, MAX_FIELD_LENGTH, parseEventId } from "./records.ts";

export type LoadProblem = { line: number; message: string };
export type LoadResult = { records: StormRecord[]; problems: LoadProblem[] };
export type LoadLinesResult = { records: RecordLine[]; problems: LoadProblem[] };

export function detailsFileName(year: string): string {
  return `details-${year}.csv`;
}

/** The gzipped form of `detailsFileName`, read when the plain one is absent. */
export function gzippedDetailsFileName(year: string): string {
  return `${detailsFileName(year)}.gz`;
}

/**
 * The file `loadYear` reads for `year`: `details-YYYY.csv` if it exists, else
 * `details-YYYY.csv.gz` if that does, else the plain name (whose absence loadYear reports).
 */
export async function detailsFileFor(dataDir: string, year: string): Promise<string> {
  const plain = resolve(dataDir, detailsFileName(year));
  const gzipped = resolve(dataDir, gzippedDetailsFileName(year));
  const exists = (file: string): Promise<boolean> =>
    access(file).then(
      () => true,
      () => false,
    );
  if (!(await exists(plain)) && (await exists(gzipped))) return gzipped;
  return plain;
}

const gunzipAsync = promisify(gunzip);

/** The year's file is absent or unreadable; `file` is its full path. */
export class MissingDataError extends Error {
  readonly file: string;

  constructor(year: string, file: string, reason: string, options?: ErrorOptions) {
    super(
      `no storm data for ${year}: ${file} ${reason} ` +
        `(get it with: npm run data -- fetch ${year} --out <data folder>; see data/README.md)`,
      options,
    );
    this.name = "MissingDataError";
    this.file = file;
  }
}

const FOUR_DIGITS = /^[0-9]{4}$/;

/** The year's records as field arrays, for tools and tests (see `loadYearLines`). */
export async function loadYear(dataDir: string, year: string): Promise<LoadResult> {
  return withFields(parseDetailsLines(await readDetails(dataDir, year)));
}

/** The year's records as record lines: what a peer keeps, about a third of the memory. */
export async function loadYearLines(dataDir: string, year: string): Promise<LoadLinesResult> {
  return parseDetailsLines(await readDetails(dataDir, year));
}

async function readDetails(dataDir: string, year: string): Promise<Buffer> {
  if (!FOUR_DIGITS.test(year)) {
    throw new Error(`the year must be four digits (YYYY), got ${JSON.stringify(year)}`);
  }
  const file = await detailsFileFor(dataDir, year);
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    throw new MissingDataError(year, file, whyUnreadable(error, year), { cause: error });
  }
  if (!file.endsWith(".gz")) return content;
  try {
    return await gunzipAsync(content);
  } catch (error) {
    throw new MissingDataError(year, file, `is not valid gzip (${(error as Error).message})`, {
      cause: error,
    });
  }
}

function whyUnreadable(error: unknown, year: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return `does not exist (nor ${gzippedDetailsFileName(year)})`;
  if (code === "EACCES" || code === "EPERM") return "is not readable (permission denied)";
  if (code === "EISDIR") return "is a directory";
  return `cannot be read (${messageOf(error)})`;
}

const CSV_OPTIONS = {
  bom: true,
  // Both, explicitly: auto-detection picks one, and a mixed file would then either keep
  // "\r" in values or join two lines into one.
  record_delimiter: ["\r\n", "\n"],
  // Field counts are checked below, per line, so one bad line cannot abort the file.
  relax_column_count: true,
  // A quote inside an unquoted value is kept as text instead of failing the line.
  relax_quotes: true,
  skip_empty_lines: true,
  // What is left to fail (a quote never closed) is skipped and reported, not thrown.
  skip_records_with_error: true,
} satisfies Options;

export function parseDetails(text: string | Buffer): LoadResult {
  return withFields(parseDetailsLines(text));
}

function withFields({ records, problems }: LoadLinesResult): LoadResult {
  return { records: records.map(fromRecordLine), problems };
}

/** Input handed to the parser at a time; its rows are read off before the next. */
const PARSE_CHUNK_BYTES = 64 * 1024;

/**
 * The parse itself. The input goes to csv-parse's stream in chunks, read off after each,
 * so each row is checked and turned into its record line while its 14 strings are young:
 * a year of a million records never holds every row's fields at once, as the one-call
 * API's result would. (It is as fast; `on_record` would cost a third more, for its info.)
 */
export function parseDetailsLines(text: string | Buffer): LoadLinesResult {
  const input = typeof text === "string" ? Buffer.from(text) : text;
  let csvErrors = false;
  let header: string[] | undefined;
  let row = -1;
  /** Rows not kept: why, or the earlier row of the same event id (its line is found later). */
  const rejected: { row: number; message: string; duplicateOf?: number }[] = [];
  const rowOfEventId = new Map<number, number>();
  const records: RecordLine[] = [];
  const take = (fields: string[]): void => {
    row += 1;
    if (row === 0) {
      header = fields;
      return;
    }
    const problem = whyNotARecord(fields);
    if (problem !== undefined) {
      rejected.push({ row, message: problem });
      return;
    }
    const eventId = eventIdOf(fields);
    const firstRow = rowOfEventId.get(eventId);
    if (firstRow !== undefined) {
      rejected.push({ row, message: `duplicate event id ${eventId}`, duplicateOf: firstRow });
      return;
    }
    rowOfEventId.set(eventId, row);
    records.push(toRecordLine(fields));
  };
  const parser = parseStream({
    ...CSV_OPTIONS,
    on_skip: () => {
      csvErrors = true;
    },
  });
  let failure: Error | undefined;
  parser.on("error", (error) => {
    failure ??= error;
  });
  const drain = () => {
    for (let fields = parser.read(); fields !== null; fields = parser.read()) take(fields);
  };
  for (let offset = 0; offset < input.length; offset += PARSE_CHUNK_BYTES) {
    parser.write(input.subarray(offset, offset + PARSE_CHUNK_BYTES));
    drain();
  }
  parser.end();
  drain();
  if (failure !== undefined) throw failure;

  let located: RowLocations | undefined;
  const locate = (): RowLocations => {
    located ??= locateRows(input);
    return located;
  };
  const lineOf = (at: number): number => locate().rowLines[at] ?? 0;
  const problems: LoadProblem[] = [];
  if (header === undefined) {
    problems.push({ line: 1, message: "no header line: the file has no data" });
  } else if (header.length !== FIELD_COUNT || header[0]?.toLowerCase() !== "event_id") {
    problems.push({
      line: lineOf(0),
      message:
        `expected a header of ${FIELD_COUNT} columns starting with event_id, found ` +
        `${header.length} starting with ${JSON.stringify(header[0])}`,
    });
  }
  for (const { row: at, message, duplicateOf } of rejected) {
    const first = duplicateOf === undefined ? "" : ` (first on line ${lineOf(duplicateOf)}, kept)`;
    problems.push({ line: lineOf(at), message: `${message}${first}` });
  }
  if (csvErrors) {
    for (const skipped of locate().skipped) {
      problems.push({ line: skipped.line, message: describeCsvError(skipped.code) });
    }
    problems.sort((a, b) => a.line - b.line);
  }
  return { records, problems };
}

/** Why a data row cannot be stored, or undefined if it can (also an insert-event's fields). */
export function whyNotARecord(fields: readonly string[]): string | undefined {
  if (fields.length !== FIELD_COUNT) {
    return `expected ${FIELD_COUNT} fields, found ${fields.length}`;
  }
  if (parseEventId(fields[0]) === undefined) {
    return `event id ${JSON.stringify(fields[0])} is not a non-negative integer`;
  }
  const withTab = fields.findIndex((value) => value.includes(FIELD_SEPARATOR));
  if (withTab !== -1) {
    return `${FIELD_LABELS[withTab]} contains a tab, which separates fields in store messages`;
  }
  const tooLong = fields.findIndex((value) => value.length > MAX_FIELD_LENGTH);
  if (tooLong !== -1) {
    return (
      `${FIELD_LABELS[tooLong]} is ${fields[tooLong]?.length} characters long ` +
      `(at most ${MAX_FIELD_LENGTH} fit in a store message)`
    );
  }
  return undefined;
}

function describeCsvError(code: string): string {
  if (code === "CSV_QUOTE_NOT_CLOSED") {
    return "a quoted value is never closed; this line and the rest of the file were skipped";
  }
  return `unreadable CSV (${code}), skipped`;
}

type RowLocations = {
  /** The line each row starts on, by row index (header included). */
  rowLines: number[];
  /** Records csv-parse gave up on, with the line they start on. */
  skipped: { line: number; code: string }[];
};

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** The slow pass: parses again, noting where each row ends, and turns that into lines. */
function locateRows(input: Buffer): RowLocations {
  const rowEnds: number[] = [];
  const rowNewlines: number[] = [];
  const skippedAfter: { rows: number; code: string }[] = [];
  parse(input, {
    ...CSV_OPTIONS,
    on_record: (row: string[], info) => {
      // `bytes` is the offset just past the row, its line end included.
      rowEnds.push(info.bytes);
      rowNewlines.push(row.reduce((count, value) => count + countNewlines(value), 0));
      return row;
    },
    on_skip: (error: CsvError | undefined) => {
      skippedAfter.push({ rows: rowEnds.length, code: error?.code ?? "unknown" });
    },
  });

  const newlineOffsets: number[] = [];
  for (let offset = input.indexOf(NEWLINE); offset !== -1; ) {
    newlineOffsets.push(offset);
    offset = input.indexOf(NEWLINE, offset + 1);
  }
  const lineAt = (offset: number): number => 1 + countBelow(newlineOffsets, offset);

  const rowLines = rowEnds.map((end, row) => {
    const lastLine = input[end - 1] === NEWLINE ? lineAt(end - 1) : lineAt(end);
    return lastLine - (rowNewlines[row] ?? 0);
  });
  const skipped = skippedAfter.map(({ rows, code }) => {
    // A skipped record starts on the first non-blank line after the row before it.
    return { line: lineAt(skipBlankLines(input, rowEnds[rows - 1] ?? 0)), code };
  });
  return { rowLines, skipped };
}

function skipBlankLines(input: Buffer, offset: number): number {
  let start = offset;
  for (;;) {
    if (input[start] === NEWLINE) start += 1;
    else if (input[start] === CARRIAGE_RETURN && input[start + 1] === NEWLINE) start += 2;
    else return start;
  }
}

function countNewlines(value: string): number {
  let count = 0;
  for (let index = value.indexOf("\n"); index !== -1; index = value.indexOf("\n", index + 1)) {
    count++;
  }
  return count;
}

/** How many of the ascending `offsets` are below `limit`. */
function countBelow(offsets: readonly number[], limit: number): number {
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((offsets[middle] ?? limit) < limit) low = middle + 1;
    else high = middle;
  }
  return low;
}
