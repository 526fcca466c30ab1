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
