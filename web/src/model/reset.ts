/**
 * `Reset`, for when a lecture has made a mess: the steps that take the local daemons back
 * to a fresh start, worked out from `GET /api/state`. Paused daemons are resumed (a stopped
 * process answers nothing) and a dead manager started again, then the DHT is torn down by
 * its leader, every registered peer deregisters (and so exits), and every local peer is
 * restarted unregistered. Each step is best effort: one that fails does not stop the
 * next, and the restarts end whatever was left.
 */
import type { ApiState, DaemonState } from "../api/types.ts";

export interface ResetPlan {
  /** Daemon ids to continue (SIGCONT) first. */
  resume: string[];
  /** The leader's teardown, if a DHT exists and its leader can take commands. */
  teardown: { daemonId: string; line: string } | null;
  deregister: { daemonId: string; line: string }[];
  /** Local peers to restart, dead or alive. */
  restart: string[];
  /** The manager, if it is not running: started before the commands that need it. */
  restartManager: string | null;
}

export function planReset(state: ApiState): ResetPlan {
  const local = state.daemons.filter((daemon) => !daemon.remote);
  const peers = local.filter((daemon) => daemon.kind === "peer");
  const reachable = (daemon: DaemonState) => daemon.alive && daemon.connected;
  const leaderName = state.dht?.leader ?? null;
  const leader = peers.find((daemon) => daemon.name === leaderName && reachable(daemon));
  const manager = local.find((daemon) => daemon.kind === "manager");
  return {
    resume: local.filter((daemon) => daemon.alive && daemon.paused).map((daemon) => daemon.id),
    teardown:
      leader === undefined || leaderName === null
        ? null
        : { daemonId: leader.id, line: `teardown-dht ${leaderName}` },
    deregister: peers.flatMap((daemon) =>
      reachable(daemon) && daemon.name !== undefined && daemon.state !== "unregistered"
        ? [{ daemonId: daemon.id, line: `deregister ${daemon.name}` }]
        : [],
    ),
    restart: peers.map((daemon) => daemon.id),
    restartManager: manager !== undefined && !manager.alive ? manager.id : null,
  };
}
