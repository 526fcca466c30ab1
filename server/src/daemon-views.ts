/**
 * What the aggregator shows of each daemon, from the snapshots its channels sent: a peer's
 * name from its own snapshot merged with its state in the manager's registry, the DHT
 * and the registered ports from the manager's snapshot.
 */

export type DaemonKind = "manager" | "peer";

/** A daemon's channel as the aggregator keeps it: whether it is up, its last snapshot. */
export interface Channel {
  id: string;
  kind: DaemonKind;
  connected: boolean;
  snapshot: unknown;
}

export interface DaemonView {
  id: string;
  kind: DaemonKind;
  connected: boolean;
  /** A peer's registered name, from its own snapshot. */
  name?: string;
  /** A peer's Free | Leader | InDHT from the manager's snapshot, or "unregistered". */
  state?: string;
  snapshot: unknown;
}

/** Each channel's view, in the order given. */
export function daemonViews(channels: readonly Channel[]): DaemonView[] {
  const registered = registeredStates(managerSnapshot(channels));
  return channels.map((channel) => {
    const view: DaemonView = {
      id: channel.id,
      kind: channel.kind,
      connected: channel.connected,
      snapshot: channel.snapshot,
    };
    if (channel.kind === "peer") {
      const name = field(channel.snapshot, "name");
      if (typeof name === "string") view.name = name;
      view.state = (typeof name === "string" && registered.get(name)) || "unregistered";
    }
    return view;
  });
}

/** The connected manager's snapshot (else the first manager's last one), or null. */
export function managerSnapshot(channels: readonly Channel[]): unknown {
  const managers = channels.filter((each) => each.kind === "manager");
  return (managers.find((each) => each.connected) ?? managers[0])?.snapshot ?? null;
}

/** The manager snapshot's `dht`, or null. */
export function dhtOf(manager: unknown): unknown | null {
  return field(manager, "dht") ?? null;
}

/** Every m-port and p-port of a peer the manager has registered (any host), unsorted. */
export function registeredPortsOf(manager: unknown): number[] {
  const peers = field(manager, "peers");
  if (!Array.isArray(peers)) return [];
  return peers
    .flatMap((peer) => [field(peer, "mport"), field(peer, "pport")])
    .filter((port): port is number => typeof port === "number");
}

/** Registered peer name to its state, from the manager's snapshot. */
function registeredStates(manager: unknown): Map<string, string> {
  const states = new Map<string, string>();
  const peers = field(manager, "peers");
  if (!Array.isArray(peers)) return states;
  for (const peer of peers) {
    const name = field(peer, "name");
    const state = field(peer, "state");
    if (typeof name === "string" && typeof state === "string") states.set(name, state);
  }
  return states;
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
