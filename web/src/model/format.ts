/** How the dashboard writes a count or a share of one: 48,534 (rounded to a whole). */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString("en-US");
}
