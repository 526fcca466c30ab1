/**
 * A small SVG line-and-point chart for the benchmarks' results: a few series on linear
 * axes with ticks, a title, axis labels and a legend. Self-contained text, so a plot can
 * be committed beside its JSON and served to the dashboard as it is.
 */

export interface PlotSeries {
  name: string;
  points: [x: number, y: number][];
  /** Draw the points only, without joining them (a scatter). */
  pointsOnly?: boolean;
}

export interface Plot {
  title: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
}

const WIDTH = 700;
const HEIGHT = 400;
const MARGIN = { left: 70, right: 210, top: 40, bottom: 50 };
// Ten, so a plot of up to ten series never gives two the same colour.
const COLOURS = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#9467bd",
  "#ff7f0e",
  "#17becf",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
];
const TICKS = 5;

const escapeXml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** A tick step of 1, 2 or 5 times a power of ten that gives about TICKS ticks. */
function tickStep(span: number): number {
  const rough = span / TICKS;
  const power = 10 ** Math.floor(Math.log10(rough));
  const scaled = rough / power;
  return (scaled < 1.5 ? 1 : scaled < 3.5 ? 2 : scaled < 7.5 ? 5 : 10) * power;
}

function axisRange(values: number[]): { low: number; high: number; step: number } {
  const high = Math.max(...values, 0) || 1;
  // Whole-number values (ring sizes, replicas) get whole-number ticks.
  const whole = values.every((value) => Number.isInteger(value));
  const step = whole ? Math.max(1, tickStep(high)) : tickStep(high);
  return { low: 0, high: Math.ceil(high / step) * step, step };
}

const label = (value: number) =>
  Math.abs(value) >= 1e6
    ? `${value / 1e6}M`
    : Math.abs(value) >= 1e3
      ? `${value / 1e3}k`
      : String(Number(value.toPrecision(4)));

export function renderPlot(plot: Plot): string {
  const points = plot.series.flatMap((series) => series.points);
  const xs = axisRange(points.map(([x]) => x));
  const ys = axisRange(points.map(([, y]) => y));
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => MARGIN.left + ((x - xs.low) / (xs.high - xs.low)) * innerWidth;
  const py = (y: number) =>
    MARGIN.top + innerHeight - ((y - ys.low) / (ys.high - ys.low)) * innerHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(plot.title)}</text>`,
  ];
  for (let x = xs.low; x <= xs.high + xs.step / 2; x += xs.step) {
    parts.push(
      `<line x1="${px(x)}" y1="${MARGIN.top}" x2="${px(x)}" y2="${MARGIN.top + innerHeight}" stroke="#e5e5e5"/>`,
      `<text x="${px(x)}" y="${MARGIN.top + innerHeight + 16}" text-anchor="middle">${label(x)}</text>`,
    );
  }
  for (let y = ys.low; y <= ys.high + ys.step / 2; y += ys.step) {
    parts.push(
      `<line x1="${MARGIN.left}" y1="${py(y)}" x2="${MARGIN.left + innerWidth}" y2="${py(y)}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 6}" y="${py(y) + 4}" text-anchor="end">${label(y)}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${innerWidth}" height="${innerHeight}" fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + innerWidth / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escapeXml(plot.xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + innerHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(plot.yLabel)}</text>`,
  );
  plot.series.forEach((series, index) => {
    const colour = COLOURS[index % COLOURS.length];
    const sorted = [...series.points].sort(([a], [b]) => a - b);
    if (!series.pointsOnly && sorted.length > 1) {
      const path = sorted.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ");
      parts.push(`<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    }
    for (const [x, y] of sorted) {
      parts.push(
        `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3.5" fill="${colour}"/>`,
      );
    }
    const legendY = MARGIN.top + 10 + index * 18;
    const legendX = MARGIN.left + innerWidth + 14;
    parts.push(
      `<rect x="${legendX}" y="${legendY - 8}" width="10" height="10" fill="${colour}"/>`,
      `<text x="${legendX + 16}" y="${legendY + 1}">${escapeXml(series.name)}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
