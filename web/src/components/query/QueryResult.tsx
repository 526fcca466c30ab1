/** What the shown query's asking peer received: the record, not found, or a refusal. */
import type { QueryRun } from "../../model/queries.ts";
import type { Replication } from "../../model/replicas.ts";
import { queryArithmetic } from "../../model/ring-replay.ts";
import { answeringCopy } from "../../model/walk-steps.ts";
import "./QueryResult.css";

export function QueryResult({
  run,
  records,
  replication,
}: {
  run: QueryRun | null;
  /** l of the ring's year and its replication: which copy answered. */
  records: number | null;
  replication: Replication | null;
}) {
  const copy = run === null ? null : answeringCopy(run, queryArithmetic(run, records, replication));
  return (
    <section className="query-result" aria-label="Query result">
      {run === null ? (
        <p className="muted">No queries yet.</p>
      ) : (
        <>
          <p className="query-result-title">
            Event <span className="mono">{run.eventId}</span> from {run.origin}
            {run.answer !== null && (
              <span className="muted"> · answered by {copy ?? run.answer.answeredBy}</span>
            )}
          </p>
          <Answer run={run} />
        </>
      )}
    </section>
  );
}

function Answer({ run }: { run: QueryRun }) {
  const { answer } = run;
  if (answer === null) {
    const last = run.hops.at(-1);
    return (
      <p className="muted">
        Walking: {run.hops.length} {run.hops.length === 1 ? "hop" : "hops"} so far
        {last === undefined ? "" : `, last to ${last.to}`}…
      </p>
    );
  }
  return (
    <>
      {answer.status === "gave-up" ? (
        <p className="query-refused">
          Gave up: no answer reached {run.origin} in time (a member on the walk did not answer).
        </p>
      ) : answer.reason !== null ? (
        <p className="query-refused">
          Refused ({answer.reason}): the member asked is not ready (the DHT is being built, rebuilt
          or torn down); try again.
        </p>
      ) : answer.status === "found" ? (
        <dl className="query-fields">
          {answer.fields.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd className={value === "" ? "empty-field" : undefined}>{value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="query-not-found">Storm event {run.eventId} not found in the DHT.</p>
      )}
      <p className="mono query-id-seq">id-seq: {answer.idSeq.join(" ")}</p>
    </>
  );
}
