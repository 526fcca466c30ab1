import { expectedIdSeqLength, type QueryRun } from "../../model/queries.ts";
import type { Replication } from "../../model/replicas.ts";
import { arithmeticLines, queryArithmetic } from "../../model/ring-replay.ts";
import { answeringCopy } from "../../model/walk-steps.ts";

/**
 * The hashing that places the shown query's event, and the id-seq its walk carried. The
 * owner, the id-seq and who answered wait for the replay to reach the end of the walk:
 * `run` is the walk as shown so far.
 */
export function QueryArithmetic({
  run,
  ownerShown,
  records,
  replication,
  year,
}: {
  run: QueryRun | null;
  ownerShown: boolean;
  records: number | null;
  replication: Replication | null;
  year: string | null;
}) {
  if (run === null) {
    return (
      <aside className="ring-arithmetic" aria-label="Query arithmetic">
        <p className="muted">No query to replay yet: pick a Free peer and run query-dht.</p>
      </aside>
    );
  }
  const numbers = queryArithmetic(run, records, replication);
  const lines = arithmeticLines(numbers, year, ownerShown);
  const { answer } = run;
  const n = numbers.ringSize;
  return (
    <aside className="ring-arithmetic" aria-label="Query arithmetic">
      <h3>
        {run.origin} asks for event <span className="mono">{run.eventId}</span>
      </h3>
      {lines === null ? (
        <p className="muted">l unknown: no build seen in the log, so s, pos and owner are too.</p>
      ) : (
        <dl className="mono">
          <dt>l</dt>
          <dd>{lines.l}</dd>
          <dt>s</dt>
          <dd>{lines.s}</dd>
          <dt>pos</dt>
          <dd>{lines.pos}</dd>
          <dt>owner</dt>
          <dd>{lines.owner}</dd>
          {lines.copies !== null && (
            <>
              <dt>copies</dt>
              <dd>{lines.copies}</dd>
            </>
          )}
        </dl>
      )}
      {answer === null ? (
        <p className="muted">
          Walking… {run.hops.length} {run.hops.length === 1 ? "hop" : "hops"} so far.
        </p>
      ) : (
        <>
          <p className="mono ring-idseq">id-seq [{answer.idSeq.join(" ")}]</p>
          <p className="muted">
            {answer.idSeq.length} {answer.idSeq.length === 1 ? "id" : "ids"}; mean over a ring of{" "}
            {n} is (n+1)/2 = {expectedIdSeqLength(n)}
          </p>
          <p className={answer.status === "found" ? "ring-verdict found" : "ring-verdict missing"}>
            {answer.status === "found" ? "found" : "not found"} by{" "}
            {answeringCopy(run, numbers) ?? answer.answeredBy}
            {answer.reason === null ? "" : ` (${answer.reason})`}
          </p>
        </>
      )}
    </aside>
  );
}
