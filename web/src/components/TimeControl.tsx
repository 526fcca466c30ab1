/**
 * Time control over the event log: live, pause, step, scrub and replay speed. Keyboard:
 * Space pauses or plays, arrows step, L goes live, + and - change the speed.
 */
import { firstSeq, lastSeq } from "../model/log.ts";
import { cursorOf, SPEEDS, timeControl, useDashboard } from "../model/store.ts";
import { usePageKeys } from "./keyboard.ts";
import "./TimeControl.css";

export function TimeControl() {
  const dashboard = useDashboard();
  const cursor = cursorOf(dashboard);
  const first = Math.max(0, firstSeq(dashboard.log) - 1);
  const last = lastSeq(dashboard.log);
  const live = dashboard.pinned === null;
  usePageKeys(KEYS);
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
      <input
        type="range"
        aria-label="Time cursor"
        min={first}
        max={Math.max(first, last)}
        value={cursor}
        onChange={(event) => timeControl.seek(Number(event.target.value))}
      />
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
