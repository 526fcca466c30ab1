/** What both benchmarks play: the acceptance demo's ring (PROTOCOL.md section 9). */
import path from "node:path";
import { eventIdsOf } from "../../daemons/test/support/independent.ts";

export const PEERS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
export const LEADER = "alpha";
export const RING = 5;
export const YEAR = 1996;

/** Every event id of the year's file in `dataDir`. */
export function yearEventIds(dataDir: string): number[] {
  return eventIdsOf(path.join(dataDir, `details-${YEAR}.csv`)).filter(
    (id) => Number.isInteger(id) && id > 0,
  );
}
