/**
 * A query's or write's first member did not answer (it died, and the manager does not
 * know yet): ask the manager for another member, a few times, instead of failing a
 * command that the rest of the ring can still serve.
 */
import { myTuple, print, requestOf } from "./membership.ts";
import type { PeerState, Step, WriteCommand } from "./state.ts";

/** How many times a command asks again before it fails UNDELIVERED. */
export const FIRST_HOP_RETRIES = 2;

/** The retry, or null when the command has asked again often enough. */
export function askAgain(
  state: PeerState,
  silent: string,
  what: { eventId: number | null; write?: WriteCommand },
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
    effects: [
      print(`${silent} did not answer; asking the manager for another member`),
      sent.effect,
    ],
  };
}
