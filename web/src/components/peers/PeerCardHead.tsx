/**
 * A peer card's first line: its name (a Free peer's is a button that picks it to query),
 * its status, and its node id and records once it is in the ring.
 */
import { formatCount } from "../../model/format.ts";
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
  return (
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
      {inRing && (
        <span className="peer-ring mono">
          node {snapshot?.id}
          {snapshot?.ringSize !== null && `/${snapshot?.ringSize}`} ·{" "}
          {formatCount(snapshot?.recordsHeld ?? 0)} records
        </span>
      )}
    </header>
  );
}
