/**
 * How many members each answered walk visited, against the theory: every hop picks the
 * next member uniformly at random among those not yet visited, so the owner is equally
 * likely to be visited 1st, 2nd, ... or nth, and the mean id-seq length is (n + 1) / 2.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { expectedIdSeqLength, idSeqHistogram, type QueryRun } from "../../model/queries.ts";
import "./IdSeqHistogram.css";
import { AXIS_THEME, GRID_THEME, TOOLTIP_THEME } from "../chart-theme.ts";
import { memoByValue } from "../memo-by-value.ts";

/** At most one decimal, none when whole: 2.6, 3. */
function short(value: number): string {
  return String(Number(value.toFixed(1)));
}

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
  const lengths = bins.map((bin) => bin.length);
  const tallest = Math.max(1, ...bins.map((bin) => bin.count));
  return (
    <>
      <p className="id-seq-stats">
        {mean === null
          ? `no answered queries over a ring of ${ringSize} yet`
          : `mean ${short(mean)} over ${count} ${count === 1 ? "query" : "queries"}`}
        ; theory (n+1)/2 = {short(theory)}
      </p>
      <p className="muted id-seq-why">
        The walk visits members in uniformly random order, so the owner is equally likely to come at
        any position 1..n.
      </p>
      <p className="visually-hidden">
        Queries by id-seq length: {bins.map((bin) => `${bin.length}: ${bin.count}`).join(", ")}.
      </p>
      <div className="id-seq-plot" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            data={bins}
            margin={{ top: 16, right: 12, bottom: 0, left: 0 }}
            accessibilityLayer={false}
          >
            <CartesianGrid {...GRID_THEME} />
            <XAxis
              dataKey="length"
              type="number"
              domain={[0.5, ringSize + 0.5]}
              ticks={lengths}
              {...AXIS_THEME}
            />
            <YAxis
              width={28}
              allowDecimals={false}
              domain={[0, Math.max(1, tallest)]}
              tickCount={Math.min(tallest, 4) + 1}
              {...AXIS_THEME}
            />
            <Tooltip
              {...TOOLTIP_THEME}
              labelFormatter={(length) => `id-seq length ${length}`}
              formatter={(value) => [String(value), "queries"]}
            />
            <Bar dataKey="count" fill="var(--class-query)" isAnimationActive={false} />
            <ReferenceLine
              x={theory}
              stroke="var(--warn)"
              strokeDasharray="6 4"
              label={{ value: "(n+1)/2", position: "top", fill: "var(--warn)", fontSize: 12 }}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </>
  );
});
