/**
 * The dashboard's layout. Every panel is drawn from the view at the time cursor, which is
 * derived from the event log; live updates only append to the log. The shown query's
 * replay is shared: the ring draws it hop by hop, and the Queries panel shows only what
 * the replay has reached.
 */
import { useEffect, useMemo, useRef } from "react";
import { DemoBar } from "./components/DemoBar.tsx";
import { MessagesDiagram } from "./components/MessagesDiagram.tsx";
import { NodeInspector } from "./components/NodeInspector.tsx";
import { Notices } from "./components/Notices.tsx";
import { PeersPanel } from "./components/PeersPanel.tsx";
import { QueryPanel } from "./components/QueryPanel.tsx";
import { QueryTimingChart } from "./components/QueryTimingChart.tsx";
import { RecordsChart } from "./components/RecordsChart.tsx";
import { Ring } from "./components/Ring.tsx";
import { useWalkReplay } from "./components/ring/useWalkReplay.ts";
import { ShortcutSheet } from "./components/ShortcutSheet.tsx";
import { ThemeToggles } from "./components/ThemeToggles.tsx";
import { TimeControl } from "./components/TimeControl.tsx";
import { useHeaderHeight } from "./components/useHeaderHeight.ts";
import { lastSeq } from "./model/log.ts";
import { queriesAt, shownQuery } from "./model/queries.ts";
import { runAsShown } from "./model/ring-replay.ts";
import { connectLive, cursorOf, useDashboard } from "./model/store.ts";
import { viewAt } from "./model/view.ts";

export function App() {
  const dashboard = useDashboard();
  const cursor = cursorOf(dashboard);
  const { log } = dashboard;
  const view = useMemo(() => viewAt(log, cursor), [log, cursor]);
  const queries = useMemo(() => queriesAt(log, cursor), [log, cursor]);
  const live = dashboard.pinned === null;
  // The walks of the whole log, for the hops and commands beyond a cursor in the past.
  const wholeLog = useMemo(
    () => (live ? queries : queriesAt(log, lastSeq(log))),
    [live, queries, log],
  );
  const shown = shownQuery(queries, dashboard.replayedQuery, wholeLog);
  const frame = useWalkReplay(shown);
  // What the audience may see: the shown walk only as far as its replay has got.
  const shownSoFar = shown === null || frame === null ? shown : runAsShown(shown, frame);
  const asShown = useMemo(
    () =>
      shownSoFar === null
        ? queries
        : queries.map((run) => (run.key === shownSoFar.key ? shownSoFar : run)),
    [queries, shownSoFar],
  );
  useEffect(() => connectLive(), []);
  const header = useRef<HTMLElement>(null);
  useHeaderHeight(header);
  return (
    <div className="app">
      <header className="app-header" ref={header}>
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
        <TimeControl queries={wholeLog} />
        <ShortcutSheet />
        <ThemeToggles />
      </header>
      <main className="app-main">
        <DemoBar view={view} queries={queries} />
        <PeersPanel view={view} />
        <Ring
          view={view}
          run={shown}
          later={wholeLog.find((run) => run.key === shown?.key) ?? null}
          frame={frame}
        />
        <QueryPanel view={view} queries={asShown} shown={shownSoFar} />
        <RecordsChart view={view} />
        <MessagesDiagram log={log} cursor={cursor} view={view} />
        <QueryTimingChart log={log} cursor={cursor} queries={asShown} />
      </main>
      {dashboard.inspected !== null && (
        <NodeInspector
          view={view}
          log={log}
          daemonId={dashboard.inspected}
          viewingPast={!live && cursor < lastSeq(log)}
        />
      )}
      <Notices />
    </div>
  );
}
