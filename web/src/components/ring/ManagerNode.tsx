import { MANAGER_PLACE, RING_GEOMETRY } from "../../model/ring-layout.ts";
import "./ManagerNode.css";

const { nodeRadius } = RING_GEOMETRY;

/** The manager as a node of the ring view: a square (it is not a member), where hop 0 starts. */
export function ManagerNode({ alive, dimmed }: { alive: boolean; dimmed: boolean }) {
  const side = nodeRadius * 1.6;
  return (
    // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an SVG <g> is not interactive; role img names it
    <g
      role="img"
      aria-label={alive ? "manager" : "manager (dead)"}
      className={`ring-manager${alive ? "" : " dead"}${dimmed ? " dimmed" : ""}`}
      transform={`translate(${MANAGER_PLACE.x} ${MANAGER_PLACE.y})`}
    >
      <rect x={-side / 2} y={-side / 2} width={side} height={side} rx={5} />
      <text dy="0.35em">M</text>
      {/* Above the square: hop 0 leaves it downwards, towards the ring. */}
      <text className="ring-manager-name" y={-side / 2 - 5}>
        manager
      </text>
    </g>
  );
}
