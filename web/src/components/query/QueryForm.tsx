/**
 * Runs `query-dht <name> <event id>` from the querying peer (picked in the Peers panel)
 * and, once the command returns, has the ring replay the walk it started.
 */
import { useEffect, useId, useState } from "react";
import { runCommand } from "../../model/actions.ts";
import { availableCommands } from "../../model/commands.ts";
import { lastSeq } from "../../model/log.ts";
import { type QueryRun, startedRun } from "../../model/queries.ts";
import { selection, useDashboard } from "../../model/store.ts";
import type { DaemonAtCursor, View } from "../../model/view.ts";
import "./QueryForm.css";

/** The walk a returned command started, to replay once it shows up in the log. */
interface AwaitedRun {
  origin: string;
  eventId: number;
  afterSeq: number;
}

type EventIdInput = { eventId: number } | { error: string } | { empty: true };

function readEventId(text: string): EventIdInput {
  const trimmed = text.trim();
  if (trimmed === "") return { empty: true };
  if (!/^\d+$/.test(trimmed)) return { error: "Digits only: an event id is a whole number." };
  const eventId = Number(trimmed);
  return Number.isSafeInteger(eventId) ? { eventId } : { error: "That event id is too large." };
}

export function QueryForm({ view, queries }: { view: View; queries: QueryRun[] }) {
  const dashboard = useDashboard();
  const [text, setText] = useState("");
  const [running, setRunning] = useState(false);
  const [awaited, setAwaited] = useState<AwaitedRun | null>(null);
  const ids = useId();
  const peer = view.daemons.find((daemon) => daemon.id === dashboard.queryingPeer) ?? null;
  const viewingPast = dashboard.pinned !== null && dashboard.pinned < lastSeq(dashboard.log);
  const input = readEventId(text);
  const blocker = whyNotRun(peer, view, viewingPast, running, input);

  useEffect(() => {
    if (awaited === null) return;
    const run = startedRun(queries, awaited.origin, awaited.eventId, awaited.afterSeq);
    if (run === undefined) return;
    selection.replay(run.key);
    setAwaited(null);
  }, [queries, awaited]);

  const runQuery = async () => {
    if (blocker !== null || peer?.name == null || !("eventId" in input)) return;
    const started = { origin: peer.name, eventId: input.eventId, afterSeq: lastSeq(dashboard.log) };
    setRunning(true);
    setAwaited(null);
    await runCommand(peer.id, `query-dht ${peer.name} ${input.eventId}`);
    setRunning(false);
    setAwaited(started);
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

/** Why the query cannot run now, or null if it can. */
function whyNotRun(
  peer: DaemonAtCursor | null,
  view: View,
  viewingPast: boolean,
  running: boolean,
  input: EventIdInput,
): string | null {
  if (running) return "a query is running";
  if (peer === null) return "pick a Free peer in the Peers panel first";
  if (viewingPast) return "viewing the past: go live to run a query";
  const unavailable = availableCommands(peer, view)["query-dht"];
  if (unavailable !== null) return `${peer.name ?? peer.id}: ${unavailable}`;
  if ("empty" in input) return "enter an event id";
  if ("error" in input) return "the event id must be digits only";
  return null;
}
