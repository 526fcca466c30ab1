/**
 * The demo a lecture starts with, as plans the page carries out through the API: a ring
 * of five built on the acceptance demo's year with one peer left free to query it
 * (starting and registering peers as needed), a random query of that year, and the
 * acceptance demo's four queries (daemons/demo/acceptance.ts, PROTOCOL.md section 9).
 */
import type { ApiState, DaemonState, ManagerSnapshot, PeerSnapshot } from "../api/types.ts";
import { namesNotTaken, registerDefaults } from "./commands.ts";
import { hopStepMs } from "./ring-replay.ts";
import type { DaemonAtCursor, View } from "./view.ts";

/** The acceptance demo's year, ring size, and queries: two found, two missing. */
export const DEMO_YEAR = "1996";
export const DEMO_RING_SIZE = 5;
export const DEMO_QUERIES: readonly number[] = [5536849, 2402920, 5539287, 55770111];
/** The ring's members and the one left free to query it. */
const DEMO_PEERS = DEMO_RING_SIZE + 1;
/** How often a random query asks for an id the year does not have. */
export const MISSING_SHARE = 1 / 4;

/** The demo's year if the data folder has it, else the first year present. */
export function demoYear(years: readonly string[]): string | null {
  return years.includes(DEMO_YEAR) ? DEMO_YEAR : (years[0] ?? null);
}

export interface DemoRegistration {
  /** A running unregistered peer, or null: the next one the plan starts. */
  daemonId: string | null;
  name: string;
  /** Its address; ports are found free on it, or 5001 and 5002 on a remote host. */
  ip: string;
  remote: boolean;
}

export interface DemoRingPlan {
  year: string;
  /** Peers to start before registering. */
  start: number;
  registrations: DemoRegistration[];
  /** A Free peer to lead the ring, or null: the first one registered. */
  leader: { daemonId: string; name: string } | null;
}

/** What to do to build the demo ring from `state`, or why it cannot be built. */
export function planDemoRing(
  state: ApiState,
  years: readonly string[],
): DemoRingPlan | { blocked: string } {
  const year = demoYear(years);
  if (year === null) return { blocked: "the data folder holds no year: fetch one first" };
  if (state.dht !== null) return { blocked: "a DHT already exists" };
  const manager = state.daemons.find((daemon) => daemon.kind === "manager");
  if (manager === undefined || !manager.connected) return { blocked: "the manager is not up" };
  const peers = state.daemons.filter(
    (daemon) => daemon.kind === "peer" && daemon.alive && daemon.connected,
  );
  const free = peers.filter((daemon) => daemon.state === "Free");
  const unregistered = peers.filter((daemon) => daemon.state === "unregistered");
  const needed = Math.max(0, DEMO_PEERS - free.length);
  const existing = unregistered.slice(0, needed);
  const start = needed - existing.length;
  const names = namesNotTaken(takenNames(state, manager), existing.length + start);
  const registrations = [
    ...existing.map((daemon, index): DemoRegistration => {
      const { ip } = registerDefaults(peerSnapshotOf(daemon)?.hostAddresses ?? [], daemon.remote);
      return { daemonId: daemon.id, name: names[index] ?? "", ip, remote: daemon.remote };
    }),
    ...Array.from({ length: start }, (_, index): DemoRegistration => {
      const name = names[existing.length + index] ?? "";
      return { daemonId: null, name, ip: registerDefaults([], false).ip, remote: false };
    }),
  ];
  const leader = free[0];
  return {
    year,
    start,
    registrations,
    leader: leader?.name === undefined ? null : { daemonId: leader.id, name: leader.name },
  };
}

function takenNames(state: ApiState, manager: DaemonState): string[] {
  const registry = (manager.snapshot as ManagerSnapshot | null | undefined)?.peers ?? [];
  return [
    ...registry.map((peer) => peer.name),
    ...state.daemons.flatMap((daemon) => (daemon.name === undefined ? [] : [daemon.name])),
  ];
}

function peerSnapshotOf(daemon: DaemonState): PeerSnapshot | null {
  const snapshot = daemon.snapshot;
  return snapshot !== null && snapshot !== undefined && !("peers" in snapshot) ? snapshot : null;
}

/** Ids to query a year with (GET /api/years/:year/sample-ids). */
export interface SampleIds {
  found: readonly number[];
  missing: readonly number[];
}

/** A found id, or one time in four (MISSING_SHARE) a missing one. */
export function drawEventId(sample: SampleIds, random: () => number): number | null {
  const wantMissing = random() < MISSING_SHARE && sample.missing.length > 0;
  const pool = wantMissing || sample.found.length === 0 ? sample.missing : sample.found;
  return pool[Math.floor(random() * pool.length)] ?? null;
}

/** The querying peer: the one picked if it is Free, else the only Free peer, else the pick. */
export function queryingPeerOf(view: View, pickedId: string | null): DaemonAtCursor | null {
  const picked = view.daemons.find((daemon) => daemon.id === pickedId) ?? null;
  if (picked?.status === "Free") return picked;
  const free = view.daemons.filter((daemon) => daemon.status === "Free");
  return free.length === 1 ? (free[0] ?? null) : picked;
}

/** The peer a random query runs from: the querying peer if Free, else the first Free one. */
export function freeQueryingPeer(view: View, pickedId: string | null): DaemonAtCursor | null {
  const peer = queryingPeerOf(view, pickedId);
  if (peer?.status === "Free") return peer;
  return view.daemons.find((daemon) => daemon.status === "Free") ?? null;
}

/** How long the demo waits after a query before the next: its walk's replay, and a breath. */
export function pauseAfterQuery(lines: readonly string[], speed: number): number {
  const idSeq = lines.findLast((line) => line.startsWith("id-seq:")) ?? "";
  const hops = idSeq.replace("id-seq:", "").trim().split(/\s+/).filter(Boolean).length;
  return (Math.max(1, hops) + 1) * hopStepMs(speed) + 1_500;
}
