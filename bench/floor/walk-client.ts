/**
 * The bench's asker for walks on the floor: sends a query to a node of the chain on a
 * floor link and waits for the owner's answer on its own socket, as the bench's walker does
 * on stormring's ring (bench/support/stormring-walker.ts), so both walks are timed alike.
 */
import type { Walker, WalkOutcome } from "../support/walker.ts";
import { FloorLinks } from "./link.ts";
import { decode, findBytes, type Result } from "./messages.ts";

export class FloorWalker implements Walker {
  private nextQueryId = 1;
  private readonly waiting = new Map<number, (result: Result, at: number) => void>();

  private constructor(
    private readonly links: FloorLinks,
    /** The chain's node ports in ring order. */
    private readonly ports: readonly number[],
  ) {
    links.onMessage((payload) => {
      const at = performance.now();
      const message = decode(payload);
      if (message.kind !== "result") return;
      this.waiting.get(message.queryId)?.(message, at);
      this.waiting.delete(message.queryId);
    });
  }

  static async open(ports: readonly number[]): Promise<FloorWalker> {
    return new FloorWalker(await FloorLinks.bind(), ports);
  }

  get ringSize(): number {
    return this.ports.length;
  }

  query(eventId: number, entry: number): Promise<WalkOutcome> {
    const queryId = this.nextQueryId++;
    const port = this.ports[entry] as number;
    return new Promise((resolve) => {
      const sentAt = performance.now();
      this.waiting.set(queryId, (result, at) =>
        resolve({ ms: at - sentAt, found: result.line !== null, hops: result.idSeq.length }),
      );
      this.links.send(
        port,
        findBytes({ queryId, eventId, idSeq: [], clientPort: this.links.port }),
      );
    });
  }

  close(): void {
    this.links.close();
  }
}
