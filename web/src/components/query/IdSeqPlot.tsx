/** The id-seq length histogram's bars, one per length 1..n, with the theory (n+1)/2 as a line. */
import { Bar, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { IdSeqHistogram } from "../../model/queries.ts";
import { BarPlot } from "../BarPlot.tsx";
import { AXIS_THEME, TOOLTIP_THEME } from "../chart-theme.ts";
import "./IdSeqHistogram.css";

export function IdSeqPlot({
  bins,
  ringSize,
  theory,
}: {
  bins: IdSeqHistogram["bins"];
  ringSize: number;
  /** The expected mean length, (n + 1) / 2. */
  theory: number;
}) {
  const lengths = bins.map((bin) => bin.length);
  const tallest = Math.max(1, ...bins.map((bin) => bin.count));
  return (
    <BarPlot className="id-seq-plot" data={bins} marginTop={16}>
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
    </BarPlot>
  );
}
