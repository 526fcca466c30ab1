/**
 * Runs `query-dht <name> <event id>` from the querying peer (picked in the Peers panel)
 * and, once the command returns, has the ring replay the walk it started.
 */
import { useId, useState } from "react";
import { runCommand } from "../../model/actions.ts";
import { lastSeq } from "../../model/log.ts";
import type { QueryRun } from "../../model/queries.ts";
import { readEventId, whyQueryCannotRun } from "../../model/query-input.ts";
import { useDashboard } from "../../model/store.ts";
import type { View } from "../../model/view.ts";
import { useReplayWhenStarted } from "./useReplayWhenStarted.ts";
import "./QueryForm.css";

export function QueryForm({ view, queries }: { view: View; queries: QueryRun[] }) {
  const dashboard = useDashboard();
  const [text, setText] = useState("");
  const [running, setRunning] = useState(false);
  const awaitRun = useReplayWhenStarted(queries);
  const ids = useId();
  const peer = view.daemons.find((daemon) => daemon.id === dashboard.queryingPeer) ?? null;
  const viewingPast = dashboard.pinned !== null && dashboard.pinned < lastSeq(dashboard.log);
  const input = readEventId(text);
  const blocker = whyQueryCannotRun({ peer, view, viewingPast, running, input });

  const runQuery = async () => {
    if (blocker !== null || peer?.name == null || !("eventId" in input)) return;
    const started = { origin: peer.name, eventId: input.eventId, afterSeq: lastSeq(dashboard.log) };
    setRunning(true);
    awaitRun(null);
    await runCommand(peer.id, `query-dht ${peer.name} ${input.eventId}`);
    setRunning(false);
    awaitRun(started);
  };

  return (
    <form
      className="query-form"
      onSubmit={(event) => {
        event.preventDefault();
        void runQuery();
      }}
    >
      <p className="query-peer">
        {peer === null ? (
          "Pick a Free peer (click it)"
        ) : (
          <>
            Querying peer: <strong>{peer.name ?? peer.id}</strong>
            {peer.status !== "Free" && <span className="muted"> ({peer.status})</span>}
          </>
        )}
      </p>
      <div className="query-row">
        <label htmlFor="query-event-id">Event id</label>
        <input
          id="query-event-id"
          className="mono"
          inputMode="numeric"
          autoComplete="off"
          placeholder="e.g. 5536849"
          value={text}
          aria-invalid={"error" in input}
          aria-describedby={"error" in input ? `${ids}-error` : undefined}
          onChange={(event) => setText(event.target.value)}
        />
        <button
          type="submit"
          className="primary"
          disabled={blocker !== null}
          title={blocker ?? undefined}
          aria-describedby={
            blocker === null ? undefined : "error" in input ? `${ids}-error` : `${ids}-blocker`
          }
        >
          Run query
        </button>
      </div>
      {"error" in input && (
        <p id={`${ids}-error`} className="query-error" role="alert">
          {input.error}
        </p>
      )}
      {blocker !== null && !("error" in input) && (
        <p id={`${ids}-blocker`} className="query-blocker muted">
          {blocker}
        </p>
      )}
    </form>
  );
}
