/**
 * Runs `query-dht <name> <event id>` from a peer and, once the command returns, has the
 * ring replay the walk it started: the query form and the demo buttons alike.
 */
import { useState } from "react";
import type { CommandResult } from "../../api/types.ts";
import { runCommand } from "../../model/actions.ts";
import { lastSeq } from "../../model/log.ts";
import type { QueryRun } from "../../model/queries.ts";
import { useDashboard } from "../../model/store.ts";
import { useReplayWhenStarted } from "./useReplayWhenStarted.ts";

export function useQueryRunner(queries: QueryRun[]) {
  const { log } = useDashboard();
  const [running, setRunning] = useState(false);
  const awaitRun = useReplayWhenStarted(queries);
  const run = async (
    peer: { id: string; name: string },
    eventId: number,
  ): Promise<CommandResult | null> => {
    const started = { origin: peer.name, eventId, afterSeq: lastSeq(log) };
    setRunning(true);
    awaitRun(null);
    const result = await runCommand(peer.id, `query-dht ${peer.name} ${eventId}`);
    setRunning(false);
    awaitRun(started);
    return result;
  };
  return { running, run };
}
