/**
 * Records held per ring member against the expected share l/n: the hash spreads a year's
 * records evenly, so every bar should sit near the line. While a build or rebuild stores
 * records, a progress bar shows how far it has got.
 */
import { formatCount, formatDeviation } from "../model/format.ts";
import { type RecordsPicture, recordsPicture } from "../model/records.ts";
import type { View } from "../model/view.ts";
import { memoByValue } from "./memo-by-value.ts";
import { RecordsPlot } from "./records/RecordsPlot.tsx";
import { RecordsTable } from "./records/RecordsTable.tsx";
import { StoreProgress } from "./records/StoreProgress.tsx";
import "./RecordsChart.css";

export function RecordsChart({ view }: { view: View }) {
  const picture = recordsPicture(view);
  return (
    <section className="panel records-chart" aria-label="Records">
      <h2>Records per node</h2>
      {picture.storing !== null && <StoreProgress activity={picture.storing} />}
      {view.dht === null || picture.members.length === 0 ? (
        <p className="muted records-empty">
          No DHT: set one up to see how its records spread over the ring.
        </p>
      ) : (
        <RecordsBars picture={picture} year={view.dht.year} animate={picture.storing === null} />
      )}
    </section>
  );
}

const RecordsBars = memoByValue(function RecordsBars({
  picture,
  year,
  animate,
}: {
  picture: RecordsPicture;
  year: string;
  animate: boolean;
}) {
  const { members, expectedShare, yearRecords, spread, replicated } = picture;
  return (
    <>
      <p className="records-summary muted">
        l = {formatCount(yearRecords)} records of {year} over n = {members.length} nodes; expected
        share l/n = {formatCount(expectedShare ?? 0)}
        {replicated && " primaries"}
        {spread !== null &&
          `; nodes hold ${formatDeviation(spread.lowest)} to ${formatDeviation(spread.highest)} of it`}
        {replicated && "; stacked on them, each node's copies of its left neighbours' primaries"}
      </p>
      {replicated && (
        <ul className="chart-legend records-legend" aria-hidden="true">
          <li className="primary">primary (the leader's in its colour)</li>
          <li className="copies">copies</li>
        </ul>
      )}
      <RecordsPlot
        members={members}
        expectedShare={expectedShare}
        replicated={replicated}
        animate={animate}
      />
      <RecordsTable members={members} expectedShare={expectedShare} replicated={replicated} />
    </>
  );
});
