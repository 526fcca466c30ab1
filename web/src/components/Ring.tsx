/**
 * The DHT as a ring: members on a circle in id order with arrows to their right
 * neighbours, other peers beside it, the manager in the corner, and the shown query
 * walking hop by hop, each hop captioned.
 */
import { useMemo, useRef } from "react";
import { formatCount } from "../model/format.ts";
import type { QueryRun } from "../model/queries.ts";
import { replicationCaption, ringReplication } from "../model/replicas.ts";
import { placeNodes } from "../model/ring-layout.ts";
import { phaseCaption, type ReplayFrame, resentHops, runAsShown } from "../model/ring-replay.ts";
import { hopControl, selection, useDashboard } from "../model/store.ts";
import type { View } from "../model/view.ts";
import { PictureButtons } from "./export/PictureButtons.tsx";
import { ReasonedButton } from "./ReasonedButton.tsx";
import { HopControls } from "./ring/HopControls.tsx";
import { QueryArithmetic } from "./ring/QueryArithmetic.tsx";
import { RingDiagram } from "./ring/RingDiagram.tsx";
import "./Ring.css";

export function Ring({
  view,
  run,
  later,
  frame,
}: {
  view: View;
  /** The query shown, at the cursor. */
  run: QueryRun | null;
  /** The same query in the whole log. */
  later: QueryRun | null;
  frame: ReplayFrame | null;
}) {
  const nodes = useMemo(() => placeNodes(view), [view]);
  const { inspected, log } = useDashboard();
  const resent = useMemo(
    () => (run === null ? new Set<string>() : resentHops(log, run)),
    [log, run],
  );
  const panel = useRef<HTMLElement>(null);
  const ringSvg = () => {
    const element = panel.current?.querySelector<SVGSVGElement>("svg.ring-svg") ?? null;
    return element === null ? null : { element, header: null };
  };
  const members = view.dht?.members ?? [];
  // A walk over an earlier ring would be drawn between the wrong nodes: only its
  // arithmetic is shown then.
  const onThisRing = run !== null && run.members.join(" ") === members.join(" ");
  const caption = phaseCaption(view.dht?.phase, view.manager?.pending);
  const managerAlive = view.daemons.find((daemon) => daemon.kind === "manager")?.alive ?? false;
  const replication = ringReplication(view);
  const copiesCaption = replicationCaption(replication);
  return (
    <section className="panel ring-panel" aria-label="Ring" ref={panel}>
      <div className="ring-header">
        <h2>Ring</h2>
        {view.dht !== null && (
          <span className="muted">
            {view.dht.ringSize} nodes · year {view.dht.year}
          </span>
        )}
        <PictureButtons what="ring" svg={ringSvg} />
        <ReasonedButton
          aria-label="Replay query hops"
          reason={run === null ? "no query with hops to replay yet" : null}
          onClick={() => hopControl.restart(run?.key ?? null)}
        >
          ↻ Replay
        </ReasonedButton>
      </div>
      <HopControls
        run={run}
        later={later}
        frame={frame}
        records={view.yearRecords}
        replication={replication}
      />
      {caption !== null && (
        <p className="ring-caption" role="status">
          {caption}
          {view.progress !== null && view.progress.stored < view.progress.total
            ? ` ${formatCount(view.progress.stored)} / ${formatCount(view.progress.total)} stored`
            : ""}
        </p>
      )}
      {copiesCaption !== null && <p className="ring-hint">{copiesCaption}</p>}
      {run !== null && !onThisRing && (
        <p className="ring-hint">
          {view.dht === null
            ? `Query ${run.eventId} ran on a DHT of ${run.members.length} that is gone now; only its arithmetic is shown.`
            : `Query ${run.eventId} ran on an earlier ring of ${run.members.length}; its hops are not drawn on this one.`}
        </p>
      )}
      <div className="ring-body">
        <RingDiagram
          members={members}
          nodes={nodes}
          managerAlive={managerAlive}
          run={onThisRing ? run : null}
          frame={frame}
          inspected={inspected}
          onInspect={selection.inspect}
          resent={resent}
        />
        <QueryArithmetic
          run={run === null || frame === null ? run : runAsShown(run, frame)}
          ownerShown={frame?.answered ?? false}
          records={view.yearRecords}
          replication={replication}
          year={view.dht?.year ?? null}
        />
      </div>
    </section>
  );
}
