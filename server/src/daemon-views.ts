/**
 * What the aggregator shows of each daemon, from the snapshots its channels sent: a peer's
 * name from its own snapshot merged with its standing in the manager's registry, the DHT
 * and the registered ports from the manager's snapshot.
 */
import {
  type DhtSnapshot,
  type ManagerSnapshot,
  standingIn,
} from "../../daemons/src/manager/state.ts";
import type { DaemonSnapshot } from "../../daemons/src/observe/events.ts";

export type DaemonKind = "manager" | "peer";

/** A daemon's channel as the aggregator keeps it: whether it is up, its last snapshot. */
export interface Channel {
  id: string;
  kind: DaemonKind;
  connected: boolean;
  snapshot: DaemonSnapshot["state"] | null;
}

export interface DaemonView {
  id: string;
  kind: DaemonKind;
  connected: boolean;
  /** A peer's registered name, from its own snapshot. */
  name?: string;
  /** A peer's Free | Leader | InDHT from the manager's snapshot, or "unregistered". */
  state?: string;
  snapshot: DaemonSnapshot["state"] | null;
}

const isManager = (snapshot: Channel["snapshot"]): snapshot is ManagerSnapshot =>
  snapshot !== null && "peers" in snapshot;

/** Each channel's view, in the order given. */
export function daemonViews(channels: readonly Channel[]): DaemonView[] {
  const manager = managerSnapshot(channels);
  return channels.map((channel) => {
    const view: DaemonView = {
      id: channel.id,
      kind: channel.kind,
      connected: channel.connected,
      snapshot: channel.snapshot,
    };
    const { snapshot } = channel;
    if (channel.kind === "peer") {
      const name = snapshot !== null && !isManager(snapshot) ? snapshot.name : null;
      if (name !== null) view.name = name;
      view.state = standingIn(manager, name);
    }
    return view;
  });
}

/** The connected manager's snapshot (else the first manager's last one), or null. */
export function managerSnapshot(channels: readonly Channel[]): ManagerSnapshot | null {
  const managers = channels.filter((each) => each.kind === "manager");
  const snapshot = (managers.find((each) => each.connected) ?? managers[0])?.snapshot ?? null;
  return isManager(snapshot) ? snapshot : null;
}

/** The manager snapshot's `dht`, or null. */
export function dhtOf(manager: ManagerSnapshot | null): DhtSnapshot | null {
  return manager?.dht ?? null;
}

/** Every m-port and p-port of a peer the manager has registered (any host), unsorted. */
export function registeredPortsOf(manager: ManagerSnapshot | null): number[] {
  return (manager?.peers ?? []).flatMap((peer) => [peer.mport, peer.pport]);
}
