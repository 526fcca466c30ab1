/**
 * The frame both bar charts share: a recharts bar chart filling its box on the themed grid,
 * hidden from screen readers because each chart says the same in text beside it.
 */
import type { ReactNode } from "react";
import { BarChart, CartesianGrid, ResponsiveContainer } from "recharts";
import { GRID_THEME } from "./chart-theme.ts";

export function BarPlot<Datum>({
  className,
  data,
  marginTop,
  children,
}: {
  className: string;
  data: Datum[];
  /** Room above the bars for the reference line's label. */
  marginTop: number;
  /** The axes, tooltip, bars and reference line. */
  children: ReactNode;
}) {
  return (
    <div className={className} aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          data={data}
          margin={{ top: marginTop, right: 12, bottom: 0, left: 0 }}
          accessibilityLayer={false}
        >
          <CartesianGrid {...GRID_THEME} />
          {children}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
