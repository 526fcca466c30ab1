/**
 * One peer daemon: its registration, place in the ring and the command it runs, with a
 * button per console command and the inline forms of register and setup-dht.
 */
import { useState } from "react";
import type { CommandResult } from "../../api/types.ts";
import { runCommand } from "../../model/actions.ts";
import {
  availableCommands,
  freePeerCount,
  type PeerCommand,
  suggestName,
} from "../../model/commands.ts";
import { selection } from "../../model/store.ts";
import type { DaemonAtCursor, View } from "../../model/view.ts";
import { CommandButtons } from "./CommandButtons.tsx";
import { FetchYearProgress } from "./FetchYearProgress.tsx";
import { RegisterForm } from "./RegisterForm.tsx";
import { SetupForm } from "./SetupForm.tsx";
import { Spinner } from "./Spinner.tsx";
import { useYearFetch } from "./useYearFetch.ts";
import "./PeerCard.css";
import { formatCount } from "../../model/format.ts";

type OpenForm = "register" | "setup-dht" | null;

export function PeerCard({
  daemon,
  view,
  viewingPast,
  selected,
}: {
  daemon: DaemonAtCursor;
  view: View;
  viewingPast: boolean;
  /** This peer is the one that queries. */
  selected: boolean;
}) {
  const [form, setForm] = useState<OpenForm>(null);
  const [sending, setSending] = useState<string | null>(null);
  const [last, setLast] = useState<{ line: string; result: CommandResult } | null>(null);
  const yearFetch = useYearFetch();
  const { id, name, status, snapshot } = daemon;
  const label = `${id}: ${name ?? "unregistered"}, ${status}`;

  const availability = availableCommands(daemon, view, { viewingPast, sending });

  const send = async (line: string) => {
    setSending(line);
    const result = await runCommand(id, line);
    setSending(null);
    if (result === null) return;
    setLast({ line, result });
    if (result.ok) setForm(null);
  };
  const selectForQuery = () => selection.queryingPeer(id);
  const onCommand = (command: PeerCommand) => {
    if (command === "register" || command === "setup-dht") {
      setForm((open) => (open === command ? null : command));
    } else if (command === "query-dht") {
      selectForQuery();
      document.getElementById("query-event-id")?.focus();
    } else if (name !== null) {
      void send(`${command} ${name}`);
    }
  };

  const running = sending ?? snapshot?.command ?? null;
  const failure = last?.result.failure;
  const missingYear = failure?.reason === "MISSING_YEAR" ? (failure.year ?? null) : null;
  const addresses = snapshot?.addresses ?? null;
  const inRing = snapshot?.id !== null && snapshot?.id !== undefined;

  return (
    <article
      className={`peer-card status-${status}${selected ? " selected" : ""}`}
      aria-label={label}
      aria-current={selected ? "true" : undefined}
    >
      <header className="peer-card-head">
        {status === "Free" ? (
          <button
            type="button"
            className="peer-name"
            aria-pressed={selected}
            title="query from this peer"
            onClick={selectForQuery}
          >
            {name}
          </button>
        ) : (
          <span className="peer-name">{name ?? id}</span>
        )}
        <span className="peer-badge">{status}</span>
        {inRing && (
          <span className="peer-ring mono">
            node {snapshot?.id}
            {snapshot?.ringSize !== null && `/${snapshot?.ringSize}`} ·{" "}
            {formatCount(snapshot?.recordsHeld ?? 0)} records
          </span>
        )}
      </header>
      <p className="peer-addresses mono muted">
        <span>
          {addresses === null
            ? daemon.alive
              ? "not registered with the manager"
              : "process exited"
            : `${addresses.ip}  m-port ${addresses.mport}  p-port ${addresses.pport}`}
        </span>
        <span className="peer-id">{id}</span>
      </p>
      {status === "dead" ? (
        // A process that has exited takes no commands: say how it ended instead.
        <p className="peer-exit muted">
          {daemon.remote
            ? "its control channel has closed"
            : (daemon.lastOutput.findLast((line) => line.startsWith("[supervisor]")) ??
              "its process has exited")}
        </p>
      ) : (
        <CommandButtons availability={availability} open={form} onCommand={onCommand} />
      )}
      {form === "register" && (
        <RegisterForm
          daemonId={id}
          suggestedName={suggestName(view)}
          hostAddresses={snapshot?.hostAddresses ?? []}
          remote={daemon.remote}
          blocked={availability.register}
          onSend={(line) => void send(line)}
          onCancel={() => setForm(null)}
        />
      )}
      {form === "setup-dht" && name !== null && (
        <SetupForm
          name={name}
          freePeers={freePeerCount(view)}
          yearFetch={yearFetch}
          blocked={availability["setup-dht"]}
          onSend={(line) => void send(line)}
          onCancel={() => setForm(null)}
        />
      )}
      {missingYear !== null && (
        <div className="peer-missing-year" role="status">
          <span>{missingYear}'s data is missing.</span>
          <button
            type="button"
            disabled={yearFetch.year !== null}
            onClick={() => yearFetch.start(missingYear)}
          >
            Fetch {missingYear}
          </button>
          {form !== "setup-dht" && <FetchYearProgress yearFetch={yearFetch} />}
        </div>
      )}
      {(running !== null || last !== null) && (
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
      )}
    </article>
  );
}
