/**
 * The daemons and their console commands: the manager first, then a card per peer with a
 * button for each command, enabled by the same rules the manager applies.
 */
import { useMemo, useState } from "react";
import { addPeer } from "../model/actions.ts";
import { queryingPeerOf } from "../model/demo-ring.ts";
import { stateAt } from "../model/log.ts";
import { notNowOf, selection, useDashboard } from "../model/store.ts";
import { departed, type View } from "../model/view.ts";
import { ManagerCard } from "./peers/ManagerCard.tsx";
import { PeerCard } from "./peers/PeerCard.tsx";
import { Spinner } from "./peers/Spinner.tsx";
import "./PeersPanel.css";
import { ReasonedButton } from "./ReasonedButton.tsx";

const STARTING = "a peer is starting";

export function PeersPanel({ view }: { view: View }) {
  const dashboard = useDashboard();
  const { log, queryingPeer, inspected } = dashboard;
  const notNow = notNowOf(dashboard);
  const [starting, setStarting] = useState(false);
  // The manager's UDP port is a process fact, kept in the API state rather than the view.
  const managerPort = useMemo(
    () =>
      stateAt(log, view.cursor)?.daemons.find((daemon) => daemon.kind === "manager")?.managerPort ??
      null,
    [log, view.cursor],
  );
  const manager = view.daemons.find((daemon) => daemon.kind === "manager");
  const peers = view.daemons.filter((daemon) => daemon.kind === "peer");
  const querying = queryingPeerOf(view, queryingPeer)?.id ?? null;
  const gone = peers.filter(departed).map((daemon) => daemon.id);
  const start = async () => {
    setStarting(true);
    await addPeer();
    setStarting(false);
  };

  return (
    <section className="panel peers-panel" aria-label="Peers">
      <div className="peers-panel-head">
        <h2>Peers</h2>
        <span className="muted">{peers.filter((daemon) => daemon.alive).length} running</span>
        <ReasonedButton
          className="primary"
          onClick={() => void start()}
          reason={notNow ?? (starting ? STARTING : null)}
          // Only the start under way is said beside it; the past or a session, in its tooltip.
          reasonClassName={starting ? "peers-starting muted" : "visually-hidden"}
          title="start another peer process"
        >
          {starting && <Spinner />}
          Add peer
        </ReasonedButton>
        <ReasonedButton
          reason={gone.length === 0 ? "no departed peer to clear" : null}
          title="take the peers that have exited or crashed off the page"
          onClick={() => selection.clearDeparted(gone)}
        >
          Clear departed
        </ReasonedButton>
      </div>
      <div className="peers-list">
        {manager !== undefined && <ManagerCard daemon={manager} view={view} port={managerPort} />}
        {peers.map((daemon) => (
          <PeerCard
            key={daemon.id}
            daemon={daemon}
            view={view}
            notNow={notNow}
            selected={querying === daemon.id}
            inspected={inspected === daemon.id}
          />
        ))}
        {peers.length === 0 && <p className="muted">No peers yet: add one to register it.</p>}
      </div>
    </section>
  );
}
