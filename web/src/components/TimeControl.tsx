/**
 * Time control over the event log: live, pause, step, scrub and replay speed, and a
 * marker per command on the time line with `Previous command` and `Next command`.
 * Keyboard: Space pauses or plays, arrows step, L goes live, + and - change the speed,
 * Shift+P and Shift+N jump to the previous and next command.
 */
import { useMemo, useRef } from "react";
import { adjacentMarker, type CommandMarker, commandMarkers } from "../model/command-markers.ts";
import { firstSeq, lastSeq } from "../model/log.ts";
import type { QueryRun } from "../model/queries.ts";
import {
  cursorOf,
  hopControl,
  SPEEDS,
  selection,
  timeControl,
  useDashboard,
} from "../model/store.ts";
import { usePageKeys } from "./keyboard.ts";
import { ReasonedButton } from "./ReasonedButton.tsx";
import { CommandMarkers } from "./time/CommandMarkers.tsx";
import "./TimeControl.css";

/** Moves the cursor to a marker; a query's walk is then replayed from hop 0. */
function jumpTo(marker: CommandMarker | null): void {
  if (marker === null) return;
  timeControl.seek(marker.seq);
  if (marker.queryKey === null) return;
  selection.replay(marker.queryKey);
  hopControl.restart(marker.queryKey);
}

/** `queries`: the walks of the whole log, which name each query marker's walk. */
export function TimeControl({ queries }: { queries: QueryRun[] }) {
  const dashboard = useDashboard();
  const cursor = cursorOf(dashboard);
  const first = Math.max(0, firstSeq(dashboard.log) - 1);
  const last = lastSeq(dashboard.log);
  const live = dashboard.pinned === null;
  const markers = useMemo(() => commandMarkers(dashboard.log, queries), [dashboard.log, queries]);
  const previous = adjacentMarker(markers, cursor, -1);
  const next = adjacentMarker(markers, cursor, 1);
  const neighbours = useRef({ previous, next });
  neighbours.current = { previous, next };
  usePageKeys(KEYS);
  usePageKeys(
    useMemo(
      () =>
        Object.fromEntries([
          ["P", () => jumpTo(neighbours.current.previous)],
          ["N", () => jumpTo(neighbours.current.next)],
        ]),
      [],
    ),
  );
  return (
    <section className="time-control" aria-label="Time control">
      <button
        type="button"
        aria-label={live || dashboard.playing ? "Pause" : "Play"}
        onClick={() => (live || dashboard.playing ? timeControl.pause() : timeControl.play())}
      >
        {live || dashboard.playing ? "❚❚" : "▶"}
      </button>
      <button type="button" aria-label="Step back" onClick={() => timeControl.step(-1)}>
        ◀
      </button>
      <button type="button" aria-label="Step forward" onClick={() => timeControl.step(1)}>
        ▶|
      </button>
      <ReasonedButton
        aria-label="Previous command"
        title="back to the previous command (Shift+P)"
        reason={previous === null ? "no command before the cursor" : null}
        onClick={() => jumpTo(previous)}
      >
        ⇤
      </ReasonedButton>
      <div className="time-line">
        <input
          type="range"
          aria-label="Time cursor"
          min={first}
          max={Math.max(first, last)}
          value={cursor}
          onChange={(event) => timeControl.seek(Number(event.target.value))}
        />
        <CommandMarkers
          markers={markers}
          first={first}
          last={Math.max(first, last)}
          current={markers.find((marker) => marker.seq === cursor)?.seq ?? null}
          onJump={jumpTo}
        />
      </div>
      <ReasonedButton
        aria-label="Next command"
        title="on to the next command (Shift+N)"
        reason={next === null ? "no command after the cursor" : null}
        onClick={() => jumpTo(next)}
      >
        ⇥
      </ReasonedButton>
      <span className="time-position mono" aria-live="off">
        {cursor}/{last}
      </span>
      <label className="time-speed">
        Speed
        <select
          value={dashboard.speed}
          onChange={(event) => timeControl.setSpeed(Number(event.target.value))}
        >
          {SPEEDS.map((speed) => (
            <option key={speed} value={speed}>
              {speed}×
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className={live ? "live-badge on" : "live-badge"}
        aria-pressed={live}
        onClick={() => timeControl.live()}
      >
        <span className="live-dot" aria-hidden="true" />
        Live
      </button>
    </section>
  );
}

const KEYS: Record<string, () => void> = {
  " ": () => {
    if (timeControl.isRunning()) timeControl.pause();
    else timeControl.play();
  },
  ArrowLeft: () => timeControl.step(-1),
  ArrowRight: () => timeControl.step(1),
  l: () => timeControl.live(),
  "+": () => timeControl.faster(1),
  "-": () => timeControl.faster(-1),
};
