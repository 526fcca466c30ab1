/**
 * The last year a peer parsed, kept while its file is unchanged, so a rebuild or a
 * repeated setup of the same year does not parse 48,534 lines again. It is kept as record
 * lines, one string per record (csv-loader.ts `loadYearLines`).
 */
import { stat } from "node:fs/promises";
import type { RecordLine } from "../protocol/record-line.ts";
import { detailsFileFor, type LoadProblem, loadYearLines } from "./csv-loader.ts";

export class YearCache {
  private last: { year: string; file: string; modified: number; records: RecordLine[] } | null =
    null;

  constructor(private readonly dataDir: string) {}

  /** The year's records; `problems` are reported only when the file was parsed afresh. */
  async load(year: string): Promise<{ records: RecordLine[]; problems: LoadProblem[] }> {
    // The file read may change from .csv.gz to .csv when a plain copy appears beside it.
    const file = await detailsFileFor(this.dataDir, year);
    const modified = await lastModified(file);
    if (this.last?.year === year && this.last.file === file && this.last.modified === modified) {
      return { records: this.last.records, problems: [] };
    }
    const { records, problems } = await loadYearLines(this.dataDir, year);
    this.last = { year, file, modified, records };
    return { records, problems };
  }
}

/** The file's modification time, or -1 if it cannot be read (loadYear then says why). */
function lastModified(file: string): Promise<number> {
  return stat(file).then(
    (info) => info.mtimeMs,
    () => -1,
  );
}
