/**
 * Records held per ring member against the expected share l/n: the hash spreads a year's
 * records evenly, so every bar should sit near the line. While a build or rebuild stores
 * records, a progress bar shows how far it has got.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  type XAxisTickContentProps,
  YAxis,
} from "recharts";
import { type RecordsPicture, recordsPicture } from "../model/records.ts";
import type { View } from "../model/view.ts";
import { StoreProgress } from "./records/StoreProgress.tsx";
import "./RecordsChart.css";
import { formatCount } from "../model/format.ts";
import { AXIS_THEME, GRID_THEME, TOOLTIP_THEME } from "./chart-theme.ts";
import { memoByValue } from "./memo-by-value.ts";

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
  const { members, expectedShare, yearRecords } = picture;
  return (
    <>
      <p className="records-summary muted">
        l = {formatCount(yearRecords)} records of {year} over n = {members.length} nodes; expected
        share l/n = {formatCount(expectedShare ?? 0)}
        {picture.spread !== null &&
          `; nodes hold ${percent(picture.spread.lowest)} to ${percent(picture.spread.highest)} of it`}
      </p>
      {/* The table below says the same to screen readers. */}
      <div className="records-plot" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            data={members}
            margin={{ top: 18, right: 12, bottom: 0, left: 0 }}
            accessibilityLayer={false}
          >
            <CartesianGrid {...GRID_THEME} />
            <XAxis
              dataKey="label"
              height={40}
              interval={members.length <= 10 ? 0 : "preserveStartEnd"}
              tick={MemberTick}
              stroke="var(--border)"
            />
            <YAxis
              width={52}
              domain={[0, (highest: number) => headroom(Math.max(highest, expectedShare ?? 0))]}
              {...AXIS_THEME}
              tickFormatter={(value: number) => formatCount(value)}
            />
            <Tooltip
              {...TOOLTIP_THEME}
              formatter={(value) => [formatCount(Number(value)), "records"]}
            />
            <Bar
              dataKey="records"
              isAnimationActive={animate}
              animationDuration={300}
              radius={[3, 3, 0, 0]}
            >
              {members.map((member) => (
                <Cell
                  key={member.id}
                  fill={member.id === 0 ? "var(--leader)" : "var(--class-build)"}
                />
              ))}
            </Bar>
            {expectedShare !== null && (
              <ReferenceLine
                y={expectedShare}
                ifOverflow="extendDomain"
                stroke="var(--warn)"
                strokeDasharray="6 4"
                label={{
                  value: "expected share",
                  position: "insideBottomRight",
                  fill: "var(--warn)",
                  fontSize: 12,
                }}
              />
            )}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="visually-hidden">
        <caption>Records held per node (expected share {formatCount(expectedShare ?? 0)})</caption>
        <thead>
          <tr>
            <th scope="col">node</th>
            <th scope="col">records</th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.id}>
              <th scope="row">{member.label}</th>
              <td>{formatCount(member.records)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
});

/** A deviation as a signed percentage: −0.2%, +0.1%. */
function percent(fraction: number): string {
  return `${fraction < 0 ? "−" : "+"}${Math.abs(fraction * 100).toFixed(1)}%`;
}

/** Room above the tallest bar for the "expected share" label, rounded to a readable tick. */
function headroom(highest: number): number {
  const padded = highest * 1.15;
  const step = 10 ** Math.max(0, Math.floor(Math.log10(padded)) - 1);
  return Math.ceil(padded / step) * step;
}

/** "id name" on two lines, so names do not run into each other. */
function MemberTick({ x, y, payload }: XAxisTickContentProps) {
  const [id, ...name] = String(payload.value).split(" ");
  return (
    <text x={x} y={y} textAnchor="middle" fill="var(--muted)" fontSize={12}>
      <tspan x={x} dy="0.9em" className="mono">
        {id}
      </tspan>
      <tspan x={x} dy="1.2em">
        {name.join(" ")}
      </tspan>
    </text>
  );
}
