/**
 * What the dashboard shows at a cursor, derived from the log alone: each daemon with its
 * latest snapshot (from `state` events up to the cursor), the manager's registry and DHT,
 * the store progress and the records each member holds.
 */
import type {
  DaemonState,
  Dht,
  ManagerSnapshot,
  PeerSnapshot,
  TimelineEntry,
} from "../api/types.ts";
import { type EventLog, entriesUpTo, stateAt } from "./log.ts";

/** A peer's state as the manager knows it, or what the dashboard knows instead. */
export type PeerStatus = "unregistered" | "Free" | "Leader" | "InDHT" | "dead";

export interface DaemonAtCursor {
  id: string;
  kind: "manager" | "peer";
  alive: boolean;
  /** The server is attached to its control channel, so it takes commands. */
  connected: boolean;
  remote: boolean;
  pid: number | null;
  name: string | null;
  status: PeerStatus;
  /** Null for the manager. */
  snapshot: PeerSnapshot | null;
  lastOutput: string[];
}

export interface StoreProgressAtCursor {
  daemonId: string;
  stored: number;
  total: number;
}

export interface View {
  cursor: number;
  daemons: DaemonAtCursor[];
  manager: ManagerSnapshot | null;
  dht: Dht | null;
  /** The last build's progress; `stored < total` while it runs. */
  progress: StoreProgressAtCursor | null;
  /** Records of the year the last build loaded (l of PROTOCOL section 3). */
  yearRecords: number | null;
}

export function viewAt(log: EventLog, cursor: number): View {
  const apiState = stateAt(log, cursor);
  const snapshots = new Map<string, unknown>();
  for (const daemon of apiState?.daemons ?? []) snapshots.set(daemon.id, daemon.snapshot);
  let progress: StoreProgressAtCursor | null = null;
  for (const entry of entriesUpTo(log, cursor)) {
    const { event } = entry;
    if (event.kind === "state") snapshots.set(entry.daemonId, event.state);
    if (event.kind === "store-progress") progress = progressOf(entry, event);
  }
  const managerDaemon = apiState?.daemons.find((daemon) => daemon.kind === "manager");
  const manager =
    managerDaemon === undefined
      ? null
      : ((snapshots.get(managerDaemon.id) as ManagerSnapshot | undefined) ?? null);
  const registered = new Map(manager?.peers.map((peer) => [peer.name, peer.state]) ?? []);
  const daemons = (apiState?.daemons ?? []).map((daemon) =>
    daemonAt(daemon, snapshots.get(daemon.id), registered),
  );
  return {
    cursor,
    daemons,
    manager,
    dht: manager?.dht ?? null,
    progress,
    yearRecords: progress?.total ?? null,
  };
}

function progressOf(
  entry: TimelineEntry,
  event: { stored: number; total: number },
): StoreProgressAtCursor {
  return { daemonId: entry.daemonId, stored: event.stored, total: event.total };
}

function daemonAt(
  daemon: DaemonState,
  snapshot: unknown,
  registered: ReadonlyMap<string, PeerStatus>,
): DaemonAtCursor {
  const peerSnapshot = daemon.kind === "peer" ? ((snapshot as PeerSnapshot | null) ?? null) : null;
  const name = peerSnapshot?.name ?? null;
  let status: PeerStatus = (name !== null && registered.get(name)) || "unregistered";
  if (!daemon.alive) status = "dead";
  return {
    id: daemon.id,
    kind: daemon.kind,
    alive: daemon.alive,
    connected: daemon.connected,
    remote: daemon.remote,
    pid: daemon.pid,
    name,
    status,
    snapshot: peerSnapshot,
    lastOutput: daemon.lastOutput,
  };
}

/** The ring's members in id order with the records each holds now. */
export function membersOf(view: View): { id: number; name: string; records: number }[] {
  const members = view.dht?.members ?? [];
  const held = new Map(
    view.daemons.flatMap((daemon) =>
      daemon.name === null ? [] : [[daemon.name, daemon.snapshot?.recordsHeld ?? 0] as const],
    ),
  );
  return members.map((name, id) => ({ id, name, records: held.get(name) ?? 0 }));
}

/** The peer daemon registered under `name`, if any. */
export function daemonNamed(view: View, name: string): DaemonAtCursor | undefined {
  return view.daemons.find((daemon) => daemon.name === name);
}
