/** Small facts about this peer's place in the ring, shared by the machine's parts. */
import type { PeerTuple } from "../protocol/messages.ts";
import type { Membership, PeerEffect, PeerState } from "./state.ts";

export const print = (line: string): PeerEffect => ({ kind: "print", line });

export function myTuple(state: PeerState): PeerTuple | null {
  const registration = state.registration;
  return registration && { name: registration.name, ip: registration.ip, port: registration.pport };
}

export function rightNeighbourOf(membership: Membership): PeerTuple {
  const tuple = membership.tuples[(membership.nodeId + 1) % membership.ringSize];
  if (tuple === undefined)
    throw new Error(`ring of ${membership.ringSize} has no node ${membership.nodeId + 1}`);
  return tuple;
}
