/**
 * Store progress of one build, published at most every `intervalMs` (and always at the
 * start and when every record is stored), so a setup of 48,534 records gives a handful of
 * events rather than one per datagram.
 */
export class StoreProgress {
  private stored = 0;
  private lastPublishedAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly total: number,
    private readonly publish: (stored: number, total: number) => void,
    private readonly intervalMs = 100,
    private readonly now: () => number = Date.now,
  ) {}

  get done(): boolean {
    return this.stored >= this.total;
  }

  add(records: number): void {
    if (this.done && records > 0) return;
    this.stored = Math.min(this.total, this.stored + records);
    const now = this.now();
    if (this.done || now - this.lastPublishedAt >= this.intervalMs) {
      this.lastPublishedAt = now;
      this.publish(this.stored, this.total);
    }
  }
}
