/**
 * Which console commands a peer may run at the cursor, and why the others are disabled:
 * the same rules the manager enforces (PROTOCOL.md section 2), checked before the click
 * so a button can say why it is off. The manager still has the last word.
 */

import { MIN_RING_SIZE } from "../../../daemons/src/protocol/ring-limits.ts";
import { formatProgress } from "../../../data/src/progress.ts";
import type { FetchJob } from "../api/types.ts";
import { formatCount } from "./format.ts";
import type { DaemonAtCursor, View } from "./view.ts";

export type PeerCommand =
  | "register"
  | "setup-dht"
  | "query-dht"
  | "leave-dht"
  | "join-dht"
  | "teardown-dht"
  | "deregister";

export const PEER_COMMANDS: readonly PeerCommand[] = [
  "register",
  "setup-dht",
  "query-dht",
  "leave-dht",
  "join-dht",
  "teardown-dht",
  "deregister",
];

export { MIN_RING_SIZE };

/** null when allowed, else the reason it is not. */
export type Availability = Record<PeerCommand, string | null>;

export interface AvailabilityOptions {
  /** Why nothing may run now (the past, a recorded session: `acting.ts`), or null. */
  notNow?: string | null;
  /** A command line sent to the peer whose answer has not come back yet. */
  sending?: string | null;
}

const everyCommand = (reason: string | null) =>
  Object.fromEntries(PEER_COMMANDS.map((command) => [command, reason])) as Availability;

export function availableCommands(
  peer: DaemonAtCursor,
  view: View,
  options: AvailabilityOptions = {},
): Availability {
  if (options.notNow != null) return everyCommand(options.notNow);
  if (peer.status === "dead" || peer.status === "gone") {
    return everyCommand("the peer's process is not running");
  }
  // A peer just started is listed before the server has attached to its channel.
  if (!peer.connected) return everyCommand("not connected to the peer's control channel yet");
  const running = options.sending ?? peer.snapshot?.command ?? null;
  if (running !== null) return everyCommand(`busy: running ${running}`);
  const pending = view.manager?.pending ?? null;
  const busy =
    pending === null
      ? null
      : `the manager is waiting for ${pending.peer} to finish a ${pending.kind}`;
  const { dht } = view;
  const ready = dht !== null && dht.phase === "ready";
  const notRegistered = "register first";
  if (peer.status === "unregistered") {
    return { ...everyCommand(notRegistered), register: null };
  }
  if (peer.status === "Dead") {
    return { ...everyCommand("reported dead: register again"), register: null };
  }
  const isMember = peer.status === "Leader" || peer.status === "InDHT";
  const freePeers = freePeerCount(view);
  return {
    register: "already registered",
    "setup-dht": isMember
      ? "already in the DHT"
      : dht !== null
        ? `a DHT led by ${dht.leader} already exists`
        : freePeers < MIN_RING_SIZE
          ? `needs at least ${MIN_RING_SIZE} Free peers (${freePeers} now)`
          : busy,
    "query-dht": isMember
      ? "only peers outside the DHT may query it"
      : !ready
        ? "no completed DHT to query"
        : busy,
    "leave-dht": !isMember
      ? "not in the DHT"
      : !ready
        ? "the DHT is not ready"
        : dht.ringSize === 1
          ? "the last member must use teardown-dht"
          : busy,
    "join-dht": isMember ? "already in the DHT" : !ready ? "no completed DHT to join" : busy,
    "teardown-dht":
      peer.status !== "Leader"
        ? "only the leader may tear the DHT down"
        : !ready
          ? "the DHT is not ready"
          : busy,
    deregister: isMember ? "in the DHT: leave it or tear it down first" : busy,
  };
}

/** Names offered for a new registration, in order; letters only, as the manager requires. */
export const SUGGESTED_NAMES: readonly string[] = (
  "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu " +
  "nu xi omicron pi rho sigma tau upsilon phi chi psi omega"
).split(" ");

/** The first suggested name neither registered with the manager nor held by a peer. */
export function suggestName(view: View): string {
  const taken = [
    ...(view.manager?.peers.map((peer) => peer.name) ?? []),
    ...view.daemons.flatMap((daemon) => (daemon.name === null ? [] : [daemon.name])),
  ];
  return namesNotTaken(taken, 1)[0] ?? "peer";
}

/** The first `count` suggested names not in `taken`, in order. */
export function namesNotTaken(taken: Iterable<string>, count: number): string[] {
  const used = new Set(taken);
  // Past omega: repeat the letters (alphaa, alphab, ...), still letters only.
  const candidates = [
    ...SUGGESTED_NAMES,
    ..."abcdefghijklmnopqrstuvwxyz"
      .split("")
      .flatMap((letter) => SUGGESTED_NAMES.map((base) => `${base}${letter}`)),
  ];
  return candidates.filter((name) => !used.has(name)).slice(0, count);
}

export function freePeerCount(view: View): number {
  return view.daemons.filter((daemon) => daemon.status === "Free").length;
}

/** The ring size a setup-dht form starts with: 5, or all the Free peers if fewer. */
export function defaultRingSize(freePeers: number): number {
  return Math.max(MIN_RING_SIZE, Math.min(5, freePeers));
}

/** A fetch job's line, as `npm run data -- fetch` shows its progress, or how it ended. */
export function describeJob(job: FetchJob): string {
  if (job.state === "failed") return `${job.year}: failed: ${job.error ?? "no reason given"}`;
  if (job.state === "done") return `${job.year}: done: ${formatCount(job.records)} records`;
  const { records, bytesRead, totalBytes } = job;
  return formatProgress(
    job.year,
    { records, bytesRead, totalBytes: totalBytes ?? undefined },
    false,
  );
}

const LOOPBACK = "127.0.0.1";

/**
 * Where a `register` form starts: loopback for a peer beside the server (which then asks
 * for free ports there); for a remote peer, its host's own first address and the ports
 * 5001 and 5002, since the server cannot probe another host's ports.
 */
export function registerDefaults(
  hostAddresses: readonly string[],
  remote: boolean,
): { ip: string; ports: [string, string] | null } {
  if (!remote) return { ip: LOOPBACK, ports: null };
  return { ip: hostAddresses[0] ?? LOOPBACK, ports: ["5001", "5002"] };
}
