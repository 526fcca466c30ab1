/**
 * Runs peers and the manager's state machine together in memory, with a FIFO of
 * deliveries standing in for the network and a fake clock for timers. Each peer is the
 * daemon's own effect interpreter (peer/runtime.ts) with in-memory ports, so the whole
 * protocol runs deterministically and without sockets, timeouts included.
 */
import {
  handleRequest,
  initialManagerState,
  type ManagerState,
} from "../../src/manager/machine.ts";
import { type Clock, type PeerIo, PeerRuntime } from "../../src/peer/runtime.ts";
import type { PeerContext, PeerState } from "../../src/peer/state.ts";
import type {
  ManagerRequest,
  PeerBody,
  PeerMessage,
  PeerTuple,
  StormRecord,
} from "../../src/protocol/messages.ts";
import { toRecordLine } from "../../src/protocol/record-line.ts";

/** For stepping the peer machine directly: one fixed nonce, so answers can be forged in tests. */
export const TEST_CONTEXT: PeerContext = { random: Math.random, nonce: () => "00c0ffee00c0ffee" };

export interface SimulatedPeer {
  name: string;
  runtime: PeerRuntime;
  readonly state: PeerState;
  readonly table: PeerRuntime["table"];
  out: string[];
  exited: boolean;
  mport: number;
  pport: number;
  /** A peer cut off the network: what is sent to it is lost, and never given up on. */
  silenced: boolean;
  /** A dead peer: what is sent to it is lost, and the link gives up after LINK_DEAD_AFTER_MS. */
  dead: boolean;
}

/** How long a link to a dead peer takes to give up, as the daemon's link does by default. */
export const LINK_DEAD_AFTER_MS = 3_000;

/** A deterministic source in [0, 1) (a linear congruential generator). */
export function seededRandom(seed: number): () => number {
  let value = seed;
  return () => {
    value = (value * 1_103_515_245 + 12_345) % 2_147_483_648;
    return value / 2_147_483_648;
  };
}

/** Timers that fire only when the test moves time on. */
export class FakeClock implements Clock {
  private time = 0;
  private timers: { at: number; run: () => void }[] = [];

  constructor(private readonly schedule: (run: () => void) => void) {}

  after(ms: number, run: () => void): () => void {
    const timer = { at: this.time + ms, run };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((each) => each !== timer);
    };
  }

  now(): number {
    return this.time;
  }

  soon(run: () => void): void {
    this.schedule(run);
  }

  /** Moves time on by `ms`, queueing every timer that falls due, earliest first. */
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((timer) => timer.at <= this.time).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((timer) => timer.at > this.time);
    for (const timer of due) this.schedule(timer.run);
  }
}

export class Simulation {
  manager: ManagerState = initialManagerState();
  readonly peers = new Map<string, SimulatedPeer>();
  private readonly queue: (() => void)[] = [];
  private readonly random = seededRandom(7);
  readonly clock = new FakeClock((run) => this.queue.push(run));
  private messageId = 0;
  /** Every command's outcome, in the order the commands finished. */
  readonly finished: { peer: string; ok: boolean }[] = [];
  /** Every peer message delivered, in order, for assertions on the traffic. */
  readonly traffic: PeerMessage[] = [];

  constructor(
    private readonly recordsByYear: Map<string, StormRecord[]>,
    /** Infinity: members never probe, so a test of something else sees no repair. */
    private readonly probeIntervalMs = 1_000,
  ) {}

  addPeer(name: string): SimulatedPeer {
    const port = 5_000 + this.peers.size * 2;
    const out: string[] = [];
    const runtime = new PeerRuntime({
      io: this.portsOf(name),
      clock: this.clock,
      random: this.random,
      maxDatagram: 1_400,
      probeIntervalMs: this.probeIntervalMs,
      hooks: {
        printed: (line) => out.push(line),
        finished: (ok) => this.finished.push({ peer: name, ok }),
      },
    });
    const peer: SimulatedPeer = {
      name,
      runtime,
      get state() {
        return runtime.state;
      },
      get table() {
        return runtime.table;
      },
      out,
      exited: false,
      mport: port,
      pport: port + 1,
      silenced: false,
      dead: false,
    };
    this.peers.set(name, peer);
    return peer;
  }

  peer(name: string): SimulatedPeer {
    const peer = this.peers.get(name);
    if (peer === undefined) throw new Error(`no simulated peer ${name}`);
    return peer;
  }

  /** Types a line on a peer's console and runs until nothing is left to deliver. */
  type(name: string, line: string): string[] {
    const peer = this.peer(name);
    const before = peer.out.length;
    void peer.runtime.command(line);
    this.settle();
    return peer.out.slice(before);
  }

  /** Moves the fake clock on and runs what falls due; returns what `name` printed. */
  wait(name: string, ms: number): string[] {
    const peer = this.peer(name);
    const before = peer.out.length;
    this.clock.advance(ms);
    this.settle();
    return peer.out.slice(before);
  }

  settle(): void {
    for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) next();
  }

  private portsOf(name: string): PeerIo {
    const self = () => this.peer(name);
    return {
      bind: (_name, _ip, _mport, _pport, done) => this.queue.push(() => done(null)),
      unbind: () => {},
      load: (year, done) => {
        const records = this.recordsByYear.get(year);
        this.queue.push(() =>
          done(
            records === undefined
              ? { error: `no data for ${year}`, missing: true }
              : { records: records.map(toRecordLine), problems: [] },
          ),
        );
      },
      request: (body, done) => {
        const peer = self();
        const envelope = { v: 1 as const, from: name, sess: 1, id: ++this.messageId, clock: 0 };
        const request = { ...body, ...envelope } as ManagerRequest;
        const result = handleRequest(
          this.manager,
          request,
          { ip: "127.0.0.1", port: peer.mport },
          this.random,
        );
        this.manager = result.state;
        const reply = { ...result.reply, ...envelope, from: "manager", re: envelope.id };
        this.queue.push(() => done({ reply }));
      },
      send: (to, body, done) => {
        const target = this.peers.get(to.name);
        if (target?.dead) {
          this.clock.after(LINK_DEAD_AFTER_MS, () => done("not acknowledged"));
          return;
        }
        if (target?.silenced) return;
        this.deliver(self(), to, body);
        this.queue.push(() => done(null));
      },
      exit: () => {
        self().exited = true;
      },
    };
  }

  private deliver(from: SimulatedPeer, to: PeerTuple, body: PeerBody): void {
    const id = ++this.messageId;
    const message = {
      ...body,
      v: 1,
      from: from.name,
      sess: 1,
      id,
      clock: 0,
      seq: id,
    } as PeerMessage;
    this.traffic.push(message);
    const source = { ip: "127.0.0.1", port: from.pport };
    this.queue.push(() =>
      this.peer(to.name).runtime.dispatch({ kind: "message", message, source }),
    );
  }
}
