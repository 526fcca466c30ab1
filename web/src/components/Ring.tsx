/**
 * The DHT as a ring: members on a circle in id order with arrows to their right
 * neighbours, other peers beside it, and the replayed query walking hop by hop.
 */
import { useMemo } from "react";
import type { QueryRun } from "../model/queries.ts";
import { shownQuery } from "../model/queries.ts";
import { placeNodes } from "../model/ring-layout.ts";
import { phaseCaption } from "../model/ring-replay.ts";
import { useDashboard } from "../model/store.ts";
import type { View } from "../model/view.ts";
import { QueryArithmetic } from "./ring/QueryArithmetic.tsx";
import { RingDiagram } from "./ring/RingDiagram.tsx";
import { useHopReplay } from "./ring/useHopReplay.ts";
import "./Ring.css";
import { formatCount } from "../model/format.ts";
import { ReasonedButton } from "./ReasonedButton.tsx";

export function Ring({ view, queries }: { view: View; queries: QueryRun[] }) {
  const { replayedQuery, speed } = useDashboard();
  const run = shownQuery(queries, replayedQuery);
  const { frame, restart } = useHopReplay(run, speed);
  const nodes = useMemo(() => placeNodes(view), [view]);
  const members = view.dht?.members ?? [];
  // A walk over an earlier ring would be drawn between the wrong nodes: only its
  // arithmetic is shown then.
  const onThisRing = run !== null && run.members.join(" ") === members.join(" ");
  const caption = phaseCaption(view.dht?.phase);
  return (
    <section className="panel ring-panel" aria-label="Ring">
      <div className="ring-header">
        <h2>Ring</h2>
        {view.dht !== null && (
          <span className="muted">
            {view.dht.ringSize} nodes · year {view.dht.year}
          </span>
        )}
        <ReasonedButton
          aria-label="Replay query hops"
          reason={run === null ? "no query with hops to replay yet" : null}
          onClick={restart}
        >
          ↻ Replay
        </ReasonedButton>
      </div>
      {caption !== null && (
        <p className="ring-caption" role="status">
          {caption}
          {view.progress !== null && view.progress.stored < view.progress.total
            ? ` ${formatCount(view.progress.stored)} / ${formatCount(view.progress.total)} stored`
            : ""}
        </p>
      )}
      {view.dht === null && (
        <p className="ring-hint">No DHT yet: pick a Free peer and run setup-dht</p>
      )}
      {run !== null && !onThisRing && view.dht !== null && (
        <p className="ring-hint">
          Query {run.eventId} ran on an earlier ring of {run.members.length}; its hops are not drawn
          on this one.
        </p>
      )}
      <div className="ring-body">
        <RingDiagram members={members} nodes={nodes} run={onThisRing ? run : null} frame={frame} />
        <QueryArithmetic run={run} records={view.yearRecords} year={view.dht?.year ?? null} />
      </div>
    </section>
  );
}
