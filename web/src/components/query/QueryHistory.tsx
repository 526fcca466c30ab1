/** Every query walk at the cursor, newest first; a click has the ring replay it. */
import type { QueryRun } from "../../model/queries.ts";
import { selection } from "../../model/store.ts";
import "./QueryHistory.css";

export function QueryHistory({
  queries,
  shownKey,
}: {
  queries: QueryRun[];
  shownKey: string | null;
}) {
  if (queries.length === 0) return null;
  return (
    <ul className="query-history" aria-label="Query history">
      {queries.toReversed().map((run) => (
        <li key={run.key}>
          <button
            type="button"
            aria-pressed={run.key === shownKey}
            onClick={() => selection.replay(run.key)}
          >
            <span className="mono">{run.eventId}</span>
            <span>{run.origin}</span>
            <span className={`query-outcome ${outcomeClass(run)}`}>{outcome(run)}</span>
            <span className="muted">
              {run.answer === null ? "" : `id-seq ${run.answer.idSeq.length}`}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function outcome(run: QueryRun): string {
  const { answer } = run;
  if (answer === null) return "walking";
  if (answer.status === "gave-up") return "gave up";
  if (answer.reason !== null) return `refused (${answer.reason})`;
  return answer.status === "found" ? "found" : "not found";
}

function outcomeClass(run: QueryRun): string {
  const { answer } = run;
  if (answer === null) return "walking";
  if (answer.reason !== null) return "refused";
  return answer.status === "found" ? "found" : "missing";
}
