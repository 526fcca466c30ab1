/** How the current (or last) fetch of a year is going, announced politely. */
import { describeJob } from "../../model/commands.ts";
import { Spinner } from "./Spinner.tsx";
import type { YearFetch } from "./useYearFetch.ts";
import "./PeerForm.css";

export function FetchYearProgress({ yearFetch }: { yearFetch: YearFetch }) {
  const { year, job } = yearFetch;
  const shown = job?.year ?? year;
  return (
    <output className="fetch-progress" aria-live="polite">
      {year !== null && <Spinner />}
      {shown !== null && (job === null ? `${shown}: starting` : describeJob(job))}
    </output>
  );
}
