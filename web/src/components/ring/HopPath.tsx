import type { QueryRun } from "../../model/queries.ts";
import {
  clearestCurve,
  curveBetween,
  MANAGER_PLACE,
  type Point,
  pointOnCurve,
} from "../../model/ring-layout.ts";
import type { ReplayFrame } from "../../model/ring-replay.ts";

export interface HopMarkers {
  choice: string;
  hop: string;
  found: string;
  missing: string;
}

/**
 * The replayed walk: hop 0, the manager's choice of the first member, as a dashed curve
 * from the manager; each drawn find-event hop as a numbered curve (the newest one drawing
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
  const choiceAt = frame.choice === null ? undefined : places.get(frame.choice);
  // Hop 0 must clear the other nodes and the name and count drawn under each.
  const others = [...places.values()]
    .filter((place) => place !== choiceAt)
    .flatMap((place) => [place, { x: place.x, y: place.y + 30 }]);
  const choiceCurve =
    choiceAt === undefined ? null : clearestCurve(MANAGER_PLACE, choiceAt, others);
  const choiceBadge = choiceCurve === null ? null : pointOnCurve(choiceCurve, 0.5);
  return (
    <g aria-label="hop path" className="ring-hops">
      {choiceCurve !== null && choiceBadge !== null && (
        // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an SVG <g> is not interactive; role img names it
        <g
          role="img"
          aria-label={`hop 0: manager picks ${frame.choice}`}
          className={frame.step === 0 && frame.replaying ? "ring-hop fresh" : "ring-hop"}
        >
          <path
            className="ring-choice-curve"
            d={choiceCurve.d}
            markerEnd={`url(#${markers.choice})`}
          />
          <circle className="ring-choice-badge" cx={choiceBadge.x} cy={choiceBadge.y} r={11} />
          <text className="ring-hop-number" x={choiceBadge.x} y={choiceBadge.y} dy="0.35em">
            0
          </text>
        </g>
      )}
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
