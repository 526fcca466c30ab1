/**
 * Has the ring replay the walk a returned query-dht started, once its first event shows up
 * in the log: the command returns before every daemon's events reach the server.
 */
import { useEffect, useState } from "react";
import { type QueryRun, startedRun } from "../../model/queries.ts";
import { selection } from "../../model/store.ts";

/** The walk a returned command started, to replay once it shows up in the log. */
export interface AwaitedRun {
  origin: string;
  eventId: number;
  afterSeq: number;
}

/** Returns the setter of the walk to wait for; null waits for none. */
export function useReplayWhenStarted(queries: QueryRun[]) {
  const [awaited, setAwaited] = useState<AwaitedRun | null>(null);
  useEffect(() => {
    if (awaited === null) return;
    const run = startedRun(queries, awaited.origin, awaited.eventId, awaited.afterSeq);
    if (run === undefined) return;
    selection.replay(run.key);
    setAwaited(null);
  }, [queries, awaited]);
  return setAwaited;
}
