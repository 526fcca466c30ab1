/**
 * Ring commands end within a bounded time: a setup, leave, join or teardown that has no
 * outcome by its deadline ends with FAILURE TIMEOUT, and this peer drops what it held of
 * the ring, as the manager does when its own wait for that command runs out.
 */
import { finishCurrent, RING_COMMANDS } from "./command-lifecycle.ts";
import type { Command } from "./command-line.ts";
import { print } from "./membership.ts";
import type { PeerState, Step } from "./state.ts";

/** The commands that change the ring (a query has its own, shorter timeout). */
export const RING_CHANGES: readonly Command["kind"][] = RING_COMMANDS.filter(
  (kind) => kind !== "query-dht",
);

/** A little over the manager's default --wait-timeout of 30 s, so its rollback comes first. */
export const RING_COMMAND_DEADLINE_MS = 35_000;

export function handleCommandDeadline(state: PeerState, commandId: number): Step {
  const current = state.current;
  if (current === null || current.commandId !== commandId) return { state, effects: [] };
  const why = `no outcome within ${RING_COMMAND_DEADLINE_MS / 1000} s (a member or the manager stopped answering); this peer drops its part of the DHT`;
  const reset: PeerState = { ...state, awaiting: null, build: null, churn: null, membership: null };
  return finishCurrent(
    {
      state: reset,
      effects: [{ kind: "drop-table" }, print(`${current.kind}: FAILURE TIMEOUT: ${why}`)],
    },
    { reason: "TIMEOUT" },
  );
}
