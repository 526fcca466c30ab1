/**
 * A peer card's first line: its name (a Free peer's is a button that picks it to query),
 * its status, and its node id and records once it is in the ring; on a replicated ring
 * the records, split into primaries and copies, have a line of their own below.
 */
import { holdsCopies, recordsLine } from "../../model/peer-card.ts";
import type { DaemonAtCursor } from "../../model/view.ts";
import "./PeerCard.css";

export function PeerCardHead({
  daemon,
  selected,
  onSelect,
}: {
  daemon: DaemonAtCursor;
  /** This peer is the one that queries. */
  selected: boolean;
  onSelect: () => void;
}) {
  const { id, name, status, snapshot } = daemon;
  const inRing = snapshot?.id !== null && snapshot?.id !== undefined;
  const split = inRing && snapshot !== null && holdsCopies(snapshot);
  return (
    <>
      <header className="peer-card-head">
        {status === "Free" ? (
          <button
            type="button"
            className="peer-name"
            aria-pressed={selected}
            title="query from this peer"
            onClick={onSelect}
          >
            {name}
          </button>
        ) : (
          <span className="peer-name">{name ?? id}</span>
        )}
        <span className="peer-badge">{status}</span>
        {inRing && snapshot !== null && (
          <span className="peer-ring mono">
            node {snapshot.id}
            {snapshot.ringSize !== null && `/${snapshot.ringSize}`}
            {!split && ` · ${recordsLine(snapshot)}`}
          </span>
        )}
      </header>
      {split && snapshot !== null && <p className="peer-records mono">{recordsLine(snapshot)}</p>}
    </>
  );
}
