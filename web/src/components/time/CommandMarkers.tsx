/**
 * A tick under the time cursor per command and fault (`command-markers.ts`), coloured by
 * kind; a click jumps there as `Next command` does.
 */
import type { CSSProperties } from "react";
import { type CommandMarker, markerOffset } from "../../model/command-markers.ts";
import "./CommandMarkers.css";

export function CommandMarkers({
  markers,
  first,
  last,
  current,
  onJump,
}: {
  markers: readonly CommandMarker[];
  first: number;
  last: number;
  /** The seq of the marker the cursor is at, if any. */
  current: number | null;
  onJump: (marker: CommandMarker) => void;
}) {
  return (
    <ol className="command-markers" aria-label="Command markers">
      {markers.map((marker) => (
        <li
          key={`${marker.seq}:${marker.kind}:${marker.label}`}
          className={`command-marker kind-${marker.kind}${marker.seq === current ? " current" : ""}`}
          style={{ "--at": markerOffset(marker.seq, first, last) } as CSSProperties}
        >
          {/* Out of the tab order: Next command and Previous command reach them by key. */}
          <button
            type="button"
            tabIndex={-1}
            title={`${marker.label} (event ${marker.seq})`}
            onClick={() => onJump(marker)}
          >
            <span className="visually-hidden">
              {marker.label} at event {marker.seq}
            </span>
          </button>
        </li>
      ))}
    </ol>
  );
}
