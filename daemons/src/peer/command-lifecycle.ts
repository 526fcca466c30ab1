/**
 * When a console command ends. A command runs from its line to its outcome (a setup until
 * dht-complete is acknowledged, a leave or join until dht-rebuilt, a query until its
 * answer), so a control channel can return what it printed; one runs at a time.
 */
import type { Command } from "./command-line.ts";
import type { CommandFailure, PeerEffect, PeerState, Step } from "./state.ts";

export function done(commandId: number, failure: CommandFailure | null): PeerEffect {
  return { kind: "done", commandId, failure };
}

export const REFUSED: CommandFailure = { reason: "REFUSED" };

/** Ends the current command (if `kinds` is given, only a command of one of those kinds). */
export function finishCurrent(
  step: Step,
  failure: CommandFailure | null,
  kinds?: readonly Command["kind"][],
): Step {
  const current = step.state.current;
  if (current === null || (kinds !== undefined && !kinds.includes(current.kind))) return step;
  return {
    state: { ...step.state, current: null },
    effects: [...step.effects, done(current.commandId, failure)],
  };
}

/** Commands that go on after the manager's SUCCESS, through the ring. */
export const RING_COMMANDS: readonly Command["kind"][] = [
  "setup-dht",
  "query-dht",
  "leave-dht",
  "join-dht",
  "teardown-dht",
  "insert-event",
  "delete-event",
];

/** Which command an automatic completion request finishes. */
export const FINISHED_BY: Partial<Record<string, readonly Command["kind"][]>> = {
  "dht-complete": ["setup-dht"],
  "dht-rebuilt": ["leave-dht", "join-dht"],
  "teardown-complete": ["teardown-dht"],
};

export function isIdle(state: PeerState): boolean {
  return state.current === null && state.awaiting === null;
}
