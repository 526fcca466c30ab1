/** How far a build or rebuild has got storing the year's records. */
import type { StoreActivity } from "../../model/records.ts";
import "./StoreProgress.css";
import { formatCount } from "../../model/format.ts";

export function StoreProgress({ activity }: { activity: StoreActivity }) {
  const { stored, total } = activity;
  const known = stored !== null && total !== null;
  return (
    <div className="store-progress">
      {known ? (
        <progress aria-label="Storing records" value={stored} max={Math.max(total, 1)} />
      ) : (
        <progress aria-label="Storing records" />
      )}
      <span className="store-progress-text">
        {known
          ? `stored ${formatCount(stored)} of ${formatCount(total)} records`
          : "storing records…"}
      </span>
    </div>
  );
}
