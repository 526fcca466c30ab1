/** How the dashboard writes a count or a share of one: 48,534 (rounded to a whole). */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString("en-US");
}

/** A deviation (a fraction) as a signed percentage: −0.2%, +0.1%. */
export function formatDeviation(fraction: number): string {
  return `${fraction < 0 ? "−" : "+"}${Math.abs(fraction * 100).toFixed(1)}%`;
}

/** At most one decimal, none when whole: 2.6, 3. */
export function formatOneDecimal(value: number): string {
  return String(Number(value.toFixed(1)));
}
