import { useEffect, useState } from "react";
import type { QueryRun } from "../../model/queries.ts";
import { hopStepMs, type ReplayFrame, replayFrame, replaySteps } from "../../model/ring-replay.ts";

/**
 * Steps through `run`'s hops one per `hopStepMs(speed)`, starting over when the query
 * changes or `restart` is called; the last frame (every hop and the answer) stays.
 */
export function useHopReplay(
  run: QueryRun | null,
  speed: number,
): { frame: ReplayFrame | null; restart: () => void } {
  const key = run?.key ?? null;
  const [replay, setReplay] = useState({ key, step: 0 });
  if (replay.key !== key) setReplay({ key, step: 0 });
  const step = replay.key === key ? replay.step : 0;
  const steps = run === null ? 0 : replaySteps(run);
  const delay = hopStepMs(speed);
  useEffect(() => {
    if (step >= steps) return;
    const timer = setTimeout(
      () => setReplay((now) => (now.key === key ? { key, step: now.step + 1 } : now)),
      delay,
    );
    return () => clearTimeout(timer);
  }, [key, step, steps, delay]);
  return {
    frame: run === null ? null : replayFrame(run, step),
    restart: () => setReplay({ key, step: 0 }),
  };
}
