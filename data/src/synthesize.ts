/**
 * A synthetic year for scale tests: `records` storm events made by re-keying real ones.
 * Record i copies the 13 other fields of a source record drawn at random from a real
 * year, takes the synthetic year in its YEAR field, and gets a fresh event id:
 * `FIRST_ID + i * ID_STRIDE + r`, with r drawn from [0, ID_STRIDE). So the ids are unique
 * (they rise with i), spread over a range several times the table size (so `id mod s` is
 * as even as a real year's), and the same for the same seed. The file is written as
 * `details-<year>.csv` (or `.csv.gz`) atomically, like `convert`.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants, createGzip } from "node:zlib";
import { loadYear } from "../../daemons/src/data/csv-loader.ts";
import { csvField, OUTPUT_HEADER } from "./convert.ts";

export const FIRST_ID = 100_000_000;
export const ID_STRIDE = 8;
const YEAR_FIELD = 2;
/** Lines joined per write: fewer, larger chunks through the stream. */
const LINES_PER_CHUNK = 4_096;

export type SynthesizeOptions = {
  /** The real year whose records are re-keyed, read from `dataDir`. */
  sourceYear: string;
  dataDir: string;
  /** The synthetic year's YYYY, in its file name and every record. */
  year: string;
  records: number;
  seed: number;
  outDir: string;
  gzipOutput?: boolean;
};

export type SynthesizeResult = { file: string; records: number; sourceRecords: number };

/** mulberry32: a small seeded generator, the same stream for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export async function synthesizeYear(options: SynthesizeOptions): Promise<SynthesizeResult> {
  if (!/^[0-9]{4}$/.test(options.year)) throw new Error(`year "${options.year}" is not YYYY`);
  if (!Number.isSafeInteger(options.records) || options.records < 1) {
    throw new Error(`records must be a positive integer, not ${options.records}`);
  }
  const { records: source } = await loadYear(options.dataDir, options.sourceYear);
  if (source.length === 0) throw new Error(`${options.sourceYear} has no records to re-key`);
  const random = seededRandom(options.seed);

  function* lines(): Generator<string> {
    yield `${OUTPUT_HEADER}\n`;
    let chunk: string[] = [];
    for (let index = 0; index < options.records; index += 1) {
      const model = source[Math.floor(random() * source.length)] as string[];
      const eventId = FIRST_ID + index * ID_STRIDE + Math.floor(random() * ID_STRIDE);
      const fields = model.map((value, field) =>
        field === 0 ? String(eventId) : field === YEAR_FIELD ? options.year : csvField(value),
      );
      chunk.push(fields.join(","));
      if (chunk.length === LINES_PER_CHUNK) {
        yield `${chunk.join("\n")}\n`;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield `${chunk.join("\n")}\n`;
  }

  await mkdir(options.outDir, { recursive: true });
  const suffix = options.gzipOutput === true ? ".gz" : "";
  const file = join(options.outDir, `details-${options.year}.csv${suffix}`);
  const temp = join(options.outDir, `.synthetic-${process.pid}-${randomBytes(6).toString("hex")}`);
  try {
    const text = Readable.from(lines());
    if (options.gzipOutput === true) {
      await pipeline(text, createGzip({ level: constants.Z_BEST_SPEED }), createWriteStream(temp));
    } else {
      await pipeline(text, createWriteStream(temp));
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return { file, records: options.records, sourceRecords: source.length };
}
