/** What the query phase asks of each way of asking: one query, and how it went. */

/** One query's answer: how long it took, whether the event was found, how many nodes it visited. */
export interface WalkOutcome {
  ms: number;
  found: boolean;
  hops: number;
}

export interface Walker {
  /** Asks for `eventId`, entering the ring at node `entry` where the asker chooses it. */
  query(eventId: number, entry: number): Promise<WalkOutcome>;
}
