/**
 * `Previous hop` and `Next hop` (keys p and n): move the ring's replay one whole hop, and
 * the caption of what the node the shown hop reached decided. Past the cursor (viewing
 * the past), `Next hop` moves the cursor on to the end of the next hop.
 */
import { useMemo, useRef } from "react";
import type { QueryRun } from "../../model/queries.ts";
import type { Replication } from "../../model/replicas.ts";
import type { ReplayFrame } from "../../model/ring-replay.ts";
import { cursorOf, hopControl, timeControl, useDashboard } from "../../model/store.ts";
import { nextHop, previousHop, walkSteps } from "../../model/walk-steps.ts";
import { usePageKeys } from "../keyboard.ts";
import { ReasonedButton } from "../ReasonedButton.tsx";
import "./HopControls.css";

export function HopControls({
  run,
  later,
  frame,
  records,
  replication,
}: {
  /** The shown walk at the cursor, every hop of it. */
  run: QueryRun | null;
  /** The same walk in the whole log (it may go on past the cursor). */
  later: QueryRun | null;
  frame: ReplayFrame | null;
  records: number | null;
  /** The ring's replication (null: one copy of each record), for which copy answers. */
  replication: Replication | null;
}) {
  const dashboard = useDashboard();
  const cursor = cursorOf(dashboard);
  const steps = useMemo(
    () => (run === null ? [] : walkSteps(run, records, replication)),
    [run, records, replication],
  );
  const step = frame?.step ?? 0;
  const laterSteps = () =>
    later === null || later === run ? steps : walkSteps(later, records, replication);
  const next = run === null ? null : nextHop(step, steps, laterSteps(), cursor);
  const previous = run === null ? null : previousHop(step);
  const go = (move: typeof next) => {
    if (run === null || move === null) return;
    if (move.seekTo !== null) timeControl.seek(move.seekTo);
    hopControl.show(run.key, move.step);
  };
  const moves = useRef({ next: () => go(next), previous: () => go(previous) });
  moves.current = { next: () => go(next), previous: () => go(previous) };
  usePageKeys(
    useMemo(() => ({ n: () => moves.current.next(), p: () => moves.current.previous() }), []),
  );
  const caption = steps[step]?.caption ?? null;
  return (
    <div className="hop-controls">
      <ReasonedButton
        aria-label="Previous hop"
        title="back one hop (p)"
        reason={
          run === null ? "no query to replay yet" : previous === null ? "at hop 0 already" : null
        }
        onClick={() => go(previous)}
      >
        ◀ hop
      </ReasonedButton>
      <ReasonedButton
        aria-label="Next hop"
        title="on one hop (n)"
        reason={
          run === null ? "no query to replay yet" : next === null ? "the walk has ended" : null
        }
        onClick={() => go(next)}
      >
        hop ▶
      </ReasonedButton>
      <p className="hop-caption" aria-live="polite">
        {caption === null ? (
          <span className="muted">No query yet: each hop will be told here.</span>
        ) : (
          <>
            <strong>hop {step}</strong> {caption}
          </>
        )}
      </p>
    </div>
  );
}
