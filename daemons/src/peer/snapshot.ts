/**
 * What a peer shows of itself at a moment: its snapshot, sent on every control-channel
 * connect and in state events, and read by the server and the dashboard.
 */
import type { Replication } from "../data/placement.ts";
import type { PeerTuple } from "../protocol/messages.ts";
import { rightNeighbourOf } from "./membership.ts";
import type { PeerState } from "./state.ts";

export type PeerPhase =
  | "unregistered"
  | "free"
  | "building"
  | "leaving"
  | "joining"
  | "tearing-down"
  | "rebuilding"
  | "in-dht";

export interface PeerSnapshot {
  name: string | null;
  addresses: { ip: string; mport: number; pport: number } | null;
  /** Node id in the ring, null outside one. */
  id: number | null;
  ringSize: number | null;
  year: string | null;
  rightNeighbour: PeerTuple | null;
  tuples: PeerTuple[];
  recordsHeld: number;
  /** Of `recordsHeld`, how many are copies of other nodes' primaries (a replicated ring). */
  copiesHeld: number;
  /** The ring's replicas= and consistency=; null outside one or on the assignment's. */
  replication: Replication | null;
  phase: PeerPhase;
  /** The console command running now, if any. */
  command: string | null;
  /** This host's IPv4 addresses, loopback last: what a `register` here may name. */
  hostAddresses: string[];
  /** The share of datagrams sent that a run-time fault drops (0 unless set). */
  loss: number;
}

export function describePeer(
  state: PeerState,
  held: { records: number; copies: number },
  hostAddresses: string[],
  loss = 0,
): PeerSnapshot {
  const { registration, membership } = state;
  const right = membership === null ? null : rightNeighbourOf(membership);
  return {
    name: registration?.name ?? null,
    addresses:
      registration === null
        ? null
        : { ip: registration.ip, mport: registration.mport, pport: registration.pport },
    id: membership?.nodeId ?? null,
    ringSize: membership?.tuples.length ?? null,
    year: membership?.year ?? null,
    rightNeighbour: right === null ? null : { ...right },
    tuples: membership?.tuples.map((tuple) => ({ ...tuple })) ?? [],
    recordsHeld: held.records,
    copiesHeld: held.copies,
    replication: membership?.replication ? { ...membership.replication } : null,
    phase: phaseOf(state),
    command: state.current?.kind ?? null,
    hostAddresses: [...hostAddresses],
    loss,
  };
}

function phaseOf(state: PeerState): PeerPhase {
  if (state.registration === null) return "unregistered";
  if (state.churn !== null) {
    if (state.churn.kind === "leave") return "leaving";
    if (state.churn.kind === "join") return "joining";
    if (state.churn.kind === "teardown-dht") return "tearing-down";
    return "rebuilding";
  }
  if (state.build !== null) return state.build.purpose === "setup" ? "building" : "rebuilding";
  if (state.membership === null) return "free";
  return state.membership.usable ? "in-dht" : "rebuilding";
}
