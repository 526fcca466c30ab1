/** Small facts about this peer's place in the ring, shared by the machine's parts. */
import type { ManagerRequestBody, PeerTuple } from "../protocol/messages.ts";
import type { Membership, PeerEffect, PeerState } from "./state.ts";

export const print = (line: string): PeerEffect => ({ kind: "print", line });

/** A request to the manager under the next request id. */
export function requestOf(
  state: PeerState,
  body: ManagerRequestBody,
): { state: PeerState; requestId: number; effect: PeerEffect } {
  const requestId = state.nextRequestId;
  return {
    state: { ...state, nextRequestId: requestId + 1 },
    requestId,
    effect: { kind: "request", requestId, body },
  };
}

export function myTuple(state: PeerState): PeerTuple | null {
  const registration = state.registration;
  return registration && { name: registration.name, ip: registration.ip, port: registration.pport };
}

export function ringSizeOf(membership: Membership): number {
  return membership.tuples.length;
}

/** The next member; the admission checks keep nodeId below the ring size. */
export function rightNeighbourOf(membership: Membership): PeerTuple {
  return membership.tuples[(membership.nodeId + 1) % ringSizeOf(membership)] as PeerTuple;
}

/** The member whose right neighbour this node is: the only one that sends it ring traffic. */
export function leftNeighbourOf(membership: Membership): PeerTuple {
  const ringSize = ringSizeOf(membership);
  return membership.tuples[(membership.nodeId + ringSize - 1) % ringSize] as PeerTuple;
}
