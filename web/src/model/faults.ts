/**
 * Faults a lecture makes by click, as the log tells them: when a peer was killed (until it
 * runs again), paused (until resumed), lost a share of what it sent (until set back to 0),
 * and when one message was dropped on a link. And which fault buttons a peer allows, and
 * why not the others, by the same rule as the command buttons: a reason, or null.
 */
import type { ApiState } from "../api/types.ts";
import type { EventLog } from "./log.ts";
import type { DaemonAtCursor } from "./view.ts";

export type FaultKind = "crash" | "pause" | "loss" | "drop";

export interface FaultInterval {
  kind: FaultKind;
  daemonId: string;
  /** "gamma killed", "gamma paused", "gamma loses 20%", "alpha dropped find-event to bravo". */
  label: string;
  fromSeq: number;
  /** Null while it lasts; a drop is one moment (toSeq = fromSeq). */
  toSeq: number | null;
}

/** The loss steps the Loss slider offers, in percent. */
export const LOSS_STEP_PERCENT = 5;
export const MAX_LOSS_PERCENT = 50;

/** Every fault of the log, ordered by where it began. */
export function faultIntervals(log: EventLog): FaultInterval[] {
  const intervals = [...processFaults(log), ...lossFaults(log), ...drops(log)];
  return intervals.sort((left, right) => left.fromSeq - right.fromSeq);
}

/** Kills (a crash, until the daemon runs again) and pauses, from the API states. */
function processFaults(log: EventLog): FaultInterval[] {
  const done: FaultInterval[] = [];
  const open = new Map<string, FaultInterval>();
  const close = (key: string, seq: number) => {
    const interval = open.get(key);
    if (interval === undefined) return;
    done.push({ ...interval, toSeq: seq });
    open.delete(key);
  };
  for (const { afterSeq, state } of log.states) {
    for (const daemon of state.daemons) {
      const who = nameOf(daemon);
      const crashKey = `crash:${daemon.id}`;
      if (!daemon.alive && daemon.ended === "crashed") {
        if (!open.has(crashKey)) {
          const how = daemon.signal === "SIGKILL" ? "killed" : "crashed";
          open.set(crashKey, interval("crash", daemon.id, `${who} ${how}`, afterSeq));
        }
      } else if (daemon.alive) {
        close(crashKey, afterSeq);
      }
      const pauseKey = `pause:${daemon.id}`;
      if (daemon.paused && !open.has(pauseKey)) {
        open.set(pauseKey, interval("pause", daemon.id, `${who} paused`, afterSeq));
      } else if (!daemon.paused) {
        close(pauseKey, afterSeq);
      }
    }
  }
  return [...done, ...open.values()];
}

/** A peer's run-time loss, from its snapshots: each value held is one interval. */
function lossFaults(log: EventLog): FaultInterval[] {
  const done: FaultInterval[] = [];
  const open = new Map<string, FaultInterval & { loss: number }>();
  for (const entry of log.entries) {
    const { event } = entry;
    if (event.kind !== "state" || event.daemon !== "peer") continue;
    const loss = event.state.loss ?? 0;
    const current = open.get(entry.daemonId);
    if ((current?.loss ?? 0) === loss) continue;
    if (current !== undefined) {
      const { loss: _loss, ...ended } = current;
      done.push({ ...ended, toSeq: entry.seq });
      open.delete(entry.daemonId);
    }
    if (loss > 0) {
      const who = event.state.name ?? entry.daemonId;
      const label = `${who} loses ${Math.round(loss * 100)}%`;
      open.set(entry.daemonId, { ...interval("loss", entry.daemonId, label, entry.seq), loss });
    }
  }
  return [...done, ...[...open.values()].map(({ loss: _loss, ...each }) => each)];
}

/** Messages a "drop next message" lost: one moment each. */
function drops(log: EventLog): FaultInterval[] {
  return log.entries.flatMap((entry) => {
    const { event } = entry;
    if (event.kind !== "message" || event.dropped !== true) return [];
    const label = `${event.from} dropped ${event.messageType} to ${event.to}`;
    return [{ ...interval("drop", entry.daemonId, label, entry.seq), toSeq: entry.seq }];
  });
}

function interval(kind: FaultKind, daemonId: string, label: string, fromSeq: number) {
  return { kind, daemonId, label, fromSeq, toSeq: null };
}

function nameOf(daemon: ApiState["daemons"][number]): string {
  return daemon.name === undefined ? daemon.id : daemon.name;
}

export type FaultControl = "Kill" | "Pause" | "Resume" | "Restart" | "Loss" | "Drop next message";

/** Why each fault control of `daemon` is disabled, or null where it may be used. */
export function faultAvailability(
  daemon: DaemonAtCursor,
  { notNow, hasRightNeighbour }: { notNow: string | null; hasRightNeighbour: boolean },
): Record<FaultControl, string | null> {
  const blocked =
    notNow ??
    (daemon.remote ? "a remote daemon: the server acts only on the daemons it started" : null);
  const notRunning = blocked ?? (daemon.alive ? null : "it is not running");
  const answering =
    notRunning ??
    (daemon.paused
      ? "it is paused: resume it first"
      : daemon.connected
        ? null
        : "its control channel is closed");
  return {
    Kill: notRunning,
    Pause: notRunning ?? (daemon.paused ? "it is paused already" : null),
    Resume: notRunning ?? (daemon.paused ? null : "it is not paused"),
    Restart: blocked,
    Loss: answering,
    "Drop next message":
      answering ?? (hasRightNeighbour ? null : "it has no right neighbour: not in a ring"),
  };
}
