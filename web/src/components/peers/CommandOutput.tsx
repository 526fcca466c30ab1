/** A peer card's foot: the command it runs now, and the last command's output, folded. */
import { Spinner } from "./Spinner.tsx";
import type { SentCommand } from "./usePeerCommand.ts";
import "./PeerCard.css";

export function CommandOutput({
  running,
  last,
}: {
  running: string | null;
  last: SentCommand | null;
}) {
  if (running === null && last === null) return null;
  return (
    <footer className="peer-card-foot">
      {running !== null && (
        <span className="peer-running mono">
          <Spinner />
          {running}
        </span>
      )}
      {last !== null && (
        <details className="peer-last-output">
          <summary>last output</summary>
          <p className={`mono ${last.result.ok ? "" : "failed"}`}>
            &gt; {last.line} ({last.result.ok ? "ok" : "failed"})
          </p>
          <pre>{last.result.lines.join("\n")}</pre>
        </details>
      )}
    </footer>
  );
}
