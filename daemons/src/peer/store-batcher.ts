/**
 * Packs record lines bound for one neighbour into `store` bodies that fit a datagram of
 * at most `maxDatagram` bytes, so bulk stores cross an Ethernet path without IP
 * fragmentation. Records added in one event-loop turn share datagrams; what is left
 * is sent on the next turn, or at once when another message must follow them.
 */
import type { PeerBody } from "../protocol/messages.ts";
import { encodedLineBytes } from "../protocol/record-line.ts";

/** Room for the envelope and the store's own fields around the records. */
const ENVELOPE_BYTES = 200;

export class StoreBatcher {
  private pending: string[] = [];
  private pendingBytes = 0;
  private tableSize = 0;
  private scheduled = false;
  private readonly budget: number;

  constructor(
    maxDatagram: number,
    senderName: string,
    /** Runs a function once the current burst of work is done (Clock.soon). */
    private readonly soon: (run: () => void) => void,
    private readonly sendStore: (body: PeerBody) => void,
  ) {
    this.budget = maxDatagram - ENVELOPE_BYTES - Buffer.byteLength(senderName);
  }

  add(lines: readonly string[], tableSize: number): void {
    if (tableSize !== this.tableSize) this.flush();
    this.tableSize = tableSize;
    for (const line of lines) {
      const bytes = encodedLineBytes(line);
      if (this.pending.length > 0 && this.pendingBytes + bytes > this.budget) this.flush();
      this.pending.push(line);
      this.pendingBytes += bytes;
    }
    if (this.pending.length > 0 && !this.scheduled) {
      this.scheduled = true;
      this.soon(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const records = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.sendStore({ type: "store", tableSize: this.tableSize, records });
  }
}
