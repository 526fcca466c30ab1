/**
 * The shapes the server sends, taken from the server's and daemons' own type definitions
 * (type-only imports, erased from the bundle) so the dashboard cannot drift from them.
 */
export type { DhtSnapshot as Dht, ManagerSnapshot } from "../../../daemons/src/manager/state.ts";
export type {
  DaemonEvent,
  DaemonSnapshot,
  QueryStatus,
} from "../../../daemons/src/observe/events.ts";
export type { PeerInspection } from "../../../daemons/src/observe/inspection.ts";
export type { PeerPhase, PeerSnapshot } from "../../../daemons/src/peer/snapshot.ts";
export type { FaultChange } from "../../../daemons/src/transport/faults.ts";
export type { TimelineEntry } from "../../../server/src/aggregator.ts";
export type { FetchJob } from "../../../server/src/fetch-jobs.ts";
export type { LiveMessage } from "../../../server/src/live.ts";
export type { BenchFile } from "../../../server/src/routes/bench.ts";
export type { ApiState, DaemonState } from "../../../server/src/state.ts";

/** The manager's snapshot as its control channel serialises it (peers as a list). */

export type { CommandResult } from "../../../server/src/aggregator.ts";

/** Every 4xx and 5xx response of the API. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
}
