/** The years a data folder holds: its `details-YYYY.csv` and `details-YYYY.csv.gz` files. */
import { readdir } from "node:fs/promises";

const DETAILS_NAME = /^details-([0-9]{4})\.csv(?:\.gz)?$/;

/** Sorted ascending, each once; a folder that does not exist (yet) holds none. */
export async function listYears(dataDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new Error(`cannot read the data folder ${dataDir}: ${(error as Error).message}`);
  }
  const years = names
    .map((name) => DETAILS_NAME.exec(name)?.[1])
    .filter((year): year is string => year !== undefined);
  return [...new Set(years)].sort();
}
