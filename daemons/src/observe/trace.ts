/**
 * The labelled trace a daemon prints on stdout: one line per message sent or received,
 * naming both ends, e.g. `[alice] -> manager  register alice 127.0.0.1 5001 5002`.
 * Bulk stores are summarised per link: the summary is printed before the next other
 * message on that link (the count barrier always follows the stores).
 */

export const TRACE_LEVELS = ["quiet", "messages", "verbose"] as const;
export type TraceLevel = (typeof TRACE_LEVELS)[number];

export function isTraceLevel(text: string): text is TraceLevel {
  return (TRACE_LEVELS as readonly string[]).includes(text);
}

export interface StoreTally {
  records: number;
  datagrams: number;
}

/** Called with every per-link store summary, at the moment the trace would print it. */
export type StoreSummaryListener = (
  direction: "sent" | "received",
  peer: string,
  stores: StoreTally,
) => void;

export class Trace {
  private readonly sentStores = new Map<string, StoreTally>();
  private readonly receivedStores = new Map<string, StoreTally>();
  private readonly invalidLog = new RateLimitedLog(10, 1_000);

  constructor(
    private readonly self: () => string,
    private readonly level: TraceLevel,
    private readonly out: (line: string) => void,
    private readonly onStores?: StoreSummaryListener,
  ) {}

  sent(peer: string, description: string, retransmission = false): void {
    if (retransmission) {
      if (this.level === "verbose")
        this.out(`[${this.self()}] -> ${peer}  (retransmission) ${description}`);
      return;
    }
    this.flushStores(this.sentStores, peer, "sent");
    if (this.level !== "quiet") this.out(`[${this.self()}] -> ${peer}  ${description}`);
  }

  received(peer: string, description: string): void {
    this.flushStores(this.receivedStores, peer, "received");
    if (this.level !== "quiet") this.out(`[${this.self()}] <- ${peer}  ${description}`);
  }

  /** A line about this daemon itself (a peer declared dead, ...), at every level. */
  note(text: string): void {
    this.out(`[${this.self()}] ${text}`);
  }

  /**
   * Probes (every second on every link) and check-ins (every few seconds) would drown the
   * trace: shown only at --trace verbose.
   */
  routine(
    direction: "sent" | "received",
    peer: string,
    description: string,
    retransmission: boolean,
  ): void {
    if (this.level !== "verbose") return;
    const arrow = direction === "sent" ? "->" : "<-";
    const again = retransmission ? "(retransmission) " : "";
    this.out(`[${this.self()}] ${arrow} ${peer}  ${again}${description}`);
  }

  sentStore(peer: string, records: number): void {
    tally(this.sentStores, peer, records);
  }

  receivedStore(peer: string, records: number): void {
    tally(this.receivedStores, peer, records);
  }

  invalid(from: string, error: string): void {
    this.invalidLog.log(this.out, `[${this.self()}] dropped a datagram from ${from}: ${error}`);
  }

  private flushStores(
    tallies: Map<string, StoreTally>,
    peer: string,
    direction: "sent" | "received",
  ): void {
    const stores = tallies.get(peer);
    if (stores === undefined) return;
    tallies.delete(peer);
    this.onStores?.(direction, peer, stores);
    if (this.level === "quiet") return;
    const arrow = direction === "sent" ? "->" : "<-";
    this.out(`[${this.self()}] ${arrow} ${peer}  ${storeSummary(stores)}`);
  }
}

/** How a store summary reads in the trace, e.g. `store: 9706 records in 700 datagrams`. */
export function storeSummary(stores: StoreTally): string {
  return `store: ${stores.records} records in ${stores.datagrams} datagrams`;
}

function tally(tallies: Map<string, StoreTally>, peer: string, records: number): void {
  const stores = tallies.get(peer);
  if (stores === undefined) tallies.set(peer, { records, datagrams: 1 });
  else {
    stores.records += records;
    stores.datagrams += 1;
  }
}

/** Logs at most `limit` lines per `windowMs`, then says how many it held back. */
export class RateLimitedLog {
  private windowStart = 0;
  private written = 0;
  private suppressed = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  log(out: (line: string) => void, line: string): void {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0) out(`(${this.suppressed} similar lines suppressed)`);
      this.windowStart = now;
      this.written = 0;
      this.suppressed = 0;
    }
    if (this.written < this.limit) {
      this.written += 1;
      out(line);
    } else this.suppressed += 1;
  }
}
