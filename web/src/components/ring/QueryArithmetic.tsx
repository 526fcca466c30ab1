import { expectedIdSeqLength, type QueryRun } from "../../model/queries.ts";
import { queryArithmetic } from "../../model/ring-replay.ts";

/** The hashing that places the replayed query's event, and the id-seq its walk carried. */
export function QueryArithmetic({
  run,
  records,
  year,
}: {
  run: QueryRun | null;
  records: number | null;
  year: string | null;
}) {
  if (run === null) {
    return (
      <aside className="ring-arithmetic" aria-label="Query arithmetic">
        <p className="muted">No query to replay yet: pick a Free peer and run query-dht.</p>
      </aside>
    );
  }
  const numbers = queryArithmetic(run, records);
  const { answer } = run;
  const n = numbers.ringSize;
  return (
    <aside className="ring-arithmetic" aria-label="Query arithmetic">
      <h3>
        {run.origin} asks for event <span className="mono">{run.eventId}</span>
      </h3>
      {numbers.records === null || numbers.tableSize === null || numbers.position === null ? (
        <p className="muted">l unknown: no build seen in the log, so s, pos and owner are too.</p>
      ) : (
        <dl className="mono">
          <dt>l</dt>
          <dd>
            {numbers.records} records{year === null ? "" : ` (${year})`}
          </dd>
          <dt>s</dt>
          <dd>first prime &gt; 2l = {numbers.tableSize}</dd>
          <dt>pos</dt>
          <dd>
            {numbers.eventId} mod {numbers.tableSize} = {numbers.position}
          </dd>
          <dt>owner</dt>
          <dd>
            {numbers.position} mod {n} = {numbers.owner ?? "?"}
            {numbers.ownerName === null ? "" : ` → ${numbers.ownerName}`}
          </dd>
        </dl>
      )}
      {answer === null ? (
        <p className="muted">Walking… {run.hops.length} hops so far.</p>
      ) : (
        <>
          <p className="mono ring-idseq">id-seq [{answer.idSeq.join(" ")}]</p>
          <p className="muted">
            {answer.idSeq.length} {answer.idSeq.length === 1 ? "id" : "ids"}; mean over a ring of{" "}
            {n} is (n+1)/2 = {expectedIdSeqLength(n)}
          </p>
          <p className={answer.status === "found" ? "ring-verdict found" : "ring-verdict missing"}>
            {answer.status === "found" ? "found" : "not found"} by {answer.answeredBy}
            {answer.reason === null ? "" : ` (${answer.reason})`}
          </p>
        </>
      )}
    </aside>
  );
}
