/** Query walks as the dashboard's model holds them, for the web tests. */
import type { QueryAnswer, QueryRun } from "../../src/model/queries.ts";

/** The ring the walks run over, by node id. */
export const RING = ["alpha", "epsilon", "gamma", "delta", "beta"];

/**
 * A walk of `key` ("origin#queryId") through `walk` (the asking peer, then each member
 * reached), hop k at seqs 10 + 2k and 11 + 2k; the manager's choice at 8 and 9.
 */
export function walkOf(
  key: string,
  walk: string[],
  answer: QueryAnswer | null,
  fields: Partial<QueryRun> = {},
): QueryRun {
  const [origin = "zeta", queryId = "1"] = key.split("#");
  return {
    key,
    origin,
    originDaemonId: "peer-6",
    queryId: Number(queryId),
    eventId: 5536849,
    members: RING,
    hops: walk.slice(1).map((to, index) => ({
      number: index + 1,
      from: walk[index] ?? "",
      to,
      seq: 10 + 2 * index,
      seqs: [10 + 2 * index, 11 + 2 * index],
    })),
    answer,
    startSeq: 10,
    choiceSeqs: [8, 9],
    resultSeqs: answer === null ? [] : [answer.seq - 1, answer.seq],
    ...fields,
  };
}

/** An answer from `answeredBy` after visiting `idSeq`. */
export function answerOf(
  status: QueryAnswer["status"],
  idSeq: number[],
  answeredBy: string,
  fields: Partial<QueryAnswer> = {},
): QueryAnswer {
  return { status, reason: null, idSeq, answeredBy, fields: [], seq: 99, ...fields };
}
