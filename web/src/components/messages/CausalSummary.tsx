/**
 * Which way the picked message's causality is traced, and how many drawn messages that
 * lights: its history (what caused it) or its future (what it caused).
 */
import type { CausalDirection, DiagramArrow } from "../../model/messages.ts";
import "./CausalSummary.css";

const DIRECTIONS: [CausalDirection, string][] = [
  ["history", "Show what caused it"],
  ["future", "Show what it caused"],
];

export function CausalSummary({
  arrow,
  direction,
  count,
  onDirection,
}: {
  arrow: DiagramArrow;
  direction: CausalDirection;
  count: number;
  onDirection: (direction: CausalDirection) => void;
}) {
  const messages = `${count} drawn message${count === 1 ? "" : "s"}`;
  const unreceived = arrow.receiveEntry === null;
  return (
    <div className="messages-causality">
      <fieldset className="messages-causality-toggle" aria-label="Causality">
        {DIRECTIONS.map(([value, label]) => (
          <button
            key={value}
            type="button"
            aria-pressed={direction === value}
            onClick={() => onDirection(value)}
          >
            {label}
          </button>
        ))}
      </fieldset>
      <p>
        {direction === "history"
          ? `History: ${messages} happened before it was sent.`
          : `Future: ${messages} sent after it ${unreceived ? "was sent (no receipt seen)" : "arrived"}.`}{" "}
        <span className="muted">The others are dimmed; Esc clears.</span>
      </p>
    </div>
  );
}
