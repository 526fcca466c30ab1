/**
 * The node inspector: the peer picked on the ring or in the Peers panel, as the log has it
 * at the cursor (place, addresses, right neighbour, records, Lamport clock, last console
 * lines), and what the daemon itself answers now. Esc or Close inspector closes it.
 */
import { useLayoutEffect, useMemo, useRef } from "react";
import { formatCount } from "../model/format.ts";
import { type InspectedNode, inspectedNode } from "../model/inspector.ts";
import type { EventLog } from "../model/log.ts";
import { selection } from "../model/store.ts";
import type { View } from "../model/view.ts";
import { DaemonAnswers } from "./inspector/DaemonAnswers.tsx";
import { FaultControls } from "./inspector/FaultControls.tsx";
import { useInspection } from "./inspector/useInspection.ts";
import { usePageKeys } from "./keyboard.ts";
import "./NodeInspector.css";
import "./peers/PeerCard.css";

const CLOSE_KEYS = { Escape: () => selection.inspect(null) };

export function NodeInspector({
  view,
  log,
  daemonId,
  notNow,
}: {
  view: View;
  log: EventLog;
  daemonId: string;
  /** Why no fault may be made now (the past, a recorded session), or null. */
  notNow: string | null;
}) {
  const node = useMemo(() => inspectedNode(view, log, daemonId), [view, log, daemonId]);
  usePageKeys(CLOSE_KEYS);
  return (
    <section
      className={`drawer node-inspector status-${node?.daemon.status ?? "dead"}`}
      aria-label="Node inspector"
    >
      <header className="inspector-head">
        <h2>{node === null ? daemonId : (node.daemon.name ?? daemonId)}</h2>
        {node !== null && <span className="peer-badge">{node.daemon.status}</span>}
        <button type="button" aria-label="Close inspector" onClick={() => selection.inspect(null)}>
          ×
        </button>
      </header>
      {node === null ? (
        <p className="muted">{daemonId} is not running at this point of the log.</p>
      ) : (
        <InspectorBody
          key={node.daemon.id}
          node={node}
          members={view.dht?.members ?? []}
          notNow={notNow}
        />
      )}
    </section>
  );
}

function InspectorBody({
  node,
  members,
  notNow,
}: {
  node: InspectedNode;
  members: readonly string[];
  notNow: string | null;
}) {
  const { daemon } = node;
  const answering = daemon.alive && daemon.connected && !daemon.paused;
  const { inspection, error, lookUp } = useInspection(daemon.id, answering);
  const unanswered = !daemon.alive
    ? "not running"
    : daemon.paused
      ? "paused: it answers nothing"
      : error;
  return (
    <>
      <dl className="inspector-facts">
        <dt>daemon</dt>
        <dd className="mono">{daemon.id}</dd>
        <dt>place</dt>
        <dd>{node.place}</dd>
        <dt>addresses</dt>
        <dd className="mono">{node.addresses}</dd>
        <dt>right neighbour</dt>
        <dd className="mono">{node.rightNeighbour ?? "none"}</dd>
        <dt>records held</dt>
        <dd>{formatCount(node.recordsHeld)}</dd>
        <dt>Lamport clock</dt>
        <dd className="mono">
          {node.clock === null ? "no event yet" : `${node.clock} at its last event`}
        </dd>
      </dl>
      <FaultControls node={node} notNow={notNow} />
      <DaemonAnswers
        inspection={inspection}
        unanswered={unanswered}
        members={members}
        onLookUp={lookUp}
      />
      <h3>Console</h3>
      {node.consoleLines.length === 0 ? (
        <p className="muted">Nothing printed yet.</p>
      ) : (
        <ConsoleTail lines={node.consoleLines} />
      )}
    </>
  );
}

/** The last lines it printed, scrolled to the newest. */
function ConsoleTail({ lines }: { lines: readonly string[] }) {
  const box = useRef<HTMLPreElement>(null);
  const text = lines.join("\n");
  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolls again when the text changes
  useLayoutEffect(() => {
    if (box.current !== null) box.current.scrollTop = box.current.scrollHeight;
  }, [text]);
  return (
    <pre className="inspector-console" ref={box}>
      {text}
    </pre>
  );
}
