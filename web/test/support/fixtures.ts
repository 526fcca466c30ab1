/** Peers as the dashboard's model sees them, for the web tests. */
import type { DaemonState, PeerSnapshot } from "../../src/api/types.ts";
import type { DaemonAtCursor, PeerStatus } from "../../src/model/view.ts";

/** A registered (or, without a name, unregistered) peer's snapshot outside any ring. */
export function peerSnapshot(
  name: string | null,
  fields: Partial<PeerSnapshot> = {},
): PeerSnapshot {
  return {
    name,
    addresses: name === null ? null : { ip: "127.0.0.1", mport: 50_001, pport: 50_002 },
    id: null,
    ringSize: null,
    year: null,
    rightNeighbour: null,
    tuples: [],
    recordsHeld: 0,
    copiesHeld: 0,
    replication: null,
    hostAddresses: ["127.0.0.1"],
    loss: 0,
    phase: name === null ? "unregistered" : "free",
    command: null,
    ...fields,
  };
}

/** A local peer daemon with that status; a dead one is neither alive nor connected. */
export function peerAt(
  id: string,
  name: string | null,
  status: PeerStatus,
  fields: Partial<PeerSnapshot> = {},
): DaemonAtCursor {
  return {
    id,
    kind: "peer",
    alive: status !== "dead",
    paused: false,
    connected: status !== "dead",
    remote: false,
    pid: 1,
    ended: null,
    exitCode: null,
    signal: null,
    name,
    status,
    snapshot: peerSnapshot(name, fields),
    lastOutput: [],
  };
}

/** A running, connected local peer as GET /api/state lists it. */
export function daemonState(id: string, fields: Partial<DaemonState> = {}): DaemonState {
  return {
    id,
    kind: "peer",
    pid: 1,
    alive: true,
    paused: false,
    connected: true,
    remote: false,
    exitCode: null,
    signal: null,
    ended: null,
    controlUrl: null,
    managerPort: null,
    lastOutput: [],
    ...fields,
  };
}
