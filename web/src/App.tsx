/**
 * The dashboard's layout. Every panel is drawn from the view at the time cursor, which is
 * derived from the event log; live updates only append to the log. The shown query's
 * replay is shared: the ring draws it hop by hop, and the Queries panel shows only what
 * the replay has reached.
 */
import { lazy, Suspense, useEffect, useMemo, useRef } from "react";
import { BenchmarksButton } from "./components/bench/BenchmarksButton.tsx";
import { DemoBar } from "./components/DemoBar.tsx";
import { LecturePanel } from "./components/LecturePanel.tsx";
import { MessagesDiagram } from "./components/MessagesDiagram.tsx";
import { Notices } from "./components/Notices.tsx";
import { PeersPanel } from "./components/PeersPanel.tsx";
import { QueryPanel } from "./components/QueryPanel.tsx";
import { RecordsChart } from "./components/RecordsChart.tsx";
import { Ring } from "./components/Ring.tsx";
import { useWalkReplay } from "./components/ring/useWalkReplay.ts";
import { SessionMenu } from "./components/SessionMenu.tsx";
import { ShortcutSheet } from "./components/ShortcutSheet.tsx";
import { ThemeToggles } from "./components/ThemeToggles.tsx";
import { TimeControl } from "./components/TimeControl.tsx";
import { useCursorInUrl } from "./components/useCursorInUrl.ts";
import { useHeaderHeight } from "./components/useHeaderHeight.ts";
import "./components/layouts.css";
import { lastSeq } from "./model/log.ts";
import { cursorInHash, sessionInQuery } from "./model/page-url.ts";
import { queriesAt, shownQuery } from "./model/queries.ts";
import { runAsShown } from "./model/ring-replay.ts";
import { replaySessionAt } from "./model/session-actions.ts";
import { connectLive, cursorOf, notNowOf, seekOnceLoaded, useDashboard } from "./model/store.ts";
import { viewAt, withoutCleared } from "./model/view.ts";

// Below the fold, and the only user of recharts' scatter plots: loaded after the rest.
const QueryTimingChart = lazy(() =>
  import("./components/QueryTimingChart.tsx").then((module) => ({
    default: module.QueryTimingChart,
  })),
);
// A drawer opened on demand (with its fault controls): loaded when first opened.
const NodeInspector = lazy(() =>
  import("./components/NodeInspector.tsx").then((module) => ({ default: module.NodeInspector })),
);

export function App() {
  const dashboard = useDashboard();
  const cursor = cursorOf(dashboard);
  const { log } = dashboard;
  const { cleared } = dashboard;
  const view = useMemo(() => withoutCleared(viewAt(log, cursor), cleared), [log, cursor, cleared]);
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
  useEffect(() => {
    // Read before anything writes the address: a link's #t= and ?session=.
    seekOnceLoaded(cursorInHash(location.hash));
    const sessionUrl = sessionInQuery(location.search);
    if (sessionUrl === null) return connectLive();
    void replaySessionAt(sessionUrl);
    return undefined;
  }, []);
  useCursorInUrl(dashboard.pinned, dashboard.playing);
  const header = useRef<HTMLElement>(null);
  useHeaderHeight(header);
  return (
    <div className="app">
      <header className="app-header" ref={header}>
        <h1>stormring</h1>
        <p className="connection">
          {/* Only the DHT's state is announced; the replay position changes many times a second. */}
          {dashboard.session !== null
            ? `replaying a session: event ${cursor} of ${lastSeq(log)}`
            : dashboard.connection !== "open"
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
        <SessionMenu />
        <BenchmarksButton />
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
        <Suspense fallback={null}>
          <QueryTimingChart log={log} cursor={cursor} queries={asShown} />
        </Suspense>
      </main>
      {dashboard.inspected !== null && (
        <Suspense fallback={null}>
          <NodeInspector
            view={view}
            log={log}
            daemonId={dashboard.inspected}
            notNow={notNowOf(dashboard)}
          />
        </Suspense>
      )}
      <LecturePanel replaying={dashboard.session !== null} />
      <Notices />
    </div>
  );
}
