import type { StormRecord } from "../../src/protocol/messages.ts";

/** Event 5536849 exactly as details-1996.csv has it: a tornado in Shelby County, Alabama. */
export const SHELBY_TORNADO: StormRecord = [
  "5536849",
  "ALABAMA",
  "1996",
  "Unknown",
  "Tornado",
  "C",
  "SHELBY",
  "0",
  "0",
  "0",
  "0",
  "10K",
  "1K",
  "",
];

/** Records per course year, from the data README: NOAA's own yearly files give the same. */
export const COURSE_YEAR_COUNTS: Readonly<Record<string, number>> = {
  "1950": 223,
  "1951": 269,
  "1952": 272,
  "1990": 10_945,
  "1991": 12_516,
  "1992": 13_534,
  "1996": 48_534,
};
