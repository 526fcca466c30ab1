/**
 * Query latency and hop counts over time, with the faults made meanwhile shaded: a kill or
 * a pause (until the peer runs again), a loss (while it is set), a dropped message (a
 * line). Up to the cursor, like every panel; the same told in text for screen readers.
 */
import { useMemo } from "react";
import {
  CartesianGrid,
  ComposedChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { type FaultKind, faultIntervals } from "../model/faults.ts";
import { formatCount, formatOneDecimal } from "../model/format.ts";
import { type EventLog, logUpTo } from "../model/log.ts";
import type { QueryRun } from "../model/queries.ts";
import {
  type FaultSpan,
  faultSpans,
  type QueryTiming,
  queryTimings,
  shadedBands,
} from "../model/query-timing.ts";
import { AXIS_THEME, GRID_THEME, TOOLTIP_THEME } from "./chart-theme.ts";
import { memoByValue } from "./memo-by-value.ts";
import "./QueryTimingChart.css";

const FAULT_COLOUR: Record<FaultKind, string> = {
  crash: "var(--danger)",
  pause: "var(--warn)",
  loss: "var(--class-churn)",
  drop: "var(--class-manager)",
};

export function QueryTimingChart({
  log,
  cursor,
  queries,
}: {
  log: EventLog;
  cursor: number;
  /** The walks at the cursor, the shown one only as far as its replay has got. */
  queries: QueryRun[];
}) {
  const { timings, spans, end } = useMemo(() => {
    const shown = logUpTo(log, cursor);
    const start = shown.entries[0]?.at ?? 0;
    return {
      timings: queryTimings(shown, queries),
      spans: faultSpans(shown, faultIntervals(shown)),
      end: ((shown.entries.at(-1)?.at ?? start) - start) / 1000,
    };
  }, [log, cursor, queries]);
  return (
    <section className="panel query-timing" aria-label="Query latency and hops">
      <h2>Query latency and hops over time</h2>
      {timings.length === 0 && spans.length === 0 ? (
        <p className="muted">
          No answered query or fault yet: run queries, then kill, pause or slow a peer (Node
          inspector) to see what it does to them.
        </p>
      ) : (
        <>
          <TimingPlot timings={timings} spans={spans} end={Math.max(1, end)} />
          <ul className="chart-legend query-timing-legend">
            <li className="latency">latency (ms, left)</li>
            <li className="hops">hops: id-seq length (right)</li>
          </ul>
          <FaultList spans={spans} />
          <p className="visually-hidden">
            {timings.length} answered queries, latency{" "}
            {timings.map((each) => `${formatCount(each.latencyMs)} ms`).join(", ")}.
          </p>
        </>
      )}
    </section>
  );
}

const TimingPlot = memoByValue(function TimingPlot({
  timings,
  spans,
  end,
}: {
  timings: QueryTiming[];
  spans: FaultSpan[];
  end: number;
}) {
  const slowest = Math.max(100, ...timings.map((each) => each.latencyMs));
  const longest = Math.max(1, ...timings.map((each) => each.hops));
  return (
    <div className="query-timing-plot" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart margin={{ top: 8, right: 4, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid {...GRID_THEME} />
          <XAxis
            type="number"
            dataKey="at"
            domain={[0, end]}
            tickFormatter={(seconds: number) => `${Math.round(seconds)} s`}
            {...AXIS_THEME}
          />
          <YAxis yAxisId="latency" width={44} domain={[0, slowest]} {...AXIS_THEME} />
          <YAxis
            yAxisId="hops"
            orientation="right"
            width={24}
            allowDecimals={false}
            domain={[0, longest]}
            {...AXIS_THEME}
          />
          {shadedBands(spans).map((span) =>
            span.kind === "drop" ? (
              <ReferenceLine
                key={`${span.kind}:${span.from}:${span.label}`}
                yAxisId="latency"
                x={span.from}
                stroke={FAULT_COLOUR.drop}
                strokeDasharray="3 3"
              />
            ) : (
              <ReferenceArea
                key={`${span.kind}:${span.from}:${span.label}`}
                yAxisId="latency"
                x1={span.from}
                x2={Math.max(span.to, span.from + end / 200)}
                fill={FAULT_COLOUR[span.kind]}
                fillOpacity={0.18}
                stroke="none"
              />
            ),
          )}
          <Tooltip {...TOOLTIP_THEME} />
          <Scatter
            name="latency (ms)"
            yAxisId="latency"
            data={timings}
            dataKey="latencyMs"
            fill="var(--class-query)"
            isAnimationActive={false}
          />
          <Scatter
            name="hops"
            yAxisId="hops"
            data={timings}
            dataKey="hops"
            fill="var(--accent)"
            shape="diamond"
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
});

/** The faults shaded, in words: a list rather than labels in the plot, which would overlap. */
function FaultList({ spans }: { spans: FaultSpan[] }) {
  if (spans.length === 0) return <p className="muted">No fault yet.</p>;
  return (
    <ol className="chart-legend query-timing-faults" aria-label="Faults">
      {spans.map((span) => (
        <li key={`${span.kind}:${span.from}:${span.label}`} className={`fault fault-${span.kind}`}>
          {span.label}{" "}
          <span className="muted mono">
            {span.kind === "drop"
              ? `at ${formatOneDecimal(span.from)} s`
              : span.ongoing
                ? `since ${formatOneDecimal(span.from)} s`
                : `${formatOneDecimal(span.from)}–${formatOneDecimal(span.to)} s`}
          </span>
        </li>
      ))}
    </ol>
  );
}
