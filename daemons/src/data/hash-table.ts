/**
 * A node's local hash table (PROTOCOL.md section 3): `tableSize` slots, the record of
 * event e in slot `e mod tableSize`, records that collide in a slot chained there, and
 * lookups comparing the event id, so no colliding record is ever lost or confused.
 * Records are held as their lines (protocol/record-line.ts), as the stores brought them.
 *
 * Only occupied slots exist (a Map from slot to chain): a node only ever fills the slots
 * whose number is its own id mod n, so a dense array of s slots would be mostly empty, and
 * costly on a large ring. Measured with the 1996 data at n = 5, inserting and finding a
 * node's records is as fast as with a dense array.
 */
import { eventIdOfLine, FIELD_SEPARATOR, type RecordLine } from "../protocol/record-line.ts";
import { positionOf } from "./hashing.ts";
import { parseEventId } from "./records.ts";

/** The event id before the line's first tab, or undefined unless it is a valid one. */
function checkedEventIdOf(line: RecordLine): number | undefined {
  return parseEventId(line.slice(0, line.indexOf(FIELD_SEPARATOR)));
}

/** How full a table is: what a node inspector shows of it. */
export interface TableOccupancy {
  tableSize: number;
  records: number;
  /** Slots holding at least one record. */
  occupiedSlots: number;
  /** `chainLengths[k]`: how many slots hold a chain of k + 1 records. */
  chainLengths: number[];
}

export class StormTable {
  readonly #tableSize: number;
  readonly #slots = new Map<number, RecordLine[]>();
  #size = 0;

  constructor(tableSize: number) {
    if (!Number.isSafeInteger(tableSize) || tableSize < 1) {
      throw new RangeError(`table size must be an integer >= 1, got ${tableSize}`);
    }
    this.#tableSize = tableSize;
  }

  get tableSize(): number {
    return this.#tableSize;
  }

  /** The number of records held. */
  get size(): number {
    return this.#size;
  }

  /**
   * Stores a record; false, changing nothing, if its event id is already stored.
   * Throws a RangeError if the line does not start with a valid event id and a tab.
   */
  insert(line: RecordLine): boolean {
    // Strict parse: records come off the wire, and `Number("")` would be event 0.
    const eventId = checkedEventIdOf(line);
    if (eventId === undefined) {
      throw new RangeError(
        `not a record line with a valid event id: ${JSON.stringify(line.slice(0, 40))}`,
      );
    }
    const position = positionOf(eventId, this.#tableSize);
    const chain = this.#slots.get(position);
    if (chain === undefined) {
      this.#slots.set(position, [line]);
    } else {
      if (chain.some((stored) => eventIdOfLine(stored) === eventId)) return false;
      chain.push(line);
    }
    this.#size++;
    return true;
  }

  /** Stores each record as `insert` does; returns how many were new. */
  insertMany(lines: Iterable<RecordLine>): number {
    let inserted = 0;
    for (const line of lines) {
      if (this.insert(line)) inserted++;
    }
    return inserted;
  }

  /** A write: stores the record, replacing the one of the same event id if there is one. */
  put(line: RecordLine): void {
    const eventId = eventIdOfLine(line);
    this.remove(eventId);
    this.insert(line);
  }

  /** A delete: false, changing nothing, if the event id is not stored here. */
  remove(eventId: number): boolean {
    const position = positionOf(eventId, this.#tableSize);
    const chain = this.#slots.get(position);
    const at = chain?.findIndex((stored) => eventIdOfLine(stored) === eventId) ?? -1;
    if (chain === undefined || at === -1) return false;
    chain.splice(at, 1);
    if (chain.length === 0) this.#slots.delete(position);
    this.#size--;
    return true;
  }

  /** Every record held, in no particular order (a replicated ring's rebuild gathers them). */
  *lines(): IterableIterator<RecordLine> {
    for (const chain of this.#slots.values()) yield* chain;
  }

  find(eventId: number): RecordLine | undefined {
    if (!Number.isSafeInteger(eventId) || eventId < 0) return undefined;
    const chain = this.#slots.get(positionOf(eventId, this.#tableSize));
    return chain?.find((stored) => eventIdOfLine(stored) === eventId);
  }

  /** Counted when asked (an inspector's refresh), not kept up on every insert. */
  occupancy(): TableOccupancy {
    const chainLengths: number[] = [];
    for (const chain of this.#slots.values()) {
      chainLengths[chain.length - 1] = (chainLengths[chain.length - 1] ?? 0) + 1;
    }
    return {
      tableSize: this.#tableSize,
      records: this.#size,
      occupiedSlots: this.#slots.size,
      chainLengths: Array.from(chainLengths, (count) => count ?? 0),
    };
  }
}
