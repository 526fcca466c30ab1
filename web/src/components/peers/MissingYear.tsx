/** Offers to fetch the year a command failed for lack of. */
import { FetchYearProgress } from "./FetchYearProgress.tsx";
import type { YearFetch } from "./useYearFetch.ts";
import "./PeerCard.css";

export function MissingYear({
  year,
  yearFetch,
  showProgress,
}: {
  year: string;
  yearFetch: YearFetch;
  /** False while the setup-dht form is open: it shows the same fetch's progress. */
  showProgress: boolean;
}) {
  return (
    <div className="peer-missing-year" role="status">
      <span>{year}'s data is missing.</span>
      <button
        type="button"
        disabled={yearFetch.year !== null}
        onClick={() => yearFetch.start(year)}
      >
        Fetch {year}
      </button>
      {showProgress && <FetchYearProgress yearFetch={yearFetch} />}
    </div>
  );
}
