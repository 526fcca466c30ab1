import { useId, useMemo } from "react";
import type { QueryRun } from "../../model/queries.ts";
import { neighbourArrows, type PlacedNode, RING_GEOMETRY } from "../../model/ring-layout.ts";
import type { ReplayFrame } from "../../model/ring-replay.ts";
import { HopPath } from "./HopPath.tsx";
import { ManagerNode } from "./ManagerNode.tsx";
import { RingNode } from "./RingNode.tsx";
import { useLeaving } from "./useLeaving.ts";

/** Matches the CSS fade of a neighbour arrow that left the ring. */
const ARROW_FADE_MS = 500;

const { width, height, centerX, centerY, radius, nodeRadius, freeColumnX } = RING_GEOMETRY;

/** The SVG: the circle of members with their neighbour arcs, the free column, the walk. */
export function RingDiagram({
  members,
  nodes,
  managerAlive,
  run,
  frame,
  inspected,
  onInspect,
  resent,
}: {
  members: readonly string[];
  nodes: readonly PlacedNode[];
  managerAlive: boolean;
  run: QueryRun | null;
  frame: ReplayFrame | null;
  /** The daemon id the node inspector shows, if any. */
  inspected: string | null;
  onInspect: (daemonId: string) => void;
  /** The walk's hops sent again, as "from>to". */
  resent: ReadonlySet<string>;
}) {
  const markerPrefix = `ring${useId().replace(/[^a-zA-Z0-9]/g, "")}`;
  const markers = {
    choice: `${markerPrefix}-choice`,
    neighbour: `${markerPrefix}-neighbour`,
    hop: `${markerPrefix}-hop`,
    found: `${markerPrefix}-found`,
    missing: `${markerPrefix}-missing`,
  };
  const memberKey = members.join("\n");
  // biome-ignore lint/correctness/useExhaustiveDependencies: the member list by value
  const arrows = useMemo(() => neighbourArrows(members), [memberKey]);
  const shownArrows = useLeaving(arrows, ARROW_FADE_MS);
  const places = useMemo(() => new Map(nodes.map((node) => [node.name, node])), [nodes]);
  const replaying = frame?.replaying ?? false;
  return (
    // biome-ignore lint/a11y/useSemanticElements: an SVG cannot be a fieldset; the group names the diagram
    <svg
      className={replaying ? "ring-svg replaying" : "ring-svg"}
      viewBox={`0 0 ${width} ${height}`}
      role="group"
      aria-label="DHT ring diagram"
    >
      <defs>
        {Object.entries(markers).map(([kind, id]) => (
          <marker
            key={kind}
            id={id}
            viewBox="0 0 10 10"
            refX="8"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path className={`ring-marker-${kind}`} d="M 0 0 L 10 5 L 0 10 z" />
          </marker>
        ))}
      </defs>
      <circle
        className={members.length === 0 ? "ring-track empty" : "ring-track"}
        cx={centerX}
        cy={centerY}
        r={radius}
      />
      <text className="ring-column-title" x={freeColumnX[0] - nodeRadius} y={22}>
        not in the ring
      </text>
      <g className="ring-arrows">
        {shownArrows.map(({ item, leaving }) => (
          <path
            key={item.key}
            className={leaving ? "ring-arrow leaving" : "ring-arrow"}
            d={item.d}
            markerEnd={`url(#${markers.neighbour})`}
          >
            <title>{`${item.from} → right neighbour ${item.to}`}</title>
          </path>
        ))}
      </g>
      <ManagerNode alive={managerAlive} dimmed={replaying && frame?.step !== 0} />
      <g className="ring-nodes">
        {nodes.map((node) => (
          <RingNode
            key={node.key}
            node={node}
            dimmed={replaying && frame !== null && !frame.touched.has(node.name)}
            inspected={node.daemonId !== null && node.daemonId === inspected}
            // A member no daemon of the page registered (a remote one gone) has no inspector.
            onInspect={node.daemonId === null ? null : onInspect}
          />
        ))}
      </g>
      {run !== null && frame !== null && (
        <HopPath run={run} frame={frame} places={places} markers={markers} resent={resent} />
      )}
    </svg>
  );
}
