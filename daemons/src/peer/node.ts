/**
 * The peer's shell: it owns the sockets, the local hash table and the timers, feeds
 * every event to the pure state machine and carries out the effects it returns.
 */

import { stat } from "node:fs/promises";
import { join } from "node:path";
import { Trace, type TraceLevel } from "../cli/trace.ts";
import { detailsFileName, loadYear } from "../data/csv-loader.ts";
import { StormTable } from "../data/hash-table.ts";
import { describePeerMessage, describeReply, describeRequest } from "../protocol/describe.ts";
import {
  type Datagram,
  type ManagerRequestBody,
  PEER_MESSAGE_TYPES,
  type PeerBody,
  type PeerMessage,
  type PeerTuple,
  type StormRecord,
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
  /** The last year parsed, reused while its file is unchanged (rebuilds, repeated setups). */
  private loaded: { year: string; modified: number; records: StormRecord[] } | null = null;
  private readonly batchers = new Map<string, StoreBatcher>();
  private readonly namesByAddress = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly random: () => number;
  private readonly trace: Trace;
  private lastCommandId = 0;
  /** Commands not finished yet, collecting what is printed while they run. */
  private readonly running = new Map<
    number,
    { lines: string[]; resolve: (result: CommandResult) => void }
  >();

  constructor(private readonly options: PeerNodeOptions) {
    this.random = options.random ?? Math.random;
    // The trace names this peer once it has a name; before that, by its process id.
    const self = () => this.identity.name || `peer ${process.pid}`;
    this.trace = new Trace(self, options.traceLevel, (line) => this.output(line));
  }

  private output(line: string): void {
    this.options.out(line);
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
    await this.unbind();
  }

  private dispatch(event: PeerEvent): void {
    const { state, effects } = step(this.state, event, { random: this.random });
    this.state = state;
    for (const effect of effects) this.run(effect);
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
        this.batcherFor(effect.to).add(effect.records, effect.tableSize);
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
    const trace = this.trace;
    const rpc = new RpcClient(managerSide, this.identity, {
      observer: {
        sent: (message, _to, { retransmission }) => {
          if (message.type !== "reply" && message.type !== "ack" && !isPeerMessage(message)) {
            trace.sent("manager", describeRequest(message), retransmission);
          }
        },
        received: (message) => {
          if (message.type === "reply") trace.received("manager", describeReply(message));
        },
      },
    });
    const links = new LinkEndpoint(peerSide, this.identity, {
      observer: {
        sent: (message, to, { retransmission }) => {
          if (!isPeerMessage(message)) return;
          const peer = this.namesByAddress.get(addressKey(to)) ?? addressKey(to);
          if (message.type !== "store")
            trace.sent(peer, describePeerMessage(message), retransmission);
          else if (!retransmission) trace.sentStore(peer, message.records.length);
        },
      },
    });
    // The m-port talks only to the manager and the p-port only to peers.
    const accept =
      (handler: { handle: (message: Datagram, from: Address) => boolean }) =>
      (message: Datagram, from: Address) => {
        this.identity.observe(message.clock);
        if (!handler.handle(message, from))
          trace.invalid(addressKey(from), `unexpected ${message.type} message`);
      };
    managerSide.onDatagram(accept(rpc));
    peerSide.onDatagram(accept(links));
    for (const endpoint of [managerSide, peerSide]) {
      endpoint.onInvalid((error, from) => trace.invalid(addressKey(from), error));
    }
    // Traced on delivery, so a retransmitted duplicate is not shown twice.
    links.onMessage((message) => {
      if (message.type === "store") trace.receivedStore(message.from, message.records.length);
      else trace.received(message.from, describePeerMessage(message));
      this.dispatch({ kind: "message", message });
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
      const modified = await lastModified(join(this.options.dataDir, detailsFileName(year)));
      if (this.loaded?.year !== year || this.loaded.modified !== modified) {
        const { records, problems } = await loadYear(this.options.dataDir, year);
        for (const problem of problems) {
          this.output(`details-${year}.csv line ${problem.line}: ${problem.message} (skipped)`);
        }
        this.loaded = { year, modified, records };
      }
      this.dispatch({ kind: "loaded", year, records: this.loaded.records });
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

const peerMessageTypes = new Set<string>(PEER_MESSAGE_TYPES);
function isPeerMessage(message: Datagram): message is PeerMessage {
  return peerMessageTypes.has(message.type);
}

function tupleKey(tuple: PeerTuple): string {
  return addressKey({ ip: tuple.ip, port: tuple.port });
}

/** The file's modification time, or -1 if it cannot be read (loadYear then says why). */
async function lastModified(file: string): Promise<number> {
  return stat(file).then(
    (info) => info.mtimeMs,
    () => -1,
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
