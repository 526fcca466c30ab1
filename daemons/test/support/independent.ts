/**
 * An independent reading of a details-YYYY.csv file, written without the daemons' own
 * loader or hashing, so tests can check what the daemons print against it.
 */
import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** The text of `details-YYYY.csv`, or of `details-YYYY.csv.gz` beside it when only that exists. */
export function detailsText(file: string): string {
  if (!existsSync(file) && existsSync(`${file}.gz`)) {
    return gunzipSync(readFileSync(`${file}.gz`)).toString("latin1");
  }
  return readFileSync(file, "latin1");
}

export function eventIdsOf(file: string): number[] {
  const lines = detailsText(file).split(/\r?\n/).slice(1);
  return lines
    .filter((line) => line.trim() !== "")
    .map((line) => Number(line.slice(0, line.indexOf(","))));
}

function isPrime(value: number): boolean {
  if (value < 2) return false;
  for (let divisor = 2; divisor * divisor <= value; divisor += 1)
    if (value % divisor === 0) return false;
  return true;
}

export function primeAbove(value: number): number {
  let candidate = value + 1;
  while (!isPrime(candidate)) candidate += 1;
  return candidate;
}

/** Records each node of a ring of `ringSize` must hold. */
export function countsFor(eventIds: number[], ringSize: number): number[] {
  const tableSize = primeAbove(2 * eventIds.length);
  const counts = new Array<number>(ringSize).fill(0);
  for (const eventId of eventIds) {
    const owner = (eventId % tableSize) % ringSize;
    counts[owner] = (counts[owner] ?? 0) + 1;
  }
  return counts;
}

export function ownerIn(eventIds: number[], eventId: number, ringSize: number): number {
  return (eventId % primeAbove(2 * eventIds.length)) % ringSize;
}
