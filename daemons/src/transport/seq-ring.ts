/**
 * A growable ring buffer indexed by sequence number: items for seqs base..end-1. Append,
 * look-up and removal from the front are O(1), so acknowledging the head of a queue of
 * thousands of stores costs nothing per remaining item.
 */
export class SeqRing<T> {
  private slots: (T | undefined)[] = new Array(64);
  private baseSeq = 0;
  private endSeq = 0;

  /** The seq of the first item held (the next one `shift` removes). */
  get base(): number {
    return this.baseSeq;
  }

  /** The seq the next `push` gets. */
  get end(): number {
    return this.endSeq;
  }

  get size(): number {
    return this.endSeq - this.baseSeq;
  }

  /** Appends an item; it gets seq `end`. */
  push(item: T): void {
    if (this.size === this.slots.length) this.grow();
    this.slots[this.endSeq % this.slots.length] = item;
    this.endSeq += 1;
  }

  /** The item with that seq, or undefined if it is not held. */
  at(seq: number): T | undefined {
    if (seq < this.baseSeq || seq >= this.endSeq) return undefined;
    return this.slots[seq % this.slots.length];
  }

  /** Removes and returns the first item. */
  shift(): T | undefined {
    if (this.baseSeq === this.endSeq) return undefined;
    const index = this.baseSeq % this.slots.length;
    const item = this.slots[index];
    this.slots[index] = undefined;
    this.baseSeq += 1;
    return item;
  }

  private grow(): void {
    const larger: (T | undefined)[] = new Array(this.slots.length * 2);
    for (let seq = this.baseSeq; seq < this.endSeq; seq++) {
      larger[seq % larger.length] = this.slots[seq % this.slots.length];
    }
    this.slots = larger;
  }
}
