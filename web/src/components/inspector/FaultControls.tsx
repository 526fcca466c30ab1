/**
 * A lecture's faults on the inspected peer: Kill, Pause or Resume, Restart, its Loss
 * (0-50% of every datagram it sends, set over its control channel), and Drop next message
 * on its link to its right neighbour. Each says why when it cannot be used; the page shows
 * the effect when the events it causes reach the log.
 */
import { useEffect, useRef, useState } from "react";
import { faults } from "../../model/fault-actions.ts";
import { faultAvailability, LOSS_STEP_PERCENT, MAX_LOSS_PERCENT } from "../../model/faults.ts";
import type { InspectedNode } from "../../model/inspector.ts";
import { ReasonedButton } from "../ReasonedButton.tsx";

export function FaultControls({
  node,
  notNow,
}: {
  node: InspectedNode;
  /** Why no fault may be made now (the past, a recorded session), or null. */
  notNow: string | null;
}) {
  const { daemon, rightNeighbourAddress } = node;
  const [busy, setBusy] = useState<string | null>(null);
  const availability = faultAvailability(daemon, {
    notNow,
    hasRightNeighbour: rightNeighbourAddress !== null,
  });
  const run = async (what: string, action: () => Promise<boolean>) => {
    setBusy(`${what} is under way`);
    await action();
    setBusy(null);
  };
  const reason = (control: keyof typeof availability) => busy ?? availability[control];
  return (
    <fieldset className="inspector-faults">
      <legend>Faults</legend>
      <div className="inspector-fault-buttons">
        <ReasonedButton
          className="danger"
          reason={reason("Kill")}
          title="SIGKILL: it crashes; its ring neighbour reports it and the ring is repaired"
          onClick={() => void run("Kill", () => faults.kill(daemon.id))}
        >
          Kill
        </ReasonedButton>
        {daemon.paused ? (
          <ReasonedButton
            reason={reason("Resume")}
            title="SIGCONT: it runs again and notices it was paused"
            onClick={() => void run("Resume", () => faults.resume(daemon.id))}
          >
            Resume
          </ReasonedButton>
        ) : (
          <ReasonedButton
            reason={reason("Pause")}
            title="SIGSTOP: it answers nothing; after --dead-after it is taken for dead"
            onClick={() => void run("Pause", () => faults.pause(daemon.id))}
          >
            Pause
          </ReasonedButton>
        )}
        <ReasonedButton
          reason={reason("Restart")}
          title="a fresh process with the same options, unregistered"
          onClick={() => void run("Restart", () => faults.restart(daemon.id))}
        >
          Restart
        </ReasonedButton>
      </div>
      <LossSlider node={node} blocked={reason("Loss")} />
      <div className="inspector-drop">
        <ReasonedButton
          reason={reason("Drop next message")}
          title="its next message on that link (not a probe) is lost once, then retransmitted"
          onClick={() => {
            if (rightNeighbourAddress === null) return;
            void run("Drop next message", () => faults.dropNext(daemon.id, rightNeighbourAddress));
          }}
        >
          Drop next message
        </ReasonedButton>
        <span className="muted">
          {node.rightNeighbour === null
            ? ""
            : `on the link to ${node.rightNeighbour.split(" ")[0]}`}
        </span>
      </div>
    </fieldset>
  );
}

/**
 * The loss at the cursor, or the one being set until the peer's snapshot shows it. Each
 * value is sent as the slider moves, one request at a time and the newest last, and not
 * lost when the inspector turns to another peer meanwhile.
 */
function LossSlider({ node, blocked }: { node: InspectedNode; blocked: string | null }) {
  const shown = Math.round(node.loss * 100);
  const [draft, setDraft] = useState<number | null>(null);
  const daemonId = node.daemon.id;
  const queued = useRef<number | null>(null);
  const sending = useRef(false);
  useEffect(() => {
    if (draft === shown) setDraft(null);
  }, [draft, shown]);
  const send = async (percent: number) => {
    setDraft(percent);
    queued.current = percent;
    if (sending.current) return;
    sending.current = true;
    for (let next: number | null = queued.current; next !== null; next = queued.current) {
      queued.current = null;
      if (!(await faults.setLoss(daemonId, next))) setDraft(null);
    }
    sending.current = false;
  };
  const value = draft ?? shown;
  return (
    <div className="inspector-loss">
      <label htmlFor={`loss-${daemonId}`}>Loss</label>
      <input
        id={`loss-${daemonId}`}
        type="range"
        min={0}
        max={MAX_LOSS_PERCENT}
        step={LOSS_STEP_PERCENT}
        value={value}
        disabled={blocked !== null}
        title={blocked ?? "the share of every datagram it sends that is dropped"}
        aria-valuetext={`${value}% of the datagrams it sends are dropped`}
        onChange={(event) => void send(Number(event.target.value))}
      />
      <output className="mono" htmlFor={`loss-${daemonId}`}>
        {value}%
      </output>
    </div>
  );
}
