/** Kept free of imports: the dashboard bundles it to read a query's printed record. */

/** The label of each field, in record order, as a querying peer prints them. */
export const FIELD_LABELS = [
  "event id",
  "state",
  "year",
  "month name",
  "event type",
  "cz type",
  "cz name",
  "injuries direct",
  "injuries indirect",
  "deaths direct",
  "deaths indirect",
  "damage property",
  "damage crops",
  "tor f scale",
] as const;
