/**
 * The hashing of PROTOCOL.md section 3: a table of s = firstPrimeAbove(2 * l) slots for
 * l records, `pos = event_id mod s` and owner `id = pos mod n`. Every node computes the
 * same numbers from the same inputs, so placement needs no coordination.
 */
// Kept free of imports: the dashboard bundles this file to show the same arithmetic.

function isPrime(candidate: number): boolean {
  if (candidate < 2) return false;
  if (candidate % 2 === 0) return candidate === 2;
  for (let divisor = 3; divisor * divisor <= candidate; divisor += 2) {
    if (candidate % divisor === 0) return false;
  }
  return true;
}

/** The first prime strictly greater than `value`. */
export function firstPrimeAbove(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`no prime above ${value}`);
  let candidate = Math.max(2, Math.floor(value) + 1);
  while (!isPrime(candidate)) candidate++;
  return candidate;
}

/** s for a year of `recordCount` records. */
export function tableSizeFor(recordCount: number): number {
  return firstPrimeAbove(2 * recordCount);
}

function requireCount(name: string, value: number, minimum: number): void {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new RangeError(`${name} must be an integer >= ${minimum}, got ${value}`);
  }
}

/** The slot of an event in a table of `tableSize` slots. */
export function positionOf(eventId: number, tableSize: number): number {
  // Checked because `%` of a negative or fractional id would silently give a bad slot.
  requireCount("event id", eventId, 0);
  requireCount("table size", tableSize, 1);
  return eventId % tableSize;
}

/** The ring id (0 .. ringSize-1) of the node that stores an event. */
export function ownerOf(eventId: number, tableSize: number, ringSize: number): number {
  requireCount("ring size", ringSize, 1);
  return positionOf(eventId, tableSize) % ringSize;
}

/** How many of the events `eventIds` each node 0 .. ringSize-1 should hold. */
export function expectedCounts(
  eventIds: Iterable<number>,
  tableSize: number,
  ringSize: number,
): number[] {
  requireCount("ring size", ringSize, 1);
  const counts = new Array<number>(ringSize).fill(0);
  for (const eventId of eventIds) {
    const owner = ownerOf(eventId, tableSize, ringSize);
    counts[owner] = (counts[owner] ?? 0) + 1;
  }
  return counts;
}
