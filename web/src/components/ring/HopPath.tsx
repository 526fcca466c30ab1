import type { QueryRun } from "../../model/queries.ts";
import {
  BADGE_AT,
  clearestCurve,
  curveBetween,
  hopCurve,
  labelPoint,
  MANAGER_PLACE,
  type PlacedNode,
  type Point,
  pointOnCurve,
  VERDICT_AT,
} from "../../model/ring-layout.ts";
import type { ReplayFrame } from "../../model/ring-replay.ts";
import "./HopPath.css";

/** How far the verdict's middle must be from any node or label: about half its width. */
const VERDICT_ROOM = 32;

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
  resent,
}: {
  run: QueryRun;
  frame: ReplayFrame;
  places: ReadonlyMap<string, PlacedNode>;
  markers: HopMarkers;
  /** Hops sent again ("from>to"): marked ↻, as the diagram marks a resend. */
  resent: ReadonlySet<string>;
}) {
  const curveOf = (from: string, to: string, draw = curveBetween) => {
    const start = places.get(from);
    const end = places.get(to);
    return start === undefined || end === undefined ? null : draw(start, end);
  };
  const { answer } = run;
  const answerCurve = answer === null ? null : curveOf(answer.answeredBy, run.origin);
  // Badges sit before their curve's middle and the verdict after its middle, so chords
  // crossing near the centre do not stack their labels.
  // Each badge clears the nodes, their labels and the badges before it; the verdict all.
  const spots = labelledSpots(places);
  const badges = frame.hops.map((hop) => {
    const curve = curveOf(hop.from, hop.to, hopCurve);
    const badge = curve === null ? null : labelPoint(curve, spots, BADGE_AT);
    if (badge !== null) spots.push(badge);
    return { curve, badge };
  });
  // The verdict is in the caption and the arrow's colour too: left out rather than drawn
  // over a label when the answer's curve has no room for it.
  const verdictAt =
    answerCurve === null ? null : labelPoint(answerCurve, spots, VERDICT_AT, VERDICT_ROOM);
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
        const { curve, badge } = badges[index] ?? { curve: null, badge: null };
        const fresh = frame.replaying && index === frame.hops.length - 1;
        const again = resent.has(`${hop.from}>${hop.to}`);
        return (
          // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an SVG <g> is not interactive; role img names it
          <g
            key={`${hop.number}:${hop.from}:${hop.to}`}
            role="img"
            aria-label={`hop ${hop.number}: ${hop.from} → ${hop.to}${again ? ", sent again" : ""}`}
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
                {again && (
                  <text className="ring-hop-resent" x={badge.x + 14} y={badge.y - 8}>
                    ↻
                  </text>
                )}
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
          {answerCurve !== null && (
            <path
              className="ring-answer-curve"
              d={answerCurve.d}
              markerEnd={`url(#${answer.status === "found" ? markers.found : markers.missing})`}
            />
          )}
          {verdictAt !== null && (
            <text x={verdictAt.x} y={verdictAt.y} dy="0.35em">
              {answer.status === "found" ? "found" : "not found"}
            </text>
          )}
        </g>
      )}
    </g>
  );
}

/** Each node, and where its labels are: below it on the ring, right of it beside. */
function labelledSpots(places: ReadonlyMap<string, PlacedNode>): Point[] {
  return [...places.values()].flatMap((node) =>
    node.id === null
      ? [node, { x: node.x + 50, y: node.y }, { x: node.x + 85, y: node.y }]
      : [node, { x: node.x, y: node.y + 30 }],
  );
}
