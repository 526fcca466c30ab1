/** The years the data folder holds, as the setup-dht form offers them. */

export interface DataYears {
  dataDir: string;
  years: readonly string[];
}

/**
 * The year the form shows after the list (re)loads: one just fetched (the user wants it),
 * else the one already chosen if still there, else the newest.
 */
export function yearToPick(loaded: DataYears, chosen: string, fetched: string | null): string {
  if (fetched !== null && loaded.years.includes(fetched)) return fetched;
  if (loaded.years.includes(chosen)) return chosen;
  return loaded.years.at(-1) ?? "";
}

/** Why setup-dht cannot be sent for want of a year, or null; `years` is null while loading. */
export function whyNoYear(years: DataYears | null): string | null {
  if (years === null) return "loading the years the data folder holds";
  if (years.years.length === 0) return `no year's data in ${years.dataDir}: fetch one below`;
  return null;
}
