/**
 * The diagram itself: a lane per daemon, time flowing down in causal order, an arrow per
 * message. Scrolls vertically inside the panel and follows the newest row while live.
 */
import { useLayoutEffect, useRef, useState } from "react";
import type { Diagram } from "../../model/messages.ts";
import { heightFor, laneXs } from "./geometry.ts";
import { MessageArrow } from "./MessageArrow.tsx";

export function DiagramCanvas({
  diagram,
  selectedKey,
  related,
  onSelect,
  live,
}: {
  diagram: Diagram;
  selectedKey: string | null;
  /** The picked message's causal history or future, lit while the others are dimmed. */
  related: ReadonlySet<string> | null;
  onSelect: (key: string) => void;
  live: boolean;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const width = useWidthOf(scroller);
  const height = heightFor(diagram.rows);
  useLayoutEffect(() => {
    // Scrolling past the diagram's height lands on its bottom, the newest row.
    if (live && scroller.current !== null) scroller.current.scrollTop = height;
  }, [live, height]);
  const xs = laneXs(diagram.lanes.length, width);
  const laneX = new Map(diagram.lanes.map((lane, index) => [lane, xs[index] ?? 0]));
  const labelWidth = Math.max(48, (xs[1] ?? width) - (xs[0] ?? 0) - 6);
  return (
    <div className="messages-scroll" ref={scroller}>
      <ul className="messages-lanes" aria-label="Lanes">
        {diagram.lanes.map((lane, index) => (
          <li key={lane} style={{ left: xs[index], maxWidth: labelWidth }} title={lane}>
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
