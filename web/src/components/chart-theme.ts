/** The dark theme the recharts charts share (recharts takes colours as props, not CSS). */
export const GRID_THEME = { stroke: "var(--border)", strokeDasharray: "3 3", vertical: false };

export const AXIS_THEME = { stroke: "var(--border)", tick: { fill: "var(--muted)", fontSize: 12 } };

export const TOOLTIP_THEME = {
  cursor: { fill: "rgba(255, 255, 255, 0.05)" },
  contentStyle: {
    background: "var(--panel-2)",
    border: "1px solid var(--border)",
    borderRadius: 6,
  },
  labelStyle: { color: "var(--text)" },
  itemStyle: { color: "var(--text)" },
};
