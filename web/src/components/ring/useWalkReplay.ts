import { useEffect } from "react";
import type { QueryRun } from "../../model/queries.ts";
import { hopStepMs, lastStep, type ReplayFrame, replayFrame } from "../../model/ring-replay.ts";
import { hopControl, useDashboard } from "../../model/store.ts";

/**
 * The frame of `run`'s replay: the store's step, which starts at hop 0 when the query
 * shown changes and moves on one hop per `hopStepMs(speed)` while playing; the last
 * frame (every hop and the answer) stays.
 */
export function useWalkReplay(run: QueryRun | null): ReplayFrame | null {
  const { hopReplay, speed } = useDashboard();
  const key = run?.key ?? null;
  const current = hopReplay.queryKey === key ? hopReplay : { step: 0, playing: true };
  const last = run === null ? 0 : lastStep(run);
  const delay = hopStepMs(speed);
  useEffect(() => hopControl.follow(key), [key]);
  useEffect(() => {
    if (!current.playing || current.step >= last) return;
    const timer = setTimeout(() => hopControl.advance(key, last), delay);
    return () => clearTimeout(timer);
  }, [key, current.playing, current.step, last, delay]);
  return run === null ? null : replayFrame(run, current.step);
}
