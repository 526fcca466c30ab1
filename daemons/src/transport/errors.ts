/** The ways a transport operation can fail, as classes callers can test with instanceof. */
import type { Address } from "./udp.ts";

/** A manager request got no reply after every retransmission. */
export class RequestTimeoutError extends Error {
  override readonly name = "RequestTimeoutError";

  constructor(
    readonly requestType: string,
    readonly to: Address,
    readonly tries: number,
    readonly elapsedMs: number,
  ) {
    super(
      `no answer from manager ${to.ip}:${to.port} to ${requestType} after ${tries} tries ` +
        `(${(elapsedMs / 1000).toFixed(1)} s)`,
    );
  }
}

/** A peer stopped acknowledging a link; every message still queued on it fails with this. */
export class LinkFailedError extends Error {
  override readonly name = "LinkFailedError";

  constructor(
    readonly peer: Address,
    readonly messageType: string,
    readonly seq: number,
    detail: string,
  ) {
    super(`link to peer ${peer.ip}:${peer.port} failed: ${messageType} (seq ${seq}) ${detail}`);
  }
}

/** The RPC client or link endpoint was closed while the operation was pending. */
export class TransportClosedError extends Error {
  override readonly name = "TransportClosedError";
}
