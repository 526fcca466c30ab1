/**
 * `GET /api/state`: the supervisor's processes and the aggregator's views merged by id.
 * A daemon the supervisor did not start (a remote one) has pid null and is alive while
 * its control channel is connected; how it ended (`ended`) is known only for local ones.
 */
import type { DhtSnapshot } from "../../daemons/src/manager/state.ts";
import type { DaemonSnapshot } from "../../daemons/src/observe/events.ts";
import type { Aggregator, DaemonView } from "./aggregator.ts";
import type { Ending, SupervisedDaemon, Supervisor } from "./supervisor.ts";

export type StateSupervisor = Pick<Supervisor, "list" | "get">;
export type StateAggregator = Pick<Aggregator, "views" | "dht">;

export interface DaemonState {
  id: string;
  kind: "manager" | "peer";
  pid: number | null;
  alive: boolean;
  /** A local daemon stopped (SIGSTOP) through the API and not yet continued. */
  paused: boolean;
  connected: boolean;
  remote: boolean;
  exitCode: number | null;
  /** The signal that ended a local daemon's process, e.g. "SIGKILL". */
  signal: string | null;
  /** Null while running (and for a remote daemon); "exited" (code 0) or "crashed". */
  ended: Ending | null;
  controlUrl: string | null;
  managerPort: number | null;
  name?: string;
  state?: string;
  snapshot?: DaemonSnapshot["state"] | null;
  lastOutput: string[];
}

export interface ApiState {
  daemons: DaemonState[];
  dht: DhtSnapshot | null;
}

export function mergeState(supervisor: StateSupervisor, aggregator: StateAggregator): ApiState {
  const views = new Map(aggregator.views().map((view) => [view.id, view]));
  const daemons = supervisor.list().map((daemon) => merge(daemon, views.get(daemon.id)));
  const supervised = new Set(daemons.map((daemon) => daemon.id));
  for (const view of views.values()) {
    if (!supervised.has(view.id)) daemons.push(remote(view));
  }
  return { daemons, dht: aggregator.dht() ?? null };
}

function merge(daemon: SupervisedDaemon, view: DaemonView | undefined): DaemonState {
  return {
    id: daemon.id,
    kind: daemon.kind,
    pid: daemon.pid,
    alive: daemon.alive,
    paused: daemon.paused,
    connected: view?.connected ?? false,
    remote: false,
    exitCode: daemon.exitCode,
    signal: daemon.signal,
    ended: daemon.ended,
    controlUrl: daemon.controlUrl,
    managerPort: daemon.managerPort,
    ...registered(view),
    lastOutput: daemon.lastOutput.slice(-20),
  };
}

function remote(view: DaemonView): DaemonState {
  return {
    id: view.id,
    kind: view.kind,
    pid: null,
    alive: view.connected,
    paused: false,
    connected: view.connected,
    remote: true,
    exitCode: null,
    signal: null,
    ended: null,
    controlUrl: null,
    managerPort: null,
    ...registered(view),
    lastOutput: [],
  };
}

function registered(view: DaemonView | undefined): Partial<DaemonState> {
  if (view === undefined) return {};
  const fields: Partial<DaemonState> = { snapshot: view.snapshot };
  if (view.name !== undefined) fields.name = view.name;
  if (view.state !== undefined) fields.state = view.state;
  return fields;
}
