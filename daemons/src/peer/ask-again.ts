/**
 * A query's or write's first member did not answer (it died, and the manager does not
 * know yet): ask the manager for another member, a few times, instead of failing a
 * command that the rest of the ring can still serve. And a manager repairing the ring
 * says so (BUSY with `retry`): ask it again shortly, until the repair is done.
 */
import type { ManagerRequestBody } from "../protocol/messages.ts";
import { myTuple, print, requestOf } from "./membership.ts";
import type { PeerState, Step, Timer, WriteCommand } from "./state.ts";

/** How often, and how many times, a query or write asks again while a repair runs. */
export const REPAIR_WAIT_MS = 200;
export const REPAIR_WAITS = 25;

/** How many times a command asks again before it fails UNDELIVERED. */
export const FIRST_HOP_RETRIES = 2;

/**
 * The retry, or null when the command has asked again often enough. `why`: what the
 * member did, e.g. "beta did not answer" or "beta is not ready (BUSY)".
 */
export function askAgain(
  state: PeerState,
  why: string,
  what: { eventId: number | null; write?: WriteCommand; retryOf?: number },
): Step | null {
  const { current } = state;
  const me = myTuple(state);
  const retries = current?.retries ?? 0;
  if (current === null || me === null || retries >= FIRST_HOP_RETRIES) return null;
  const request = { type: "query-dht" as const, name: me.name };
  const sent = requestOf({ ...state, current: { ...current, retries: retries + 1 } }, request);
  return {
    state: {
      ...sent.state,
      awaiting: { kind: "manager", requestId: sent.requestId, request, ...what },
    },
    effects: [print(`${why}; asking the manager for another member`), sent.effect],
  };
}

/** The manager is repairing the ring: ask again in a moment, or null when waited enough. */
export function waitForRepair(
  state: PeerState,
  request: ManagerRequestBody,
  what: { eventId: number | null; write?: WriteCommand; retryOf?: number },
  refusal: string,
): Step | null {
  const { current } = state;
  const waits = current?.repairWaits ?? 0;
  if (current === null || waits >= REPAIR_WAITS) return null;
  const timer: Timer = { kind: "ask-again", commandId: current.commandId, request, ...what };
  const told =
    waits === 0
      ? [print(refusal), print("the ring is being repaired; asking again until it is done")]
      : [];
  return {
    state: { ...state, current: { ...current, repairWaits: waits + 1 } },
    effects: [...told, { kind: "start-timer", timer, ms: REPAIR_WAIT_MS }],
  };
}

export function onAskAgainTimer(
  state: PeerState,
  timer: Extract<Timer, { kind: "ask-again" }>,
): Step {
  if (state.current?.commandId !== timer.commandId || state.awaiting !== null) {
    return { state, effects: [] };
  }
  const { request, eventId, write, retryOf } = timer;
  const sent = requestOf(state, request);
  return {
    state: {
      ...sent.state,
      awaiting: {
        kind: "manager",
        requestId: sent.requestId,
        request,
        eventId,
        ...(write === undefined ? {} : { write }),
        ...(retryOf === undefined ? {} : { retryOf }),
      },
    },
    effects: [sent.effect],
  };
}
