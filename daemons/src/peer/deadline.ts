/**
 * Ring commands end within a bounded time: a setup, leave, join or teardown that has no
 * outcome by its deadline ends with FAILURE TIMEOUT, and this peer drops what it held of
 * the ring, as the manager does when its own wait for that command runs out.
 */
import { finishCurrent, RING_COMMANDS } from "./command-lifecycle.ts";
import type { Command } from "./command-line.ts";
import { print } from "./membership.ts";
import type { PeerState, Step } from "./state.ts";

/** The commands that change the ring (a query and a write have their own, shorter timeout). */
export const RING_CHANGES: readonly Command["kind"][] = RING_COMMANDS.filter(
  (kind) => kind !== "query-dht" && kind !== "insert-event" && kind !== "delete-event",
);

export function handleCommandDeadline(state: PeerState, commandId: number): Step {
  const current = state.current;
  if (current === null || current.commandId !== commandId) return { state, effects: [] };
  const why = `no outcome within ${state.commandTimeoutMs / 1000} s (a member or the manager stopped answering)`;
  return abandonRingCommand(state, "TIMEOUT", why);
}

/**
 * The ring command under way cannot complete: it ends with FAILURE `reason`, and this
 * peer drops what it held of the ring, as the manager does when its wait runs out.
 */
export function abandonRingCommand(state: PeerState, reason: string, why: string): Step {
  const current = state.current;
  if (current === null || !RING_CHANGES.includes(current.kind)) return { state, effects: [] };
  const reset: PeerState = { ...state, awaiting: null, build: null, churn: null, membership: null };
  const line = `${current.kind}: FAILURE ${reason}: ${why}; this peer drops its part of the DHT`;
  return finishCurrent(
    { state: reset, effects: [{ kind: "drop-table" }, print(line)] },
    { reason },
  );
}
