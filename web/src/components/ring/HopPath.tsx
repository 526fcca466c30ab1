import type { QueryRun } from "../../model/queries.ts";
import { curveBetween, type Point, pointOnCurve } from "../../model/ring-layout.ts";
import type { ReplayFrame } from "../../model/ring-replay.ts";

export interface HopMarkers {
  hop: string;
  found: string;
  missing: string;
}

/**
 * The replayed walk: each drawn find-event hop as a numbered curve (the newest one drawing
 * itself in), then the answer as a dashed curve back to the asking peer.
 */
export function HopPath({
  run,
  frame,
  places,
  markers,
}: {
  run: QueryRun;
  frame: ReplayFrame;
  places: ReadonlyMap<string, Point>;
  markers: HopMarkers;
}) {
  const curveOf = (from: string, to: string) => {
    const start = places.get(from);
    const end = places.get(to);
    return start === undefined || end === undefined ? null : curveBetween(start, end);
  };
  const { answer } = run;
  const answerCurve = answer === null ? null : curveOf(answer.answeredBy, run.origin);
  // Badges sit before their curve's middle and the verdict after its middle, so chords
  // crossing near the centre do not stack their labels.
  const verdictAt = answerCurve === null ? null : pointOnCurve(answerCurve, 0.65);
  return (
    <g aria-label="hop path" className="ring-hops">
      {frame.hops.map((hop, index) => {
        const curve = curveOf(hop.from, hop.to);
        const fresh = frame.replaying && index === frame.hops.length - 1;
        const badge = curve === null ? null : pointOnCurve(curve, 0.4);
        return (
          // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an SVG <g> is not interactive; role img names it
          <g
            key={`${hop.number}:${hop.from}:${hop.to}`}
            role="img"
            aria-label={`hop ${hop.number}: ${hop.from} → ${hop.to}`}
            className={fresh ? "ring-hop fresh" : "ring-hop"}
          >
            {curve !== null && badge !== null && (
              <>
                <path
                  className="ring-hop-curve"
                  d={curve.d}
                  pathLength={1}
                  markerEnd={`url(#${markers.hop})`}
                />
                <circle className="ring-hop-badge" cx={badge.x} cy={badge.y} r={11} />
                <text className="ring-hop-number" x={badge.x} y={badge.y} dy="0.35em">
                  {hop.number}
                </text>
              </>
            )}
          </g>
        );
      })}
      {frame.answered && answer !== null && (
        // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an SVG <g> is not interactive; role img names it
        <g
          role="img"
          aria-label={`answer: ${answer.answeredBy} → ${run.origin}, ${answer.status === "found" ? "found" : "not found"}`}
          className={answer.status === "found" ? "ring-answer found" : "ring-answer missing"}
        >
          {answerCurve !== null && verdictAt !== null && (
            <>
              <path
                className="ring-answer-curve"
                d={answerCurve.d}
                markerEnd={`url(#${answer.status === "found" ? markers.found : markers.missing})`}
              />
              <text x={verdictAt.x} y={verdictAt.y} dy="0.35em">
                {answer.status === "found" ? "found" : "not found"}
              </text>
            </>
          )}
        </g>
      )}
    </g>
  );
}
