/**
 * The diagram itself: a lane per daemon, time flowing down in causal order, an arrow per
 * message. Scrolls vertically inside the panel and follows the newest row while live.
 */
import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { labelBox, placeLabels } from "../../model/arrow-labels.ts";
import { laneXs } from "../../model/lanes.ts";
import type { Diagram } from "../../model/messages.ts";
import { heightFor, LANE_MARGIN, ROW_HEIGHT, rowY } from "./geometry.ts";
import { MessageArrow } from "./MessageArrow.tsx";
import "./DiagramLabels.css";

/** A type label's size per character and height, in px at normal text (generous). */
const LABEL_CHAR = 6.4;
const LABEL_HEIGHT = 13;

export function DiagramCanvas({
  diagram,
  selectedKey,
  related,
  onSelect,
  live,
  collapsed,
}: {
  diagram: Diagram;
  selectedKey: string | null;
  /** The picked message's causal history or future, lit while the others are dimmed. */
  related: ReadonlySet<string> | null;
  onSelect: (key: string) => void;
  live: boolean;
  /** Departed lanes, drawn narrow. */
  collapsed: ReadonlySet<string>;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const width = useWidthOf(scroller);
  const height = heightFor(diagram.rows);
  useLayoutEffect(() => {
    // Scrolling past the diagram's height lands on its bottom, the newest row.
    if (live && scroller.current !== null) scroller.current.scrollTop = height;
  }, [live, height]);
  const xs = laneXs(
    diagram.lanes.map((lane) => collapsed.has(lane)),
    width,
    LANE_MARGIN,
  );
  const laneX = new Map(diagram.lanes.map((lane, index) => [lane, xs[index] ?? 0]));
  const labelled = useArrowLabels(diagram, laneX);
  return (
    <div className="messages-scroll" ref={scroller}>
      <ul className="messages-lanes" aria-label="Lanes">
        {diagram.lanes.map((lane, index) => (
          <li
            key={lane}
            className={collapsed.has(lane) ? "collapsed" : undefined}
            style={{ left: xs[index], maxWidth: titleWidth(xs, index) }}
            title={collapsed.has(lane) ? `${lane} (departed)` : lane}
          >
            {lane}
          </li>
        ))}
      </ul>
      <svg width={width} height={height} className={related === null ? undefined : "tracing"}>
        <title>{`Time-space diagram of ${diagram.arrows.length} messages`}</title>
        {xs.map((x, index) => (
          <line
            key={diagram.lanes[index]}
            className="messages-lane"
            x1={x}
            x2={x}
            y1={0}
            y2={height}
          />
        ))}
        {diagram.arrows.map((arrow) => (
          <MessageArrow
            key={arrow.key}
            arrow={arrow}
            fromX={laneX.get(arrow.from) ?? 0}
            toX={laneX.get(arrow.to) ?? 0}
            selected={arrow.key === selectedKey}
            related={related?.has(arrow.key) ?? false}
            labelled={labelled.has(arrow.key)}
            onSelect={onSelect}
          />
        ))}
      </svg>
      {diagram.arrows.length === 0 && (
        <p className="messages-empty muted">No messages up to this point.</p>
      )}
    </div>
  );
}

/** A lane title's room: up to the nearer neighbour's half-way point. */
function titleWidth(xs: readonly number[], index: number): number {
  const x = xs[index] ?? 0;
  const gaps = [xs[index - 1], xs[index + 1]].flatMap((other) =>
    other === undefined ? [] : [Math.abs(other - x)],
  );
  return Math.max(24, Math.min(...gaps, 2 * LANE_MARGIN) - 6);
}

/**
 * The arrows whose type fits as a label at their middle without touching another, or a
 * store band's label; sizes follow the SVG text scale (Large text).
 */
function useArrowLabels(diagram: Diagram, laneX: ReadonlyMap<string, number>): Set<string> {
  const scale = Number.parseFloat(
    getComputedStyle(document.documentElement).getPropertyValue("--svg-text-scale") || "1",
  );
  const key = [...laneX.values()].join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: the lane positions by value
  return useMemo(() => {
    const candidates = [];
    const bands = [];
    for (const arrow of diagram.arrows) {
      const x1 = laneX.get(arrow.from) ?? 0;
      const x2 = laneX.get(arrow.to) ?? 0;
      const y1 = rowY(arrow.sendRow);
      const y2 = arrow.receiveRow === null ? y1 + ROW_HEIGHT * 0.8 : rowY(arrow.receiveRow);
      if (arrow.band !== null) {
        bands.push({
          x: Math.min(x1, x2),
          y: y1 - 18 * scale,
          width: Math.abs(x2 - x1),
          height: 18 * scale,
        });
      } else if (arrow.receiveRow !== null) {
        const box = labelBox(
          (x1 + x2) / 2,
          (y1 + y2) / 2,
          arrow.messageType,
          LABEL_CHAR * scale,
          LABEL_HEIGHT * scale,
        );
        candidates.push({ key: arrow.key, ...box });
      }
    }
    return placeLabels(candidates, bands);
  }, [diagram, key, scale]);
}

/** The element's inner width (without its scrollbar), kept up to date. */
function useWidthOf(element: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(600);
  useLayoutEffect(() => {
    const target = element.current;
    if (target === null) return;
    const measure = () => setWidth(Math.max(200, target.clientWidth));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(target);
    return () => observer.disconnect();
  }, [element]);
  return width;
}
