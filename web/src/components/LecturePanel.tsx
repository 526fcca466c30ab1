/**
 * Lecture mode's caption bar, along the bottom of the page like subtitles: the step's
 * number and title, what it shows, the command it ran, and `Previous` / `Next`. Presenter
 * remotes send PageUp and PageDown; `.` (their blank-screen key) hides the caption.
 */

import { REPLAYING_SESSION } from "../model/acting.ts";
import { TOUR_STEPS } from "../model/tour.ts";
import { lecture, useTour } from "../model/tour-actions.ts";
import { usePageKeys } from "./keyboard.ts";
import { Spinner } from "./peers/Spinner.tsx";
import { ReasonedButton } from "./ReasonedButton.tsx";
import "./LecturePanel.css";

const LECTURE_KEYS: Record<string, () => void> = {
  PageDown: () => void lecture.next(),
  PageUp: () => void lecture.previous(),
  ".": () => lecture.blank(),
};

/** `replaying`: a recorded session, so no step can be run (one run already can be shown). */
export function LecturePanel({ replaying }: { replaying: boolean }) {
  const tour = useTour();
  usePageKeys(LECTURE_KEYS, tour.on);
  if (!tour.on) return null;
  const { shown, ran } = tour.progress;
  const step = TOUR_STEPS[shown];
  const last = shown === TOUR_STEPS.length - 1;
  // Going on from a step run already replays the log; running a new one needs the present.
  const nextRuns = ran[shown + 1] === undefined;
  const busy = tour.running === null ? null : `running ${tour.running}`;
  return (
    <section className={tour.blank ? "lecture-panel blank" : "lecture-panel"} aria-label="Lecture">
      <p className="lecture-step">
        {step === undefined
          ? `Lecture: the acceptance demo in ${TOUR_STEPS.length} steps. Next (PageDown) runs the first.`
          : `Step ${shown + 1} of ${TOUR_STEPS.length}: ${step.title}`}
      </p>
      {step !== undefined && <p className="lecture-caption">{step.caption}</p>}
      {tour.running !== null && (
        <p className="lecture-running mono" role="status">
          <Spinner /> {tour.running}
        </p>
      )}
      <div className="lecture-buttons">
        <ReasonedButton
          reason={busy ?? (shown < 0 ? "at the start" : null)}
          title="the step before, as it ended (PageUp)"
          onClick={() => void lecture.previous()}
        >
          Previous
        </ReasonedButton>
        <ReasonedButton
          className="primary"
          reason={
            busy ?? (last ? "the last step" : nextRuns && replaying ? REPLAYING_SESSION : null)
          }
          title={
            nextRuns ? "run the next step (PageDown)" : "the next step, from the log (PageDown)"
          }
          onClick={() => void lecture.next()}
        >
          Next
        </ReasonedButton>
      </div>
    </section>
  );
}
