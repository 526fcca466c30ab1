/**
 * The dashboard's layout. Every panel is drawn from the view at the time cursor, which is
 * derived from the event log; live updates only append to the log.
 */
import { useEffect, useMemo } from "react";
import { MessagesDiagram } from "./components/MessagesDiagram.tsx";
import { Notices } from "./components/Notices.tsx";
import { PeersPanel } from "./components/PeersPanel.tsx";
import { QueryPanel } from "./components/QueryPanel.tsx";
import { RecordsChart } from "./components/RecordsChart.tsx";
import { Ring } from "./components/Ring.tsx";
import { ShortcutSheet } from "./components/ShortcutSheet.tsx";
import { ThemeToggles } from "./components/ThemeToggles.tsx";
import { TimeControl } from "./components/TimeControl.tsx";
import { lastSeq } from "./model/log.ts";
import { queriesAt } from "./model/queries.ts";
import { connectLive, cursorOf, useDashboard } from "./model/store.ts";
import { viewAt } from "./model/view.ts";

export function App() {
  const dashboard = useDashboard();
  const cursor = cursorOf(dashboard);
  const { log } = dashboard;
  const view = useMemo(() => viewAt(log, cursor), [log, cursor]);
  const queries = useMemo(() => queriesAt(log, cursor), [log, cursor]);
  useEffect(() => connectLive(), []);
  return (
    <div className="app">
      <header className="app-header">
        <h1>stormring</h1>
        <p className="connection">
          {/* Only the DHT's state is announced; the replay position changes many times a second. */}
          {dashboard.connection !== "open"
            ? `server: ${dashboard.connection}`
            : dashboard.pinned === null
              ? "live"
              : `${dashboard.playing ? "replaying" : "paused"} at event ${cursor} of ${lastSeq(log)}`}
          <span aria-live="polite">
            {view.dht === null
              ? " · no DHT"
              : ` · DHT of ${view.dht.ringSize}, year ${view.dht.year}, ${view.dht.phase}`}
          </span>
        </p>
        <TimeControl />
        <ShortcutSheet />
        <ThemeToggles />
      </header>
      <main className="app-main">
        <PeersPanel view={view} />
        <Ring view={view} queries={queries} />
        <QueryPanel view={view} queries={queries} />
        <RecordsChart view={view} />
        <MessagesDiagram log={log} cursor={cursor} view={view} />
      </main>
      <Notices />
    </div>
  );
}
