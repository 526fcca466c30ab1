/** The manager daemon: its UDP port, how many peers it registered, and what it waits for. */
import { exitLine } from "../../model/peer-card.ts";
import type { DaemonAtCursor, View } from "../../model/view.ts";
import { Spinner } from "./Spinner.tsx";
import "./ManagerCard.css";

export function ManagerCard({
  daemon,
  view,
  port,
}: {
  daemon: DaemonAtCursor;
  view: View;
  /** Its UDP port, when the server started it. */
  port: number | null;
}) {
  const pending = view.manager?.pending ?? null;
  const registered = view.manager?.peers.length ?? 0;
  return (
    <article
      className={`manager-card${daemon.alive ? "" : " dead"}`}
      aria-label={`${daemon.id}: manager, ${daemon.alive ? "alive" : "dead"}`}
    >
      <span className="manager-name">manager</span>
      <span className="mono muted">{port === null ? "UDP port unknown" : `UDP ${port}`}</span>
      {!daemon.alive && <span className="manager-dead">{exitLine(daemon)}</span>}
      <span className="manager-pending" aria-live="polite">
        {pending === null ? (
          <span className="muted">idle</span>
        ) : (
          <>
            <Spinner />
            waiting for {pending.peer} to finish a {pending.kind}
          </>
        )}
      </span>
      <span className="manager-count muted">{registered} registered</span>
    </article>
  );
}
