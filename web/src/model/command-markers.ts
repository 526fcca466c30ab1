/**
 * The time line's markers: one per command a peer sent the manager (setup, query, leave,
 * join, teardown) and per fault (a member reported dead, a daemon that crashed), at the
 * log entry where it began, so `Next command` and `Previous command` can jump to them.
 */
import type { EventLog } from "./log.ts";
import type { QueryRun } from "./queries.ts";

export type CommandKind = "setup" | "query" | "leave" | "join" | "teardown" | "fault";

export interface CommandMarker {
  seq: number;
  kind: CommandKind;
  /** What happened, e.g. "setup-dht alpha 5 1996" or "peer-3 (gamma) crashed (SIGKILL)". */
  label: string;
  /** A query's walk (QueryRun.key), once it shows up in the log. */
  queryKey: string | null;
}

const KIND_OF: Record<string, CommandKind> = {
  "setup-dht": "setup",
  "query-dht": "query",
  "leave-dht": "leave",
  "join-dht": "join",
  "teardown-dht": "teardown",
  "report-dead": "fault",
};

/** Every marker of the log, in seq order; `queries` (of the whole log) name each query. */
export function commandMarkers(log: EventLog, queries: readonly QueryRun[]): CommandMarker[] {
  const markers: CommandMarker[] = [];
  const claimed = new Set<string>();
  for (const entry of log.entries) {
    const { event } = entry;
    if (event.kind !== "message" || event.direction !== "sent" || event.retransmission) continue;
    const kind = KIND_OF[event.messageType];
    if (kind === undefined) continue;
    const run =
      kind === "query"
        ? queries.find(
            (each) =>
              each.origin === event.from && each.startSeq > entry.seq && !claimed.has(each.key),
          )
        : undefined;
    if (run !== undefined) claimed.add(run.key);
    markers.push({
      seq: entry.seq,
      kind,
      label: run === undefined ? event.summary : `${event.summary} ${run.eventId}`,
      queryKey: run?.key ?? null,
    });
  }
  return [...markers, ...crashMarkers(log)].sort((left, right) => left.seq - right.seq);
}

/** A marker where a daemon's process is first seen crashed (a signal, an error code). */
function crashMarkers(log: EventLog): CommandMarker[] {
  const crashed = new Set<string>();
  const markers: CommandMarker[] = [];
  for (const { afterSeq, state } of log.states) {
    for (const daemon of state.daemons) {
      if (daemon.ended !== "crashed" || crashed.has(daemon.id)) continue;
      crashed.add(daemon.id);
      const how = daemon.signal ?? `exit code ${daemon.exitCode ?? "unknown"}`;
      const name = daemon.name === undefined ? "" : ` (${daemon.name})`;
      markers.push({
        seq: afterSeq,
        kind: "fault",
        label: `${daemon.id}${name} crashed (${how})`,
        queryKey: null,
      });
    }
  }
  return markers;
}

/** The first marker after `cursor` (direction 1) or the last before it (-1), if any. */
export function adjacentMarker(
  markers: readonly CommandMarker[],
  cursor: number,
  direction: 1 | -1,
): CommandMarker | null {
  const found =
    direction > 0
      ? markers.find((marker) => marker.seq > cursor)
      : markers.findLast((marker) => marker.seq < cursor);
  return found ?? null;
}

/** Where a marker sits along the time line, 0 at its start and 1 at its end. */
export function markerOffset(seq: number, first: number, last: number): number {
  if (last <= first) return 1;
  return Math.min(1, Math.max(0, (seq - first) / (last - first)));
}
