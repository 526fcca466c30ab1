/**
 * The last year a peer parsed, kept while its file is unchanged, so a rebuild or a
 * repeated setup of the same year does not parse 48,534 lines again.
 */
import { stat } from "node:fs/promises";
import type { StormRecord } from "../protocol/messages.ts";
import { detailsFileFor, type LoadProblem, loadYear } from "./csv-loader.ts";

export class YearCache {
  private last: { year: string; file: string; modified: number; records: StormRecord[] } | null =
    null;

  constructor(private readonly dataDir: string) {}

  /** The year's records; `problems` are reported only when the file was parsed afresh. */
  async load(year: string): Promise<{ records: StormRecord[]; problems: LoadProblem[] }> {
    // The file read may change from .csv.gz to .csv when a plain copy appears beside it.
    const file = await detailsFileFor(this.dataDir, year);
    const modified = await lastModified(file);
    if (this.last?.year === year && this.last.file === file && this.last.modified === modified) {
      return { records: this.last.records, problems: [] };
    }
    const { records, problems } = await loadYear(this.dataDir, year);
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
