/**
 * How many members each answered walk visited, against the theory: every hop picks the
 * next member uniformly at random among those not yet visited, so the owner is equally
 * likely to be visited 1st, 2nd, ... or nth, and the mean id-seq length is (n + 1) / 2.
 */
import { formatOneDecimal } from "../../model/format.ts";
import { expectedIdSeqLength, idSeqHistogram, type QueryRun } from "../../model/queries.ts";
import { memoByValue } from "../memo-by-value.ts";
import { IdSeqPlot } from "./IdSeqPlot.tsx";
import "./IdSeqHistogram.css";

export function IdSeqHistogram({
  queries,
  ringSize,
}: {
  queries: QueryRun[];
  ringSize: number | null;
}) {
  return (
    <section className="id-seq-histogram" aria-label="id-seq lengths">
      <h3>id-seq lengths</h3>
      {ringSize === null ? (
        <p className="muted">No DHT: nothing to compare walks with.</p>
      ) : (
        <Histogram histogram={idSeqHistogram(queries, ringSize)} ringSize={ringSize} />
      )}
    </section>
  );
}

const Histogram = memoByValue(function Histogram({
  histogram,
  ringSize,
}: {
  histogram: ReturnType<typeof idSeqHistogram>;
  ringSize: number;
}) {
  const { bins, count, mean } = histogram;
  const theory = expectedIdSeqLength(ringSize);
  return (
    <>
      <p className="id-seq-stats">
        {mean === null
          ? `no answered queries over a ring of ${ringSize} yet`
          : `mean ${formatOneDecimal(mean)} over ${count} ${count === 1 ? "query" : "queries"}`}
        ; theory (n+1)/2 = {formatOneDecimal(theory)}
      </p>
      <p className="muted id-seq-why">
        The walk visits members in uniformly random order, so the owner is equally likely to come at
        any position 1..n.
      </p>
      <p className="visually-hidden">
        Queries by id-seq length: {bins.map((bin) => `${bin.length}: ${bin.count}`).join(", ")}.
      </p>
      <IdSeqPlot bins={bins} ringSize={ringSize} theory={theory} />
    </>
  );
});
