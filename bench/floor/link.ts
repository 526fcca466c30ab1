/**
 * The floor's reliable links: the least a plain node:dgram program needs to move messages
 * between processes in order and without loss, so the floor pays for acknowledgements and
 * retransmission as stormring does, and for nothing else (no JSON envelope, no schema, no
 * trace, no observation).
 *
 * The rules are stormring's own (daemons/src/transport/link.ts), so a ratio to the floor
 * measures everything but them: the sender's window and timers (outgoing.ts); one
 * cumulative ack per link per event-loop turn, listing what is held beyond a gap; at most
 * four windows held ahead. STORMRING_FAULTS applies to every datagram sent, through the
 * daemons' own fault injection, so a lossy floor run loses what a lossy stormring run does.
 *
 * Wire: a message is [1][seq u32][payload], an ack [2][next expected seq u32][held seq u32]*.
 * Every address is a loopback port: the floor runs on one machine.
 */
import { createSocket, type Socket } from "node:dgram";
import {
  faultsFromEnvironment,
  type RawSend,
  withFaults,
} from "../../daemons/src/transport/faults.ts";
import { FloorOutgoing, WINDOW } from "./outgoing.ts";

/** Acks list at most this many held seqs, like stormring's SACK_LIMIT. */
const SACK_LIMIT = 64;
/** A receiver holds this far ahead of a gap, like stormring's 4 windows. */
const HOLD_AHEAD = 4 * WINDOW;
const MESSAGE = 1;
const ACK = 2;
/** Bytes a link adds to a payload: what a sender subtracts from its datagram size. */
export const LINK_HEADER_BYTES = 5;
/** Bursts of a few thousand datagrams must not overflow the kernel's default buffer (as udp.ts). */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

export type MessageHandler = (payload: Buffer, fromPort: number) => void;

/** The receiving half from one port. */
class Incoming {
  next = 0;
  readonly held = new Map<number, Buffer>();
}

function frame(kind: number, seq: number, payload: Buffer): Buffer {
  const bytes = Buffer.allocUnsafe(LINK_HEADER_BYTES + payload.length);
  bytes[0] = kind;
  bytes.writeUInt32BE(seq, 1);
  payload.copy(bytes, LINK_HEADER_BYTES);
  return bytes;
}

export class FloorLinks {
  private handler: MessageHandler = () => {};
  private readonly outgoing = new Map<number, FloorOutgoing>();
  private readonly incoming = new Map<number, Incoming>();
  private readonly acksDue = new Set<number>();
  private ackFlush: NodeJS.Immediate | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly transmit: RawSend,
    readonly port: number,
  ) {
    socket.on("message", (datagram, remote) => this.receive(datagram, remote.port));
  }

  static async bind(): Promise<FloorLinks> {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
    const direct: RawSend = (bytes, to) => socket.send(bytes, to.port, to.ip);
    const faults = faultsFromEnvironment();
    const transmit = faults === undefined ? direct : withFaults(direct, faults);
    return new FloorLinks(socket, transmit, socket.address().port);
  }

  onMessage(handler: MessageHandler): void {
    this.handler = handler;
  }

  /** Queues `payload` for `port`; it is delivered once, in order, however many sends it takes. */
  send(port: number, payload: Buffer): void {
    let link = this.outgoing.get(port);
    if (link === undefined) {
      const to = { ip: "127.0.0.1", port };
      link = new FloorOutgoing(
        (bytes) => this.transmit(bytes, to),
        (seq, body) => frame(MESSAGE, seq, body),
      );
      this.outgoing.set(port, link);
    }
    link.send(payload);
  }

  close(): void {
    for (const link of this.outgoing.values()) link.close();
    if (this.ackFlush !== undefined) clearImmediate(this.ackFlush);
    this.socket.close();
  }

  private receive(datagram: Buffer, fromPort: number): void {
    if (datagram.length < LINK_HEADER_BYTES) return;
    const seq = datagram.readUInt32BE(1);
    if (datagram[0] === ACK) {
      const held: number[] = [];
      for (let at = LINK_HEADER_BYTES; at + 4 <= datagram.length; at += 4) {
        held.push(datagram.readUInt32BE(at));
      }
      this.outgoing.get(fromPort)?.acknowledge(seq, held);
      return;
    }
    let link = this.incoming.get(fromPort);
    if (link === undefined) {
      link = new Incoming();
      this.incoming.set(fromPort, link);
    }
    const payload = datagram.subarray(LINK_HEADER_BYTES);
    if (seq === link.next) {
      this.handler(payload, fromPort);
      link.next += 1;
      for (let held = link.held.get(link.next); held !== undefined; ) {
        link.held.delete(link.next);
        this.handler(held, fromPort);
        link.next += 1;
        held = link.held.get(link.next);
      }
    } else if (seq > link.next && seq < link.next + HOLD_AHEAD) {
      link.held.set(seq, payload);
    }
    // Duplicates are acknowledged again: their first ack may be what was lost.
    this.acksDue.add(fromPort);
    this.ackFlush ??= setImmediate(() => this.flushAcks());
  }

  private flushAcks(): void {
    this.ackFlush = undefined;
    for (const port of this.acksDue) {
      const link = this.incoming.get(port) as Incoming;
      const held = [...link.held.keys()].slice(0, SACK_LIMIT);
      const ack = Buffer.allocUnsafe(LINK_HEADER_BYTES + 4 * held.length);
      ack[0] = ACK;
      ack.writeUInt32BE(link.next, 1);
      for (const [index, seq] of held.entries()) {
        ack.writeUInt32BE(seq, LINK_HEADER_BYTES + 4 * index);
      }
      this.transmit(ack, { ip: "127.0.0.1", port });
    }
    this.acksDue.clear();
  }
}
