/**
 * A bar per ring member for the records it holds (the leader's in its own colour), and the
 * expected share l/n as a dashed line. On a replicated ring each bar stacks the member's
 * primaries (what l/n speaks of) and, above them, its copies of other nodes' primaries.
 */
import {
  Bar,
  Cell,
  ReferenceLine,
  Tooltip,
  XAxis,
  type XAxisTickContentProps,
  YAxis,
} from "recharts";
import { formatCount } from "../../model/format.ts";
import { type MemberRecords, recordsAxisTop } from "../../model/records.ts";
import { BarPlot } from "../BarPlot.tsx";
import { AXIS_THEME, TOOLTIP_THEME } from "../chart-theme.ts";
import "../RecordsChart.css";

export function RecordsPlot({
  members,
  expectedShare,
  replicated,
  animate,
}: {
  members: MemberRecords[];
  expectedShare: number | null;
  /** Stack primaries and copies. */
  replicated: boolean;
  animate: boolean;
}) {
  const bar = { isAnimationActive: animate, animationDuration: 300 };
  const top: [number, number, number, number] = [3, 3, 0, 0];
  return (
    <BarPlot className="records-plot" data={members} marginTop={18}>
      <XAxis
        dataKey="label"
        height={40}
        interval={members.length <= 10 ? 0 : "preserveStartEnd"}
        tick={MemberTick}
        stroke="var(--border)"
      />
      <YAxis
        width={52}
        domain={[0, (highest: number) => recordsAxisTop(Math.max(highest, expectedShare ?? 0))]}
        {...AXIS_THEME}
        tickFormatter={(value: number) => formatCount(value)}
      />
      <Tooltip
        {...TOOLTIP_THEME}
        formatter={(value, name) => [formatCount(Number(value)), String(name)]}
      />
      <Bar
        dataKey={replicated ? "primary" : "records"}
        name={replicated ? "primary" : "records"}
        stackId="held"
        radius={replicated ? undefined : top}
        {...bar}
      >
        {members.map((member) => (
          <Cell key={member.id} fill={member.id === 0 ? "var(--leader)" : "var(--class-build)"} />
        ))}
      </Bar>
      {replicated && (
        <Bar
          dataKey="copies"
          name="copies"
          stackId="held"
          radius={top}
          fill="var(--copies)"
          stroke="var(--class-build)"
          {...bar}
        />
      )}
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
    </BarPlot>
  );
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
