/**
 * The peer's shell: it owns the sockets, the local hash table and the timers, feeds
 * every event to the pure state machine and carries out the effects it returns.
 */
import { networkInterfaces } from "node:os";
import type { TraceLevel } from "../cli/trace.ts";
import type { EventListener } from "../control/hub.ts";
import { describePeer, type PeerSnapshot } from "../control/peer-events.ts";
import { isPeerMessage, PeerObservation } from "../control/peer-observation.ts";
import { StormTable } from "../data/hash-table.ts";
import { YearCache } from "../data/year-cache.ts";
import type {
  Datagram,
  ManagerRequestBody,
  PeerBody,
  PeerTuple,
  StormRecord,
} from "../protocol/messages.ts";
import { Identity } from "../transport/identity.ts";
import { LinkEndpoint } from "../transport/link.ts";
import { RpcClient } from "../transport/rpc.ts";
import { type Address, addressKey, UdpEndpoint } from "../transport/udp.ts";
import { step } from "./machine.ts";
import { QUERY_TIMEOUT_MS } from "./query.ts";
import { initialPeerState, type PeerEffect, type PeerEvent, type PeerState } from "./state.ts";
import { StoreBatcher } from "./store-batcher.ts";

export interface CommandResult {
  ok: boolean;
  lines: string[];
}

export interface PeerNodeOptions {
  manager: Address;
  dataDir: string;
  /** Largest datagram a store may fill, in bytes. */
  maxDatagram: number;
  traceLevel: TraceLevel;
  out: (line: string) => void;
  onExit: (code: number) => void;
  random?: () => number;
  queryTimeoutMs?: number;
}

interface Sockets {
  managerSide: UdpEndpoint;
  peerSide: UdpEndpoint;
  rpc: RpcClient;
  links: LinkEndpoint;
}

export class PeerNode {
  private state: PeerState = initialPeerState();
  /** Named at register; until then the envelope carries no name. */
  readonly identity = new Identity("");
  private sockets: Sockets | null = null;
  private table: StormTable | null = null;
  private readonly years: YearCache;
  private readonly batchers = new Map<string, StoreBatcher>();
  private readonly namesByAddress = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly random: () => number;
  /** Read once: a dashboard fills a remote peer's `register` in from these. */
  private readonly hostAddresses = hostIpv4Addresses();
  /** The trace on stdout and the control channel's events. */
  private readonly watch: PeerObservation;
  private lastCommandId = 0;
  /** Commands not finished yet, collecting what is printed while they run. */
  private readonly running = new Map<
    number,
    { lines: string[]; resolve: (result: CommandResult) => void }
  >();

  constructor(private readonly options: PeerNodeOptions) {
    this.random = options.random ?? Math.random;
    this.years = new YearCache(options.dataDir);
    this.watch = new PeerObservation(
      this.identity,
      options.traceLevel,
      (line) => this.output(line),
      () => this.snapshot,
    );
  }

  /** Subscribes to this peer's events (messages, state, store progress, queries, console). */
  observe(listener: EventListener): () => void {
    return this.watch.observe(listener);
  }

  get snapshot(): PeerSnapshot {
    return describePeer(this.state, this.recordsHeld, this.hostAddresses);
  }

  private output(line: string): void {
    this.options.out(line);
    this.watch.printed(line);
    for (const command of this.running.values()) command.lines.push(line);
  }

  /**
   * Runs a command line as typed on the console; resolves when the command has finished
   * (a setup once dht-complete is acknowledged, a query once answered, ...) with every
   * line printed meanwhile.
   */
  command(line: string): Promise<CommandResult> {
    const commandId = ++this.lastCommandId;
    return new Promise((resolve) => {
      this.running.set(commandId, { lines: [], resolve });
      this.dispatch({ kind: "line", line, commandId });
    });
  }

  get recordsHeld(): number {
    return this.table?.size ?? 0;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.watch.close();
    await this.unbind();
  }

  private dispatch(event: PeerEvent): void {
    const before = this.state;
    const { state, effects } = step(this.state, event, { random: this.random });
    this.state = state;
    const distributed = before.build?.records;
    if (distributed && state.build?.records === null) this.watch.storing(distributed.length);
    for (const effect of effects) this.run(effect);
    this.watch.stateMayHaveChanged();
  }

  private run(effect: PeerEffect): void {
    switch (effect.kind) {
      case "print":
        this.output(effect.line);
        return;
      case "done": {
        const command = this.running.get(effect.commandId);
        this.running.delete(effect.commandId);
        command?.resolve({ ok: effect.ok, lines: command.lines });
        return;
      }
      case "bind":
        this.identity.name = effect.name;
        void this.bind(effect.ip, effect.mport, effect.pport);
        return;
      case "unbind":
        void this.unbind();
        return;
      case "load":
        void this.load(effect.year);
        return;
      case "request":
        this.request(effect.body);
        return;
      case "send":
        this.send(effect.to, effect.body, effect.notify ?? false);
        return;
      case "send-records":
        this.batcherFor(effect.to).add(effect.lines, effect.tableSize);
        return;
      case "store-local":
        this.storeLocal(effect.records, effect.tableSize);
        return;
      case "drop-table":
        this.table = null;
        return;
      case "forward-count":
        this.send(
          effect.to,
          {
            type: "count",
            tableSize: effect.tableSize,
            counts: [...effect.counts, this.recordsHeld],
          },
          false,
        );
        return;
      case "answer-query": {
        const record = this.table?.find(effect.eventId);
        const { origin, queryId, eventId, idSeq } = effect;
        this.send(
          origin,
          { type: "find-result", queryId, eventId, idSeq, ...(record ? { record } : {}) },
          false,
        );
        return;
      }
      case "start-timer":
        this.startTimer(effect.queryId);
        return;
      case "reject":
        this.watch.invalid(effect.from, `${effect.type} ignored: ${effect.reason}`);
        return;
      case "exit":
        void this.close().then(() => this.options.onExit(effect.code));
        return;
    }
  }

