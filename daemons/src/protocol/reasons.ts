/** Machine-readable reasons a manager or peer gives with a FAILURE (PROTOCOL.md section 2). */
export const FAILURE_REASONS = [
  "BAD_NAME",
  "DUPLICATE_NAME",
  "PORT_IN_USE",
  "BAD_ARGUMENT",
  "NOT_REGISTERED",
  "N_TOO_SMALL",
  "TOO_FEW_PEERS",
  "DHT_EXISTS",
  "NOT_LEADER",
  "NO_DHT",
  "NOT_FREE",
  "NOT_IN_DHT",
  "NOT_CHURNING",
  "IN_DHT",
  "NOT_YOURS",
  "BUSY",
  "LAST_MEMBER",
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];
