/**
 * Runs `query-dht <name> <event id>` from the querying peer (picked in the Peers panel,
 * or the only Free one) and, once the command returns, has the ring replay its walk.
 */
import { useId, useState } from "react";
import { queryingPeerOf } from "../../model/demo-ring.ts";
import type { QueryRun } from "../../model/queries.ts";
import { readEventId, whyQueryCannotRun } from "../../model/query-input.ts";
import { notNowOf, useDashboard } from "../../model/store.ts";
import type { View } from "../../model/view.ts";
import { useQueryRunner } from "./useQueryRunner.ts";
import "./QueryForm.css";

export function QueryForm({ view, queries }: { view: View; queries: QueryRun[] }) {
  const dashboard = useDashboard();
  const [text, setText] = useState("");
  const { running, run } = useQueryRunner(queries);
  const ids = useId();
  const peer = queryingPeerOf(view, dashboard.queryingPeer);
  const notNow = notNowOf(dashboard);
  const input = readEventId(text);
  const blocker = whyQueryCannotRun({ peer, view, notNow, running, input });

  const runQuery = async () => {
    if (blocker !== null || peer?.name == null || !("eventId" in input)) return;
    await run({ id: peer.id, name: peer.name }, input.eventId);
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
