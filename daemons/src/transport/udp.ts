/**
 * One IPv4 UDP socket that speaks the protocol's datagrams: it encodes what it sends,
 * decodes and validates what it receives, and hands invalid datagrams to a separate
 * callback so they never reach the state machines (PROTOCOL.md section 7).
 */

import { createSocket, type Socket } from "node:dgram";
import { decode, encode } from "../protocol/codec.ts";
import type { Datagram } from "../protocol/messages.ts";
import { messageOf } from "../support/errors.ts";
import type { Address } from "./address.ts";
import {
  type FaultSettings,
  faultsFromEnvironment,
  type RawSend,
  type RunTimeFaults,
  withFaults,
} from "./faults.ts";
import { type Signer, signerFor } from "./signing.ts";

export { type Address, addressKey } from "./address.ts";

/** Tracing hooks shared by the RPC client, RPC server and links. */
export type TransportObserver = {
  /** `dropped`: lost on purpose by a run-time fault (faults.ts), so it never left. */
  sent?: (
    datagram: Datagram,
    to: Address,
    info: { retransmission: boolean; dropped?: boolean },
  ) => void;
  received?: (datagram: Datagram, from: Address) => void;
  /** A peer message arrived again after it was delivered, and was dropped. */
  duplicate?: (datagram: Datagram, from: Address) => void;
};

/** `bytes`: the datagram's size, for receivers that bound what they hold. */
export type DatagramHandler = (message: Datagram, from: Address, bytes: number) => void;
export type InvalidDatagramHandler = (error: string, from: Address, bytes: number) => void;
/** `to` is the destination of a failed send, or undefined for a socket-level error. */
export type SocketErrorHandler = (error: Error, to: Address | undefined) => void;

/** Bursts of a few thousand stores must not overflow the kernel's default buffer. */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

const ignoreDatagram: DatagramHandler = () => {};
const ignoreInvalid: InvalidDatagramHandler = () => {};
const ignoreError: SocketErrorHandler = () => {};

export class UdpEndpoint {
  private datagramHandler = ignoreDatagram;
  private invalidHandler = ignoreInvalid;
  private errorHandler = ignoreError;
  private closing: Promise<void> | undefined;
  private readonly sendRaw: RawSend;

  private constructor(
    private readonly socket: Socket,
    private readonly boundAddress: Address,
    faults: FaultSettings | undefined,
    private readonly signer: Signer | undefined,
    runTimeFaults: RunTimeFaults | undefined,
  ) {
    const directSend: RawSend = (bytes, to) => {
      if (this.closing !== undefined) return;
      try {
        socket.send(signer === undefined ? bytes : signer.sign(bytes), to.port, to.ip, (error) => {
          if (error) this.errorHandler(error, to);
        });
      } catch (error) {
        // dgram throws synchronously on a bad port or address; that is a failed send too.
        this.errorHandler(error as Error, to);
      }
    };
    const faultySend = faults === undefined ? directSend : withFaults(directSend, faults);
    this.sendRaw =
      runTimeFaults === undefined
        ? faultySend
        : (bytes, to) => {
            if (!runTimeFaults.losesDatagram()) faultySend(bytes, to);
          };
    socket.on("message", (bytes, remote) => this.receive(bytes, remote));
    socket.on("error", (error) => this.errorHandler(error, undefined));
  }

  /**
   * Binds a socket; rejects with an Error naming host:port if it cannot be had. With a
   * `secret`, every datagram sent is signed and every one received must be (signing.ts);
   * with `runTimeFaults`, the loss set on it at run time applies to every datagram sent.
   */
  static async bind(
    host: string,
    port: number,
    secret: string | null = null,
    runTimeFaults?: RunTimeFaults,
  ): Promise<UdpEndpoint> {
    // dgram would silently bind port 70000 as 4464.
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new Error(`cannot bind UDP ${host}:${port}: a port is an integer in 0..65535`);
    }
    // Parsed before binding, so a bad STORMRING_FAULTS fails here and holds no socket.
    const faults = faultsFromEnvironment();
    const socket = createSocket({ type: "udp4" });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        socket.close();
        reject(
          new Error(`cannot bind UDP ${host}:${port}: ${describeBindError(error)}`, {
            cause: error,
          }),
        );
      };
      socket.once("error", onError);
      socket.bind(port, host, () => {
        socket.off("error", onError);
        resolve();
      });
    });
    try {
      socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
    } catch {
      // The kernel may refuse or cap it; the default buffer still works, only less well.
    }
    const local = socket.address();
    const signer = secret === null ? undefined : signerFor(secret);
    const bound = { ip: local.address, port: local.port };
    return new UdpEndpoint(socket, bound, faults, signer, runTimeFaults);
  }

  address(): Address {
    return { ...this.boundAddress };
  }

  /** Encodes and sends, fire-and-forget; failures go to the onError handler. */
  send(datagram: Datagram, to: Address): void {
    if (this.closing !== undefined) return;
    this.sendRaw(encode(datagram), to);
  }

  /** Sends an already-encoded datagram (retransmissions reuse the bytes of the first send). */
  sendBytes(bytes: Buffer, to: Address): void {
    if (this.closing !== undefined) return;
    this.sendRaw(bytes, to);
  }

  /** Sets the one handler for valid datagrams; the caller routes them to RPC and links. */
  onDatagram(handler: DatagramHandler): void {
    this.datagramHandler = handler;
  }

  /** Sets the handler for datagrams the codec rejected (the caller logs, rate-limited). */
  onInvalid(handler: InvalidDatagramHandler): void {
    this.invalidHandler = handler;
  }

  /** Sets the handler for failed sends and socket errors. */
  onError(handler: SocketErrorHandler): void {
    this.errorHandler = handler;
  }

  /** Closes the socket; calling it again returns the same promise. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => this.socket.close(() => resolve()));
    return this.closing;
  }

  private receive(datagram: Buffer, remote: { address: string; port: number }): void {
    const from = { ip: remote.address, port: remote.port };
    const signed = this.signer?.verify(datagram) ?? { ok: true as const, json: datagram };
    if (!signed.ok) {
      this.invalidHandler(signed.error, from, datagram.length);
      return;
    }
    const bytes = signed.json;
    const result = decode(bytes);
    if (!result.ok) {
      this.invalidHandler(result.error, from, bytes.length);
      return;
    }
    try {
      this.datagramHandler(result.message, from, bytes.length);
    } catch (error) {
      // A second line of defence: bad input is refused by the checks before this, but a
      // bug met while handling one datagram must not end the daemon.
      const why = messageOf(error);
      this.invalidHandler(
        `failed while handling ${result.message.type}: ${why}`,
        from,
        bytes.length,
      );
    }
  }
}

function describeBindError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "EADDRINUSE":
      return "address already in use (is another daemon running on that port?)";
    case "EADDRNOTAVAIL":
      return "address not available (that IP is not one of this host's interfaces)";
    case "EACCES":
      return "permission denied (ports below 1024 need privileges)";
    default:
      return error.message;
  }
}
