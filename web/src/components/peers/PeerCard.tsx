/**
 * One peer daemon: its registration, place in the ring and the command it runs, with a
 * button per console command and the inline forms of register and setup-dht.
 */
import {
  availableCommands,
  freePeerCount,
  type PeerCommand,
  suggestName,
} from "../../model/commands.ts";
import { addressLine, exitLine, missingYearOf, peerLabel } from "../../model/peer-card.ts";
import { selection } from "../../model/store.ts";
import type { DaemonAtCursor, View } from "../../model/view.ts";
import { CommandButtons } from "./CommandButtons.tsx";
import { CommandOutput } from "./CommandOutput.tsx";
import { MissingYear } from "./MissingYear.tsx";
import { PeerCardHead } from "./PeerCardHead.tsx";
import { RegisterForm } from "./RegisterForm.tsx";
import { SetupForm } from "./SetupForm.tsx";
import { usePeerCommand } from "./usePeerCommand.ts";
import { useYearFetch } from "./useYearFetch.ts";
import "./PeerCard.css";

export function PeerCard({
  daemon,
  view,
  notNow,
  selected,
  inspected,
}: {
  daemon: DaemonAtCursor;
  view: View;
  /** Why no command may run now (the past, a recorded session), or null. */
  notNow: string | null;
  /** This peer is the one that queries. */
  selected: boolean;
  /** The node inspector shows this peer. */
  inspected: boolean;
}) {
  const { form, setForm, sending, last, send } = usePeerCommand(daemon.id);
  const yearFetch = useYearFetch();
  const { id, name, status, snapshot } = daemon;
  const availability = availableCommands(daemon, view, { notNow, sending });
  const missingYear = missingYearOf(last?.result);

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

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a mouse shortcut; the keyboard opens the inspector from the peer's ring node
    <article
      className={`peer-card status-${status}${selected ? " selected" : ""}${inspected ? " inspected" : ""}`}
      aria-label={peerLabel(daemon)}
      aria-current={selected ? "true" : undefined}
      onClick={(event) => {
        // A click on one of its controls is that control's, not the card's.
        if (!(event.target as Element).closest("button, input, select, textarea, form, a")) {
          selection.inspect(id);
        }
      }}
    >
      <PeerCardHead daemon={daemon} selected={selected} onSelect={selectForQuery} />
      <p className="peer-addresses mono muted">
        <span>{addressLine(daemon)}</span>
        <span className="peer-id">{id}</span>
      </p>
      {status === "dead" || status === "gone" ? (
        // A process that has exited takes no commands: say how it ended instead.
        <p className={`peer-exit ${daemon.ended === "crashed" ? "crashed" : "muted"}`}>
          {exitLine(daemon)}
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
        <MissingYear year={missingYear} yearFetch={yearFetch} showProgress={form !== "setup-dht"} />
      )}
      <CommandOutput running={sending ?? snapshot?.command ?? null} last={last} />
    </article>
  );
}