  private async bind(ip: string, mport: number, pport: number): Promise<void> {
    let managerSide: UdpEndpoint | null = null;
    try {
      managerSide = await UdpEndpoint.bind(ip, mport);
      const peerSide = await UdpEndpoint.bind(ip, pport);
      this.sockets = this.connect(managerSide, peerSide);
      this.dispatch({ kind: "bound" });
    } catch (error) {
      await managerSide?.close();
      this.dispatch({ kind: "bind-failed", error: messageOf(error) });
    }
  }

  private connect(managerSide: UdpEndpoint, peerSide: UdpEndpoint): Sockets {
    const watch = this.watch;
    const rpc = new RpcClient(managerSide, this.identity, {
      observer: {
        sent: (message, _to, { retransmission }) => watch.sent("manager", message, retransmission),
        received: (message) => {
          if (message.type === "reply") watch.received("manager", message);
        },
      },
    });
    const links = new LinkEndpoint(peerSide, this.identity, {
      observer: {
        sent: (message, to, { retransmission }) => {
          if (!isPeerMessage(message)) return;
          watch.sent(
            this.namesByAddress.get(addressKey(to)) ?? addressKey(to),
            message,
            retransmission,
          );
        },
      },
    });
    // The m-port talks only to the manager and the p-port only to peers.
    const accept =
      (handler: { handle: (message: Datagram, from: Address) => boolean }) =>
      (message: Datagram, from: Address) => {
        this.identity.observe(message.clock);
        if (!handler.handle(message, from)) {
          watch.invalid(addressKey(from), `unexpected ${message.type} message`);
        }
      };
    managerSide.onDatagram(accept(rpc));
    peerSide.onDatagram(accept(links));
    for (const endpoint of [managerSide, peerSide]) {
      endpoint.onInvalid((error, from) => watch.invalid(addressKey(from), error));
    }
    // Seen on delivery, so a retransmitted duplicate is not shown twice.
    links.onMessage((message, source) => {
      watch.received(message.from, message);
      this.dispatch({ kind: "message", message, source });
    });
    return { managerSide, peerSide, rpc, links };
  }

  private async unbind(): Promise<void> {
    const sockets = this.sockets;
    this.sockets = null;
    this.batchers.clear();
    if (sockets === null) return;
    sockets.rpc.close();
    sockets.links.close();
    await Promise.all([sockets.managerSide.close(), sockets.peerSide.close()]);
  }

  private async load(year: string): Promise<void> {
    try {
      const { records, problems } = await this.years.load(year);
      for (const problem of problems) {
        this.output(`details-${year}.csv line ${problem.line}: ${problem.message} (skipped)`);
      }
      this.dispatch({ kind: "loaded", year, records });
    } catch (error) {
      this.dispatch({ kind: "load-failed", year, error: messageOf(error) });
    }
  }

  private request(body: ManagerRequestBody): void {
    const sockets = this.sockets;
    if (sockets === null) {
      this.dispatch({ kind: "request-failed", request: body, error: "not bound" });
      return;
    }
    sockets.rpc.request(body, this.options.manager).then(
      (reply) => this.dispatch({ kind: "reply", request: body, reply }),
      (error: unknown) =>
        this.dispatch({ kind: "request-failed", request: body, error: messageOf(error) }),
    );
  }

  private send(to: PeerTuple, body: PeerBody, notify: boolean): void {
    const sockets = this.sockets;
    if (sockets === null) return;
    // Records waiting for this link leave first, so nothing overtakes them.
    this.batchers.get(tupleKey(to))?.flush();
    this.namesByAddress.set(tupleKey(to), to.name);
    sockets.links.send({ ip: to.ip, port: to.port }, body).then(
      () => {
        // A leader's stores count as stored once the next node has them.
        if (body.type === "store") this.watch.stored(body.records.length);
        if (notify) this.dispatch({ kind: "delivered", to, body });
      },
      (error: unknown) => this.dispatch({ kind: "send-failed", to, body, error: messageOf(error) }),
    );
  }

  private batcherFor(to: PeerTuple): StoreBatcher {
    const key = tupleKey(to);
    let batcher = this.batchers.get(key);
    if (batcher === undefined) {
      this.namesByAddress.set(key, to.name);
      batcher = new StoreBatcher(this.options.maxDatagram, this.identity.name, (body) =>
        this.send(to, body, false),
      );
      this.batchers.set(key, batcher);
    }
    return batcher;
  }

  private storeLocal(records: StormRecord[], tableSize: number): void {
    if (this.table === null || this.table.tableSize !== tableSize)
      this.table = new StormTable(tableSize);
    const stored = this.table.insertMany(records);
    this.watch.stored(records.length);
    if (stored < records.length) {
      this.output(`ignored ${records.length - stored} records already stored here`);
    }
  }

  private startTimer(queryId: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.dispatch({ kind: "timer", queryId });
    }, this.options.queryTimeoutMs ?? QUERY_TIMEOUT_MS);
    timer.unref();
    this.timers.add(timer);
  }
}

function tupleKey(tuple: PeerTuple): string {
  return addressKey({ ip: tuple.ip, port: tuple.port });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** This machine's IPv4 addresses, the loopback ones last. */
function hostIpv4Addresses(): string[] {
  const addresses = Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => entry.family === "IPv4");
  return [
    ...addresses.filter((entry) => !entry.internal).map((entry) => entry.address),
    ...addresses.filter((entry) => entry.internal).map((entry) => entry.address),
  ];
}
