/** Where lanes and rows of the diagram sit in the SVG, in pixels. */
export const ROW_HEIGHT = 18;
const TOP = 8;
/** Room left of the first lane and right of the last, for their titles and arrowheads. */
export const LANE_MARGIN = 48;

export function rowY(row: number): number {
  return TOP + row * ROW_HEIGHT + ROW_HEIGHT / 2;
}

export function heightFor(rows: number): number {
  return 2 * TOP + Math.max(rows, 4) * ROW_HEIGHT;
}

/** A triangle arrowhead pointing along (x1,y1)→(x2,y2), its tip at (x2,y2). */
export function arrowhead(x1: number, y1: number, x2: number, y2: number): string {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const length = 8;
  const spread = 0.45;
  const corner = (turn: number) =>
    `${x2 - length * Math.cos(angle + turn)},${y2 - length * Math.sin(angle + turn)}`;
  return `${x2},${y2} ${corner(spread)} ${corner(-spread)}`;
}
