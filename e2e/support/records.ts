/** The 1996 records the demo queries, read straight from the data file with csv-parse. */
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { detailsText } from "../../daemons/test/support/independent.ts";
import { DATA_DIR } from "./harness.ts";

/** Every field of the record with `eventId`, keyed by the lower-case header. */
export function recordOf(year: string, eventId: number): Record<string, string> {
  const rows = parse(detailsText(join(DATA_DIR, `details-${year}.csv`)), {
    columns: (header: string[]) => header.map((name) => name.toLowerCase()),
    bom: true,
  }) as Record<string, string>[];
  const row = rows.find((each) => Number(each.event_id) === eventId);
  if (row === undefined) throw new Error(`event ${eventId} is not in details-${year}.csv`);
  return row;
}

/** The label a peer prints for a header ("month_name" → "month name"). */
export function labelOf(header: string): string {
  return header.replaceAll("_", " ");
}
