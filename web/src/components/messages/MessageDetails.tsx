/**
 * The picked message in full: what it was, when it was sent and received, and how many
 * messages its causal history or future holds.
 */
import type { TimelineEntry } from "../../api/types.ts";
import type { CausalDirection, DiagramArrow } from "../../model/messages.ts";
import { CausalSummary } from "./CausalSummary.tsx";

export function MessageDetails({
  arrow,
  causality,
  onDirection,
}: {
  arrow: DiagramArrow | null;
  causality: { direction: CausalDirection; count: number } | null;
  onDirection: (direction: CausalDirection) => void;
}) {
  return (
    <aside className="messages-details" aria-label="Message details" aria-live="polite">
      {arrow === null ? (
        <p className="muted">
          Click an arrow (or focus it and press Enter) to see the message and what caused it.
        </p>
      ) : (
        <>
          {causality !== null && (
            <CausalSummary arrow={arrow} {...causality} onDirection={onDirection} />
          )}
          <dl>
            <dt>Type</dt>
            <dd>
              <span className={`class-dot class-${arrow.messageClass}`} aria-hidden="true" />
              {arrow.messageType} <span className="muted">({arrow.messageClass})</span>
            </dd>
            <dt>From → to</dt>
            <dd>
              {arrow.from} → {arrow.to}
            </dd>
            <dt>Summary</dt>
            <dd className="mono">{arrow.summary}</dd>
            <dt>Sent</dt>
            <dd>{momentOf(arrow.sendEntry)}</dd>
            <dt>Received</dt>
            <dd>
              {arrow.receiveEntry === null
                ? "no receipt seen (lost, or still in flight)"
                : momentOf(arrow.receiveEntry)}
            </dd>
            {notesOf(arrow).map((note) => (
              <dd key={note} className="messages-note">
                {note}
              </dd>
            ))}
          </dl>
        </>
      )}
    </aside>
  );
}

function momentOf(entry: TimelineEntry): string {
  const datagram =
    entry.event.kind === "message" && entry.event.messageClock !== undefined
      ? ` (datagram ${entry.event.messageClock})`
      : "";
  const time = new Date(entry.at).toLocaleTimeString(undefined, {
    hour12: false,
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    fractionalSecondDigits: 3,
  });
  return `seq ${entry.seq} · ${time} · clock ${entry.clock}${datagram}`;
}

function notesOf(arrow: DiagramArrow): string[] {
  const notes: string[] = [];
  if (arrow.retransmission) notes.push("↻ retransmission: a resend of a datagram already sent");
  if (arrow.failure) notes.push("! failure: the manager refused the request");
  if (arrow.band !== null) {
    notes.push(
      `bulk store: ${arrow.band.records} records in ${arrow.band.datagrams} datagrams, one band`,
    );
  }
  return notes;
}
