/**
 * The peer's shell: the two sockets, the year cache, the trace and control-channel
 * observation, and the event-loop clock, given to the one effect interpreter
 * (runtime.ts) as its ports.
 */

import { networkInterfaces } from "node:os";
import { MissingDataError } from "../data/csv-loader.ts";
import { YearCache } from "../data/year-cache.ts";
import type { EventListener } from "../observe/hub.ts";
import type { PeerInspection } from "../observe/inspection.ts";
import { PeerObservation } from "../observe/peer-observation.ts";
import type { TraceLevel } from "../observe/trace.ts";
import {
  type Clock,
  type CommandResult,
  type LoadOutcome,
  type PeerIo,
  PeerRuntime,
  type RequestOutcome,
} from "../peer/runtime.ts";
import { describePeer, type PeerSnapshot } from "../peer/snapshot.ts";
import {
  type Datagram,
  isPeerMessage,
  type ManagerRequestBody,
  type PeerBody,
  type PeerTuple,
} from "../protocol/messages.ts";
import { messageOf } from "../support/errors.ts";
import { type FaultChange, RunTimeFaults } from "../transport/faults.ts";
import { Identity } from "../transport/identity.ts";
import { LinkEndpoint } from "../transport/link.ts";
import { RpcClient } from "../transport/rpc.ts";
import { type Address, addressKey, UdpEndpoint } from "../transport/udp.ts";
import { applyFaults, inspectPeer } from "./peer-controls.ts";

export type { CommandResult } from "../peer/runtime.ts";

export interface PeerDaemonOptions {
  manager: Address;
  dataDir: string;
  /** Largest datagram a store may fill, in bytes. */
  maxDatagram: number;
  traceLevel: TraceLevel;
  out: (line: string) => void;
  onExit: (code: number) => void;
  random?: () => number;
  /** How often a member probes its right neighbour. */
  probeIntervalMs: number;
  /** How long a link waits for an acknowledgement before it takes the peer for dead. */
  deadAfterMs: number;
  /** How long a ring command may wait for its outcome (default 35 s). */
  commandTimeoutMs?: number;
  /** Shared secret both sockets sign and check datagrams with; null: the plain protocol. */
  secret?: string | null;
}

interface Sockets {
  managerSide: UdpEndpoint;
  peerSide: UdpEndpoint;
  rpc: RpcClient;
  links: LinkEndpoint;
}

