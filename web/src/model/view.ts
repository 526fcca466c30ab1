/**
 * What the dashboard shows at a cursor, derived from the log alone: each daemon with its
 * latest snapshot (from `state` events up to the cursor), the manager's registry and DHT,
 * the store progress and the records each member holds.
 */

import { standingIn } from "../../../daemons/src/manager/state.ts";
import type {
  DaemonSnapshot,
  DaemonState,
  Dht,
  ManagerSnapshot,
  PeerSnapshot,
  TimelineEntry,
} from "../api/types.ts";
import { type EventLog, entriesUpTo, markAt } from "./log.ts";

/**
 * A peer's state as the manager knows it (Dead: reported silent by its ring neighbour),
 * or what the dashboard knows instead: gone when its process exited cleanly (code 0: a
 * peer does after it deregisters), dead when it crashed or its channel closed.
 */
export type PeerStatus = "unregistered" | "Free" | "Leader" | "InDHT" | "Dead" | "dead" | "gone";

export interface DaemonAtCursor {
  id: string;
  kind: "manager" | "peer";
  alive: boolean;
  /** Stopped (SIGSTOP) through the API and not yet continued. */
  paused: boolean;
  /** The server is attached to its control channel, so it takes commands. */
  connected: boolean;
  remote: boolean;
  pid: number | null;
  /** How its process ended, once it has: "exited" (code 0) or "crashed" (a signal, a code). */
  ended: DaemonState["ended"];
  exitCode: number | null;
  /** The signal that ended it, e.g. "SIGKILL". */
  signal: string | null;
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
  const mark = markAt(log, cursor);
  const entries = entriesUpTo(log, cursor);
  // Before the first API state the page holds (it was opened after these events), that
  // state is the future: who existed, lived and registered then comes from the log alone.
  const beforeEveryState = mark !== null && mark.afterSeq > cursor;
  const apiDaemons = beforeEveryState
    ? daemonsBefore(mark.state.daemons, log, entries)
    : (mark?.state.daemons ?? []);
  const snapshots = new Map<string, DaemonSnapshot["state"] | null | undefined>();
  if (!beforeEveryState) {
    for (const daemon of apiDaemons) snapshots.set(daemon.id, daemon.snapshot);
  }
  // The API state already holds every snapshot sent before it was marked; only later
  // events are newer. A restarted daemon's first snapshot comes in the API state alone,
  // so its old process's last state event must not override it.
  const markedAfter = mark === null || beforeEveryState ? -1 : mark.afterSeq;
  let progress: StoreProgressAtCursor | null = null;
  for (const entry of entries) {
    const { event } = entry;
    if (event.kind === "state" && entry.seq > markedAfter) {
      snapshots.set(entry.daemonId, event.state);
    }
    if (event.kind === "store-progress") progress = progressOf(entry, event);
  }
  const managerDaemon = apiDaemons.find((daemon) => daemon.kind === "manager");
  const managerState = managerDaemon === undefined ? null : snapshots.get(managerDaemon.id);
  const manager = managerState !== undefined && isManager(managerState) ? managerState : null;
  const daemons = apiDaemons.map((daemon) =>
    daemonAt(daemon, snapshots.get(daemon.id) ?? null, manager),
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

/**
 * The daemons of the first API state as they were at a cursor before it: a peer with no
 * event yet had not started (the manager always had: the server starts it first), and one
 * with events still to come was running, whatever became of it by the time of that state.
 */
function daemonsBefore(
  first: readonly DaemonState[],
  log: EventLog,
  entries: readonly TimelineEntry[],
): DaemonState[] {
  const started = new Set(entries.map((entry) => entry.daemonId));
  const later = new Set(log.entries.slice(entries.length).map((entry) => entry.daemonId));
  return first
    .filter((daemon) => daemon.kind === "manager" || started.has(daemon.id))
    .map((daemon) =>
      later.has(daemon.id)
        ? {
            ...daemon,
            alive: true,
            paused: false,
            connected: true,
            ended: null,
            exitCode: null,
            signal: null,
          }
        : daemon,
    );
}

function progressOf(
  entry: TimelineEntry,
  event: { stored: number; total: number },
): StoreProgressAtCursor {
  return { daemonId: entry.daemonId, stored: event.stored, total: event.total };
}

const isManager = (snapshot: DaemonSnapshot["state"] | null): snapshot is ManagerSnapshot =>
  snapshot !== null && "peers" in snapshot;

function daemonAt(
  daemon: DaemonState,
  snapshot: DaemonSnapshot["state"] | null,
  manager: ManagerSnapshot | null,
): DaemonAtCursor {
  const peerSnapshot: PeerSnapshot | null =
    daemon.kind === "peer" && snapshot !== null && !isManager(snapshot) ? snapshot : null;
  const name = peerSnapshot?.name ?? null;
  const status: PeerStatus = daemon.alive
    ? standingIn(manager, name)
    : daemon.ended === "exited"
      ? "gone"
      : "dead";
  return {
    id: daemon.id,
    kind: daemon.kind,
    alive: daemon.alive,
    paused: daemon.paused,
    connected: daemon.connected,
    remote: daemon.remote,
    pid: daemon.pid,
    ended: daemon.ended,
    exitCode: daemon.exitCode,
    signal: daemon.signal,
    name,
    status,
    snapshot: peerSnapshot,
    lastOutput: daemon.lastOutput,
  };
}

/**
 * The ring's members in id order with the records each holds now, and how many of them
 * are copies of other nodes' primaries (a replicated ring; 0 otherwise).
 */
export function membersOf(
  view: View,
): { id: number; name: string; records: number; copies: number }[] {
  const members = view.dht?.members ?? [];
  const held = new Map(
    view.daemons.flatMap((daemon) =>
      daemon.name === null ? [] : [[daemon.name, daemon] as const],
    ),
  );
  return members.map((name, id) => {
    const snapshot = held.get(name)?.snapshot;
    return { id, name, records: snapshot?.recordsHeld ?? 0, copies: snapshot?.copiesHeld ?? 0 };
  });
}

/** The peer daemon registered under `name`, if any. */
export function daemonNamed(view: View, name: string): DaemonAtCursor | undefined {
  return view.daemons.find((daemon) => daemon.name === name);
}

/** Whether a peer has left: its process exited or crashed. */
export function departed(daemon: DaemonAtCursor): boolean {
  return daemon.kind === "peer" && !daemon.alive;
}

/**
 * The view without the departed peers `Clear departed` removed from the page; one that
 * runs again (restarted, same id) is shown again.
 */
export function withoutCleared(view: View, cleared: ReadonlySet<string>): View {
  if (cleared.size === 0) return view;
  const daemons = view.daemons.filter((daemon) => !(cleared.has(daemon.id) && departed(daemon)));
  return daemons.length === view.daemons.length ? view : { ...view, daemons };
}
