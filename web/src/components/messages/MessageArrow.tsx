/**
 * One message: an arrow from the send on the sender's lane to the receipt on the
 * receiver's; dashed and marked ↻ when resent, red and marked ! when a FAILURE reply,
 * a short arrow ending in × when no receipt was seen, a translucent band for a bulk store.
 * Memoised: picking a message re-renders only the arrows whose highlight changes.
 */
import { type KeyboardEvent, memo } from "react";
import type { DiagramArrow } from "../../model/messages.ts";
import { arrowhead, ROW_HEIGHT, rowY } from "./geometry.ts";

/** How far towards its receiver a message with no receipt is drawn. */
const LOST_REACH = 0.3;

export const MessageArrow = memo(function MessageArrow({
  arrow,
  fromX,
  toX,
  selected,
  related,
  labelled,
  onSelect,
}: {
  arrow: DiagramArrow;
  fromX: number;
  toX: number;
  selected: boolean;
  /** In the causal history (or future) of the message picked. */
  related: boolean;
  /** Room was found for its type as a label at its middle. */
  labelled: boolean;
  onSelect: (key: string) => void;
}) {
  const y1 = rowY(arrow.sendRow);
  const lost = arrow.receiveRow === null;
  const x2 = lost ? fromX + (toX - fromX) * LOST_REACH : toX;
  const y2 = arrow.receiveRow === null ? y1 + ROW_HEIGHT * 0.8 : rowY(arrow.receiveRow);
  const classes = [
    "message-arrow",
    `class-${arrow.messageClass}`,
    arrow.failure && "failure",
    arrow.retransmission && "retransmission",
    arrow.band !== null && "band",
    selected && "selected",
    related && "related",
  ].filter(Boolean);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    onSelect(arrow.key);
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>.
    <g
      className={classes.join(" ")}
      role="button"
      tabIndex={0}
      aria-label={`${arrow.messageType} ${arrow.from} → ${arrow.to}`}
      onClick={() => onSelect(arrow.key)}
      onKeyDown={onKeyDown}
    >
      <title>{arrow.summary}</title>
      <line className="hit" x1={fromX} y1={y1} x2={x2} y2={y2} />
      {arrow.band !== null && <line className="band-body" x1={fromX} y1={y1} x2={x2} y2={y2} />}
      <line className="shaft" x1={fromX} y1={y1} x2={x2} y2={y2} />
      <circle className="end" cx={fromX} cy={y1} r={2.5} />
      {lost ? (
        <text className="lost-mark" x={x2} y={y2} dy="0.35em" textAnchor="middle">
          ×
        </text>
      ) : (
        <polygon className="head" points={arrowhead(fromX, y1, x2, y2)} />
      )}
      {arrow.retransmission && (
        <text className="mark" x={fromX + (x2 > fromX ? 6 : -6)} y={y1 - 3} textAnchor="middle">
          ↻
        </text>
      )}
      {labelled && (
        <text
          className="message-type"
          x={(fromX + x2) / 2}
          y={(y1 + y2) / 2}
          dy="0.35em"
          textAnchor="middle"
        >
          {arrow.messageType}
        </text>
      )}
      {arrow.failure && (
        <text className="mark failure-mark" x={x2 + (x2 > fromX ? -10 : 10)} y={y2 - 6}>
          !
        </text>
      )}
      {arrow.band !== null && (
        <text
          className="band-label"
          // Anchored at the sender and running towards the receiver, so a band from the
          // last lane is not cut off at the diagram's edge.
          x={fromX + (x2 >= fromX ? 4 : -4)}
          y={y1}
          dy="-0.5em"
          textAnchor={x2 >= fromX ? "start" : "end"}
        >
          {`store${arrow.gather ? " (gathered)" : ""}: ${arrow.band.records} records in ${arrow.band.datagrams} datagrams`}
        </text>
      )}
    </g>
  );
});
