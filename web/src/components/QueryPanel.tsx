/**
 * Querying the DHT: pick an event id, run it from the querying peer, read the answer,
 * browse earlier walks (a click replays one on the ring) and compare their lengths with
 * the (n + 1) / 2 the random walk predicts. The shown walk's answer is in `queries` only
 * once the ring's replay has reached it.
 */
import type { QueryRun } from "../model/queries.ts";
import { ringReplication } from "../model/replicas.ts";
import type { View } from "../model/view.ts";
import { IdSeqHistogram } from "./query/IdSeqHistogram.tsx";
import { QueryForm } from "./query/QueryForm.tsx";
import { QueryHistory } from "./query/QueryHistory.tsx";
import { QueryResult } from "./query/QueryResult.tsx";
import "./QueryPanel.css";

export function QueryPanel({
  view,
  queries,
  shown,
}: {
  view: View;
  queries: QueryRun[];
  shown: QueryRun | null;
}) {
  return (
    <section className="panel query-panel" aria-label="Queries">
      <h2>Queries</h2>
      <QueryForm view={view} queries={queries} />
      <QueryResult run={shown} records={view.yearRecords} replication={ringReplication(view)} />
      <QueryHistory queries={queries} shownKey={shown?.key ?? null} />
      <IdSeqHistogram queries={queries} ringSize={view.dht?.ringSize ?? null} />
    </section>
  );
}
