import { formatCount } from "../../model/format.ts";
import { type PlacedNode, RING_GEOMETRY } from "../../model/ring-layout.ts";
import "./RingNode.css";

const { nodeRadius } = RING_GEOMETRY;

/**
 * One peer: a disc with its node id, its name and what it holds; glides when it moves.
 * A click (or Enter) opens the node inspector on it, when it is a daemon the page knows.
 */
export function RingNode({
  node,
  dimmed,
  inspected,
  onInspect,
}: {
  node: PlacedNode;
  dimmed: boolean;
  inspected: boolean;
  onInspect: ((daemonId: string) => void) | null;
}) {
  const classes = [
    "ring-node",
    `status-${node.status.toLowerCase()}`,
    node.id === null ? "outside" : "member",
    node.leader ? "leader" : "",
    dimmed ? "dimmed" : "",
    inspected ? "inspected" : "",
    onInspect === null ? "" : "inspectable",
  ].join(" ");
  // Outside the ring the detail line already says "dead"; a tag would crowd the column.
  const tag = [
    node.leader ? "leader" : "",
    node.status === "dead" && node.id !== null ? "dead" : "",
  ]
    .filter(Boolean)
    .join(" · ");
  const inspect = () => {
    if (node.daemonId !== null) onInspect?.(node.daemonId);
  };
  const detail = node.records !== null ? `${formatCount(node.records)} rec` : statusWord(node);
  return (
    // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>
    <g
      role="button"
      tabIndex={onInspect === null ? -1 : 0}
      aria-label={node.label}
      aria-pressed={inspected}
      className={classes}
      style={{ transform: `translate(${node.x}px, ${node.y}px)` }}
      onClick={() => inspect()}
      onKeyDown={(event) => {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        inspect();
      }}
    >
      <title>{onInspect === null ? node.label : `${node.label}: click to inspect`}</title>
      {tag !== "" && (
        <text className="ring-node-tag" y={-nodeRadius - 6}>
          {tag}
        </text>
      )}
      {/* The disc and its labels are one target, gaps between them included. */}
      <rect className="ring-node-hit" {...hitArea(node.id === null)} />
      <circle r={nodeRadius} />
      {node.id !== null && (
        <text className="ring-node-id" dy="0.35em">
          {node.id}
        </text>
      )}
      {node.id === null ? (
        // Beside the circle the label goes right of the disc, so the column can be dense.
        <>
          <text className="ring-node-name beside" x={nodeRadius + 7} y={-4}>
            {node.name}
          </text>
          <text className="ring-node-detail beside" x={nodeRadius + 7} y={13}>
            {detail}
          </text>
        </>
      ) : (
        <>
          <text className="ring-node-name" y={nodeRadius + 17}>
            {node.name}
          </text>
          <text className="ring-node-detail" y={nodeRadius + 32}>
            {detail}
          </text>
        </>
      )}
    </g>
  );
}

function statusWord(node: PlacedNode): string {
  return node.status === "Free" ? "free" : node.status;
}

/** Around the disc and its labels: beside it outside the ring, below it on the ring. */
function hitArea(beside: boolean) {
  return beside
    ? { x: -nodeRadius, y: -nodeRadius, width: nodeRadius + 90, height: 2 * nodeRadius }
    : { x: -45, y: -nodeRadius, width: 90, height: 2 * nodeRadius + 36 };
}
