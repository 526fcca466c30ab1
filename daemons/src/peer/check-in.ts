/**
 * A member checks that the manager's DHT is still the ring it believes it is in: every
 * CHECK_IN_EVERY_TICKS probe ticks while no command of its own runs (that has its own
 * deadline), and at once after a pause (SIGSTOP, a suspended laptop) longer than its
 * neighbours wait. A member left behind by a setup that failed, or repaired out of its
 * ring while it could not see it, would otherwise go on holding records and refusing the
 * next set-id. If the manager no longer registers it,
 * it starts afresh; if the manager's ring is another, it drops its part of the DHT.
 */
import type { Reply } from "../protocol/messages.ts";
import { myTuple, print, requestOf } from "./membership.ts";
import { probeRightNeighbour } from "./repair.ts";
import type { PeerEffect, PeerState, Step } from "./state.ts";

/** With the default 1 s probe interval: every 10 s. */
export const CHECK_IN_EVERY_TICKS = 10;

export function onTick(state: PeerState, pausedMs: number | undefined): Step {
  if (pausedMs !== undefined) {
    const seconds = (pausedMs / 1000).toFixed(1);
    const line = `this peer was paused for ${seconds} s, long enough to be taken for dead; checking in`;
    return checkIn({ ...state, ticksSinceCheckIn: 0 }, [print(line)]);
  }
  const probed = probeRightNeighbour(state);
  const ticks = state.ticksSinceCheckIn + 1;
  if (ticks < CHECK_IN_EVERY_TICKS || state.membership === null || state.current !== null) {
    return { state: { ...probed.state, ticksSinceCheckIn: ticks }, effects: probed.effects };
  }
  return checkIn({ ...probed.state, ticksSinceCheckIn: 0 }, probed.effects);
}

function checkIn(state: PeerState, before: PeerEffect[]): Step {
  const me = myTuple(state);
  if (me === null) return { state, effects: before };
  // The answer is about this membership: a set-id arriving meanwhile makes it moot.
  const sent = requestOf(
    { ...state, checkedIn: state.membership },
    { type: "check-in", name: me.name },
  );
  return { state: sent.state, effects: [...before, sent.effect] };
}

/** The manager's ring, or none: if it is not this member's ring, drop this member's part. */
export function afterCheckIn(state: PeerState, reply: Reply): Step {
  const { membership } = state;
  if (membership === null || membership !== state.checkedIn || state.current !== null) {
    return { state, effects: [] };
  }
  // As sets: which peers make up the ring is what tells a stale membership.
  const namesOf = (tuples: { name: string }[]) =>
    tuples
      .map((tuple) => tuple.name)
      .sort()
      .join(" ");
  const mine = namesOf(membership.tuples);
  const managers = namesOf(reply.tuples ?? []);
  if (mine === managers) return { state, effects: [] };
  const why =
    managers === "" ? "has no DHT with this peer in it" : `has a ring of ${managers}, not ${mine}`;
  return {
    state: { ...state, membership: null, build: null, churn: null },
    effects: [
      { kind: "drop-table" },
      print(`the manager ${why}: this peer drops its part (a setup or repair that failed)`),
    ],
  };
}

/** The manager no longer registers this peer (it was reported dead): start afresh. */
export function afterCheckInRefused(state: PeerState): Step {
  const wasMember = state.membership !== null;
  const effects: PeerEffect[] = [
    ...(wasMember ? [{ kind: "drop-table" as const }] : []),
    { kind: "unbind" },
    print(
      `the manager took this peer for dead while it was paused: ${wasMember ? "its ring was repaired without it, " : ""}it is no longer registered; register again to rejoin`,
    ),
  ];
  return {
    state: { ...state, registration: null, membership: null, build: null, churn: null },
    effects,
  };
}
