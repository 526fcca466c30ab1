/**
 * The lecture's first clicks: `Build demo ring` while there is no DHT (peers started and
 * registered as needed, setup-dht of five on the acceptance demo's year, one peer left
 * free), then `Random query` (an id of the year, one time in four a missing one) and
 * `Demo queries` (the acceptance demo's four), each from a Free peer.
 */
import { useState } from "react";
import { buildDemoRing, sampleIdsOf } from "../model/demo-actions.ts";
import {
  DEMO_QUERIES,
  drawEventId,
  freeQueryingPeer,
  pauseAfterQuery,
} from "../model/demo-ring.ts";
import { resetDaemons } from "../model/fault-actions.ts";
import type { QueryRun } from "../model/queries.ts";
import { notNowOf, useDashboard } from "../model/store.ts";
import { lecture, useTour } from "../model/tour-actions.ts";
import type { View } from "../model/view.ts";
import { Spinner } from "./peers/Spinner.tsx";
import { useQueryRunner } from "./query/useQueryRunner.ts";
import { ReasonedButton } from "./ReasonedButton.tsx";
import "./DemoBar.css";

const EMPTY_PAGE_HINT =
  "Start here: press Build demo ring (six peers, a DHT of five on 1996), then Random query.";

export function DemoBar({ view, queries }: { view: View; queries: QueryRun[] }) {
  const dashboard = useDashboard();
  const [step, setStep] = useState<string | null>(null);
  const [demo, setDemo] = useState<string | null>(null);
  const { running, run } = useQueryRunner(queries);
  const notNow = notNowOf(dashboard);
  const peer = freeQueryingPeer(view, dashboard.queryingPeer);
  const { dht } = view;
  const busy = step !== null || demo !== null || running;

  const build = async () => {
    setStep("starting");
    await buildDemoRing(setStep);
    setStep(null);
  };
  const reset = async () => {
    setDemo("resetting");
    await resetDaemons((line) => setDemo(`resetting: ${line}`));
    setDemo(null);
  };
  const query = async (eventId: number | null) => {
    if (peer?.name == null || eventId === null) return null;
    return run({ id: peer.id, name: peer.name }, eventId);
  };
  const randomQuery = async () => {
    if (dht === null) return;
    setDemo("drawing an event id");
    const sample = await sampleIdsOf(dht.year);
    setDemo(null);
    if (sample !== null) await query(drawEventId(sample, Math.random));
  };
  const demoQueries = async () => {
    for (const [index, eventId] of DEMO_QUERIES.entries()) {
      setDemo(`query ${index + 1} of ${DEMO_QUERIES.length}: ${eventId}`);
      const result = await query(eventId);
      if (result === null) break;
      await new Promise((resolve) =>
        setTimeout(resolve, pauseAfterQuery(result.lines, dashboard.speed)),
      );
    }
    setDemo(null);
  };

  const queryBlocker =
    notNow ??
    (dht === null || dht.phase !== "ready"
      ? "no completed DHT to query"
      : peer === null
        ? "no Free peer to query from"
        : busy
          ? "a demo step is running"
          : null);
  const showBuild = (dht === null || step !== null) && demo === null;
  const tour = useTour();
  const lectureButton = (
    <ReasonedButton
      aria-pressed={tour.on}
      reason={busy ? "a demo step is running" : null}
      title="the acceptance demo as numbered steps with captions (PageDown, PageUp)"
      onClick={() => lecture.toggle()}
    >
      Lecture mode
    </ReasonedButton>
  );
  const resetButton = (
    <ReasonedButton
      className="demo-reset"
      reason={notNow ?? (busy ? "a demo step is running" : null)}
      title="tear the DHT down, deregister every peer and restart the local daemons"
      onClick={() => void reset()}
    >
      Reset
    </ReasonedButton>
  );
  return (
    <section className="demo-bar" aria-label="Demo">
      {showBuild ? (
        <>
          <ReasonedButton
            className="primary"
            reason={notNow ?? (busy ? "building" : null)}
            reasonClassName="visually-hidden"
            onClick={() => void build()}
          >
            {step !== null && <Spinner />}
            Build demo ring
          </ReasonedButton>
          <p className="demo-hint" aria-live="polite">
            {step === null ? EMPTY_PAGE_HINT : `Building the demo ring: ${step}…`}
          </p>
          {lectureButton}
          {resetButton}
        </>
      ) : (
        <>
          <ReasonedButton
            className="primary"
            reason={queryBlocker}
            onClick={() => void randomQuery()}
          >
            Random query
          </ReasonedButton>
          <ReasonedButton reason={queryBlocker} onClick={() => void demoQueries()}>
            Demo queries
          </ReasonedButton>
          <p className="demo-hint" aria-live="polite">
            {demo !== null
              ? `${demo}…`
              : running
                ? "querying…"
                : peer === null
                  ? "Every peer is in the ring: add a peer (Peers) to query it from."
                  : `Queries go from ${peer.name}; Next hop and Previous hop (n, p) step the walk on the ring.`}
          </p>
          {lectureButton}
          {resetButton}
        </>
      )}
    </section>
  );
}
