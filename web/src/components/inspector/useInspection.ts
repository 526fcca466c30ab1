/**
 * Asks the inspected peer for what only it knows (GET /api/daemons/:id/inspection) when
 * the inspector opens and every few seconds after, and again at once when an event id is
 * looked up. Failures are shown in the inspector, not as notices: a poll fails often
 * (a peer killed, restarting) and says nothing the page does not show already.
 */
import { useEffect, useState } from "react";
import { api } from "../../api/client.ts";
import type { PeerInspection } from "../../api/types.ts";
import { describeError } from "../../model/actions.ts";

const POLL_MS = 2_000;

export interface Inspection {
  /** The daemon's last answer, for the daemon inspected now. */
  inspection: PeerInspection | null;
  error: string | null;
  lookUp: (eventId: number | null) => void;
}

/** `active`: the peer runs and answers (not paused); otherwise nothing is asked. */
export function useInspection(daemonId: string, active: boolean): Inspection {
  const [eventId, lookUp] = useState<number | null>(null);
  const [answer, setAnswer] = useState<{ daemonId: string; inspection: PeerInspection } | null>(
    null,
  );
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const ask = async () => {
      try {
        const inspection = await api.inspection(daemonId, eventId);
        if (stopped) return;
        setAnswer({ daemonId, inspection });
        setError(null);
      } catch (failure) {
        if (!stopped) setError(describeError(failure));
      }
    };
    void ask();
    const timer = setInterval(() => void ask(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [daemonId, active, eventId]);
  return {
    inspection: answer?.daemonId === daemonId ? answer.inspection : null,
    error,
    lookUp,
  };
}
