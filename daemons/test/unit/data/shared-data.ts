/** The real NOAA files of ../shared/data (see its README), which tests read in place. */
import { fileURLToPath } from "node:url";

export const SHARED_DATA_DIR = fileURLToPath(
  new URL("../../../../../shared/data/", import.meta.url),
);

/** Record counts per year, from the data README. */
export const README_COUNTS: Record<string, number> = {
  "1950": 223,
  "1951": 269,
  "1952": 272,
  "1990": 10_945,
  "1991": 12_516,
  "1992": 13_534,
  "1996": 48_534,
};
