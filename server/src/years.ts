/** The years a peer's `setup-dht` can load: the `details-YYYY.csv` files in the data folder. */
import { readdir } from "node:fs/promises";

const DETAILS_NAME = /^details-([0-9]{4})\.csv$/;

/** Sorted ascending; a folder that does not exist (yet) has none. */
export async function listYears(dataDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names
    .map((name) => DETAILS_NAME.exec(name)?.[1])
    .filter((year): year is string => year !== undefined)
    .sort();
}