/** Timers on the event loop, not keeping the process alive by themselves. */
const eventLoopClock: Clock = {
  now: () => performance.now(),
  after(ms, run) {
    const timer = setTimeout(run, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
  soon: (run) => setImmediate(run),
};

export class PeerDaemon implements PeerIo {
  /** Named at register; until then the envelope carries no name. */
  readonly identity = new Identity("");
  private sockets: Sockets | null = null;
  private readonly years: YearCache;
  private readonly namesByAddress = new Map<string, string>();
  /** Read once: a dashboard fills a remote peer's `register` in from these. */
  private readonly hostAddresses = hostIpv4Addresses();
  /** The trace on stdout and the control channel's events. */
  private readonly watch: PeerObservation;
  private readonly runtime: PeerRuntime;
  /** Set through the control channel; kept across a re-register, as the process is one. */
  private readonly faults = new RunTimeFaults();

  constructor(private readonly options: PeerDaemonOptions) {
    this.years = new YearCache(options.dataDir);
    this.watch = new PeerObservation(
      this.identity,
      options.traceLevel,
      (line) => this.runtime.print(line),
      () => this.snapshot,
    );
    const watch = this.watch;
    this.runtime = new PeerRuntime({
      io: this,
      clock: eventLoopClock,
      random: options.random ?? Math.random,
      maxDatagram: options.maxDatagram,
      probeIntervalMs: options.probeIntervalMs,
      deadAfterMs: options.deadAfterMs,
      ...(options.commandTimeoutMs === undefined
        ? {}
        : { commandTimeoutMs: options.commandTimeoutMs }),
      hooks: {
        printed: (line) => {
          options.out(line);
          watch.printed(line);
        },
        rejected: (from, reason) => watch.invalid(from, reason, "refused"),
        storing: (total) => watch.storing(total),
        stored: (records) => watch.stored(records),
        stepped: () => watch.stateMayHaveChanged(),
        gaveUp: (queryId, eventId, reason) => watch.gaveUp(queryId, eventId, reason),
      },
    });
  }

  /** Subscribes to this peer's events (messages, state, store progress, queries, console). */
  observe(listener: EventListener): () => void {
    return this.watch.observe(listener);
  }

  get snapshot(): PeerSnapshot {
    const { state, recordsHeld, copiesHeld } = this.runtime;
    const held = { records: recordsHeld, copies: copiesHeld };
    return describePeer(state, held, this.hostAddresses, this.faults.loss);
  }

  /** What a node inspector asks of this peer (the control channel's `inspect`). */
  inspect(eventId: number | null): PeerInspection {
    return inspectPeer(this.identity.clock, this.watch.traffic, this.runtime.table, eventId);
  }

  /** A lecturer's fault (the control channel's `faults`); throws an Error if out of range. */
  setFaults(change: FaultChange): string[] {
    const nameOf = (address: Address) =>
      this.namesByAddress.get(addressKey(address)) ?? addressKey(address);
    const lines = applyFaults(this.faults, change, nameOf);
    // The loss is in the snapshot, so the dashboard's log knows when it was set.
    this.watch.stateMayHaveChanged();
    return lines;
  }

  /**
   * Runs a command line as typed on the console; resolves when the command has finished
   * (a setup once dht-complete is acknowledged, a query once answered, ...) with every
   * line printed meanwhile.
   */
  command(line: string): Promise<CommandResult> {
    return this.runtime.command(line);
  }

  get recordsHeld(): number {
    return this.runtime.recordsHeld;
  }

  async close(): Promise<void> {
    this.runtime.stop();
    this.watch.close();
    await this.closeSockets();
  }

  bind(
    name: string,
    ip: string,
    mport: number,
    pport: number,
    done: (error: string | null) => void,
  ): void {
    this.identity.name = name;
    void this.bindSockets(ip, mport, pport).then(
      () => done(null),
      (error: unknown) => done(messageOf(error)),
    );
  }

  unbind(): void {
    void this.closeSockets();
  }

  load(year: string, done: (outcome: LoadOutcome) => void): void {
    this.years.load(year).then(
      ({ records, problems }) => done({ records, problems }),
      (error: unknown) =>
        done({ error: messageOf(error), missing: error instanceof MissingDataError }),
    );
  }

  request(body: ManagerRequestBody, done: (outcome: RequestOutcome) => void): void {
    const sockets = this.sockets;
    if (sockets === null) {
      done({ error: "not bound" });
      return;
    }
    sockets.rpc.request(body, this.options.manager).then(
      (reply) => done({ reply }),
      (error: unknown) => done({ error: messageOf(error) }),
    );
  }

  send(to: PeerTuple, body: PeerBody, done: (error: string | null) => void): void {
    const sockets = this.sockets;
    if (sockets === null) return;
    this.namesByAddress.set(tupleKey(to), to.name);
    sockets.links.send({ ip: to.ip, port: to.port }, body).then(
      () => done(null),
      (error: unknown) => done(messageOf(error)),
    );
  }

  exit(code: number): void {
    void this.close().then(() => this.options.onExit(code));
  }

  private async bindSockets(ip: string, mport: number, pport: number): Promise<void> {
    const secret = this.options.secret ?? null;
    const managerSide = await UdpEndpoint.bind(ip, mport, secret, this.faults);
    try {
      const peerSide = await UdpEndpoint.bind(ip, pport, secret, this.faults);
      this.sockets = this.connect(managerSide, peerSide);
    } catch (error) {
      await managerSide.close();
      throw error;
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
      deadAfterMs: this.options.deadAfterMs,
      faults: this.faults,
      observer: {
        sent: (message, to, { retransmission, dropped }) => {
          if (!isPeerMessage(message)) return;
          const peer = this.namesByAddress.get(addressKey(to)) ?? addressKey(to);
          watch.sent(peer, message, retransmission, dropped);
        },
        duplicate: () => watch.duplicate(),
      },
    });
    // The m-port talks only to the manager and the p-port only to peers.
    const accept =
      (handler: { handle: (message: Datagram, from: Address, bytes: number) => boolean }) =>
      (message: Datagram, from: Address, bytes: number) => {
        this.identity.observe(message.clock);
        if (!handler.handle(message, from, bytes)) {
          watch.invalid(addressKey(from), `unexpected ${message.type} message`, "refused");
        }
      };
    managerSide.onDatagram(accept(rpc));
    peerSide.onDatagram(accept(links));
    for (const endpoint of [managerSide, peerSide]) {
      endpoint.onInvalid((error, from) => watch.invalid(addressKey(from), error, "malformed"));
    }
    // Seen on delivery, so a retransmitted duplicate is not shown twice.
    links.onMessage((message, source) => {
      watch.received(message.from, message);
      this.runtime.dispatch({ kind: "message", message, source });
    });
    return { managerSide, peerSide, rpc, links };
  }

  private async closeSockets(): Promise<void> {
    const sockets = this.sockets;
    this.sockets = null;
    if (sockets === null) return;
    sockets.rpc.close();
    sockets.links.close();
    await Promise.all([sockets.managerSide.close(), sockets.peerSide.close()]);
  }
}

function tupleKey(tuple: PeerTuple): string {
  return addressKey({ ip: tuple.ip, port: tuple.port });
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
