/**
 * What a peer holds of the ring: its hash table, how many of its records are copies
 * (a replicated ring), and, on a rebuild's new leader, the records gathered from the
 * other members. The runtime owns one and changes it only as the machine's effects say.
 */
import { StormTable } from "../data/hash-table.ts";
import { eventIdOfLine, type RecordLine } from "../protocol/record-line.ts";

export class LocalTable {
  #table: StormTable | null = null;
  #copies = 0;
  #gathered = new Map<number, RecordLine>();

  get table(): StormTable | null {
    return this.#table;
  }

  get size(): number {
    return this.#table?.size ?? 0;
  }

  /** Records held here that are copies of another node's primaries. */
  get copies(): number {
    return this.#copies;
  }

  /** Stores a build's records; returns how many were already here (and so ignored). */
  store(records: readonly RecordLine[], tableSize: number, copies = 0): number {
    if (this.#table === null || this.#table.tableSize !== tableSize) {
      this.#table = new StormTable(tableSize);
      this.#copies = 0;
    }
    const stored = this.#table.insertMany(records);
    // Repeats are rare (a hostile store); count them all as primaries rather than scan.
    this.#copies += stored === records.length ? copies : 0;
    return records.length - stored;
  }

  drop(): void {
    this.#table = null;
    this.#copies = 0;
    this.#gathered.clear();
  }

  /** A write: false if it deletes an id not held here (nothing changes then). */
  write(eventId: number, record: RecordLine | null, copy: boolean): boolean {
    const table = this.#table;
    if (table === null) return false;
    const held = table.find(eventId) !== undefined;
    if (record === null) {
      if (!held) return false;
      table.remove(eventId);
      if (copy) this.#copies -= 1;
      return true;
    }
    table.put(record);
    if (copy && !held) this.#copies += 1;
    return true;
  }

  /** Every record held, for a rebuild's new leader; the table is gone afterwards. */
  handOver(): RecordLine[] {
    const lines = this.#table === null ? [] : [...this.#table.lines()];
    this.drop();
    return lines;
  }

  startGathering(): void {
    this.#gathered.clear();
  }

  keepGathered(records: readonly RecordLine[]): void {
    for (const line of records) this.#gathered.set(eventIdOfLine(line), line);
  }

  /** The gathered records and this node's own, each event once, ready to store again. */
  takeGathered(): RecordLine[] {
    const all = new Map(this.#gathered);
    if (this.#table !== null) {
      for (const line of this.#table.lines()) all.set(eventIdOfLine(line), line);
    }
    this.#gathered.clear();
    return [...all.values()];
  }
}
