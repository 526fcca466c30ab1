/**
 * Runs peer state machines and the manager's state machine together in memory, with a
 * FIFO of events standing in for the network: the whole protocol, deterministic and
 * without sockets, so unit tests can follow every step.
 */
import { StormTable } from "../../src/data/hash-table.ts";
import {
  handleRequest,
  initialManagerState,
  type ManagerState,
} from "../../src/manager/machine.ts";
import { step } from "../../src/peer/machine.ts";
import {
  initialPeerState,
  type PeerEffect,
  type PeerEvent,
  type PeerState,
} from "../../src/peer/state.ts";
import type {
  ManagerRequest,
  PeerBody,
  PeerMessage,
  PeerTuple,
  StormRecord,
} from "../../src/protocol/messages.ts";

export interface SimulatedPeer {
  name: string;
  state: PeerState;
  table: StormTable | null;
  out: string[];
  exited: boolean;
  mport: number;
  pport: number;
}

/** A deterministic source in [0, 1) (a linear congruential generator). */
export function seededRandom(seed: number): () => number {
  let value = seed;
  return () => {
    value = (value * 1_103_515_245 + 12_345) % 2_147_483_648;
    return value / 2_147_483_648;
  };
}

export class Simulation {
  manager: ManagerState = initialManagerState();
  readonly peers = new Map<string, SimulatedPeer>();
  private readonly queue: { peer: string; event: PeerEvent }[] = [];
  private readonly random = seededRandom(7);
  private messageId = 0;
  private commandId = 0;
  /** Every command's outcome, in the order the commands finished. */
  readonly finished: { peer: string; commandId: number; ok: boolean }[] = [];
  /** Every peer message delivered, in order, for assertions on the traffic. */
  readonly traffic: PeerMessage[] = [];

  constructor(private readonly recordsByYear: Map<string, StormRecord[]>) {}

  addPeer(name: string): SimulatedPeer {
    const port = 5_000 + this.peers.size * 2;
    const peer: SimulatedPeer = {
      name,
      state: initialPeerState(),
      table: null,
      out: [],
      exited: false,
      mport: port,
      pport: port + 1,
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
    this.queue.push({ peer: name, event: { kind: "line", line, commandId: ++this.commandId } });
    this.settle();
    return peer.out.slice(before);
  }

  settle(): void {
    for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
      const peer = this.peer(next.peer);
      const result = step(peer.state, next.event, { random: this.random });
      peer.state = result.state;
      for (const effect of result.effects) this.run(peer, effect);
    }
  }

  private run(peer: SimulatedPeer, effect: PeerEffect): void {
    const deliver = (to: string, event: PeerEvent): void => {
      this.queue.push({ peer: to, event });
    };
    switch (effect.kind) {
      case "print":
        peer.out.push(effect.line);
        return;
      case "bind":
        deliver(peer.name, { kind: "bound" });
        return;
      case "unbind":
      case "start-timer":
        return;
      case "load": {
        const records = this.recordsByYear.get(effect.year);
        if (records === undefined) {
          deliver(peer.name, {
            kind: "load-failed",
            year: effect.year,
            error: `no data for ${effect.year}`,
          });
        } else deliver(peer.name, { kind: "loaded", year: effect.year, records });
        return;
      }
      case "request": {
        const envelope = {
          v: 1 as const,
          from: peer.name,
          sess: 1,
          id: ++this.messageId,
          clock: 0,
        };
        const request = { ...effect.body, ...envelope } as ManagerRequest;
        const result = handleRequest(
          this.manager,
          request,
          { ip: "127.0.0.1", port: peer.mport },
          this.random,
        );
        this.manager = result.state;
        const reply = { ...result.reply, ...envelope, from: "manager", re: envelope.id };
        deliver(peer.name, { kind: "reply", request: effect.body, reply });
        return;
      }
      case "send":
        this.sendMessage(peer, effect.to, effect.body);
        if (effect.notify)
          deliver(peer.name, { kind: "delivered", to: effect.to, body: effect.body });
        return;
      case "send-records":
        this.sendMessage(peer, effect.to, {
          type: "store",
          tableSize: effect.tableSize,
          records: effect.lines,
        });
        return;
      case "store-local":
        if (peer.table === null || peer.table.tableSize !== effect.tableSize)
          peer.table = new StormTable(effect.tableSize);
        peer.table.insertMany(effect.records);
        return;
      case "drop-table":
        peer.table = null;
        return;
      case "forward-count":
        this.sendMessage(peer, effect.to, {
          type: "count",
          tableSize: effect.tableSize,
          counts: [...effect.counts, peer.table?.size ?? 0],
        });
        return;
      case "answer-query": {
        const record = peer.table?.find(effect.eventId);
        const { queryId, eventId, idSeq } = effect;
        this.sendMessage(peer, effect.origin, {
          type: "find-result",
          queryId,
          eventId,
          idSeq,
          ...(record ? { record } : {}),
        });
        return;
      }
      case "exit":
        peer.exited = true;
        return;
      case "done":
        this.finished.push({ peer: peer.name, commandId: effect.commandId, ok: effect.ok });
        return;
    }
  }

  private sendMessage(from: SimulatedPeer, to: PeerTuple, body: PeerBody): void {
    const message = this.wrap(from, body);
    this.traffic.push(message);
    const source = { ip: "127.0.0.1", port: from.pport };
    this.queue.push({ peer: to.name, event: { kind: "message", message, source } });
  }

  private wrap(from: SimulatedPeer, body: PeerBody): PeerMessage {
    const id = ++this.messageId;
    return { ...body, v: 1, from: from.name, sess: 1, id, clock: 0, seq: id } as PeerMessage;
  }
}
