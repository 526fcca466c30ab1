/** What the recharts charts share: colours are props there, so var() strings that follow the theme. */
export const GRID_THEME = { stroke: "var(--border)", strokeDasharray: "3 3", vertical: false };

export const AXIS_THEME = { stroke: "var(--border)", tick: { fill: "var(--muted)", fontSize: 12 } };

export const TOOLTIP_THEME = {
  // recharts outlines the hovered column in #ccc unless told otherwise.
  cursor: { fill: "var(--hover-tint)", stroke: "none" },
  contentStyle: {
    background: "var(--panel-2)",
    border: "1px solid var(--border)",
    borderRadius: 6,
  },
  labelStyle: { color: "var(--text)" },
  itemStyle: { color: "var(--text)" },
};
