/**
 * A UDP proxy for tests: it sits between one client and a target and drops, duplicates
 * and delays (hence reorders) a chosen share of the datagrams in both directions, drawing
 * from a seeded random source so a failing run can be replayed.
 */
import { createSocket } from "node:dgram";
import type { Address } from "../../../src/transport/udp.ts";

/** mulberry32: a small seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type ProxyFaults = {
  /** Share of datagrams dropped. */
  drop: number;
  /** Share of datagrams sent twice. */
  duplicate: number;
  /** Share of datagrams held back by up to maxDelayMs, so later ones overtake them. */
  reorder: number;
  maxDelayMs: number;
};

export type ProxyCounts = {
  forwarded: number;
  dropped: number;
  duplicated: number;
  delayed: number;
};

export class LossyProxy {
  readonly counts: ProxyCounts = { forwarded: 0, dropped: 0, duplicated: 0, delayed: 0 };
  private readonly heldBack = new Set<NodeJS.Timeout>();
  /** The last address that sent from outside: replies from the target go there. */
  private client: Address | undefined;

  private constructor(
    private readonly socket: ReturnType<typeof createSocket>,
    private readonly target: Address,
    public faults: ProxyFaults,
    private readonly random: () => number,
  ) {
    socket.on("message", (bytes, remote) => {
      const fromTarget = remote.address === target.ip && remote.port === target.port;
      if (!fromTarget) this.client = { ip: remote.address, port: remote.port };
      const destination = fromTarget ? this.client : this.target;
      if (destination !== undefined) this.pass(bytes, destination);
    });
  }

  static async start(target: Address, faults: ProxyFaults, seed: number): Promise<LossyProxy> {
    const socket = createSocket({ type: "udp4" });
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    socket.setRecvBufferSize(4 * 1024 * 1024);
    return new LossyProxy(socket, target, faults, seededRandom(seed));
  }

  address(): Address {
    const local = this.socket.address();
    return { ip: local.address, port: local.port };
  }

  async close(): Promise<void> {
    for (const timer of this.heldBack) clearTimeout(timer);
    this.heldBack.clear();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private pass(bytes: Buffer, to: Address): void {
    if (this.random() < this.faults.drop) {
      this.counts.dropped += 1;
      return;
    }
    this.forward(bytes, to);
    if (this.random() < this.faults.duplicate) {
      this.counts.duplicated += 1;
      this.forward(bytes, to);
    }
  }

  private forward(bytes: Buffer, to: Address): void {
    if (this.random() >= this.faults.reorder) {
      this.emit(bytes, to);
      return;
    }
    this.counts.delayed += 1;
    const timer = setTimeout(() => {
      this.heldBack.delete(timer);
      this.emit(bytes, to);
    }, this.random() * this.faults.maxDelayMs);
    this.heldBack.add(timer);
  }

  private emit(bytes: Buffer, to: Address): void {
    this.counts.forwarded += 1;
    this.socket.send(bytes, to.port, to.ip);
  }
}
