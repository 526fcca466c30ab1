/**
 * Event ids to query a year with: some drawn from its records (found) and some in the
 * span of its ids that no record has (missing), so a page can pick a query that it knows
 * the answer to without holding 48,534 ids.
 */

export interface SampleIds {
  found: number[];
  missing: number[];
}

/** Up to `count` distinct ids of a year's and `count` absent ids between their least and greatest. */
export function sampleIds(
  ids: readonly number[],
  count: number,
  random: () => number = Math.random,
): SampleIds {
  const present = new Set(ids);
  const found = new Set<number>();
  for (let tries = 0; found.size < Math.min(count, present.size) && tries < count * 20; tries++) {
    const id = ids[Math.floor(random() * ids.length)];
    if (id !== undefined) found.add(id);
  }
  // A loop, not Math.min(...ids): a year of 70,000 records is too many arguments.
  let least = Number.POSITIVE_INFINITY;
  let greatest = Number.NEGATIVE_INFINITY;
  for (const id of ids) {
    least = Math.min(least, id);
    greatest = Math.max(greatest, id);
  }
  const span = greatest - least + 1;
  const missing = new Set<number>();
  for (let tries = 0; missing.size < count && tries < count * 20 && ids.length > 0; tries++) {
    const id = least + Math.floor(random() * span);
    if (!present.has(id)) missing.add(id);
  }
  return { found: [...found], missing: [...missing] };
}
