/**
 * When a wait runs out (beyond PROTOCOL.md): the manager waited `--wait-timeout` for a
 * dht-complete, dht-rebuilt or teardown-complete that did not come, so the peer that owed
 * it is dead or stuck. A join is undone, the DHT ready again with the members it had: a
 * joiner that never began (or went silent on purpose) has changed nothing, and one that
 * died while the ring was rebuilt for it is reported dead by its left neighbour, which
 * ends the DHT first (liveness.ts). Nothing else can be undone: a leave tears the ring
 * down as soon as the manager agrees, so the DHT is deleted and its members are Free (a
 * Dead one stays Dead); a member that still holds a part learns so when it next checks in.
 */
import { type ManagerChange, type ManagerState, type Pending, updatePeers } from "./state.ts";

const AWAITED: Record<Pending["kind"], string> = {
  setup: "dht-complete",
  leave: "dht-rebuilt",
  join: "dht-rebuilt",
  repair: "dht-rebuilt",
  teardown: "teardown-complete",
};

export interface Expiry {
  state: ManagerState;
  changes: ManagerChange[];
  /** What the manager prints, and what a late completion is told. */
  why: string;
}

export function expirePending(state: ManagerState, waitedMs: number): Expiry | null {
  const { pending, dht } = state;
  if (pending === null) return null;
  const waited = `no ${AWAITED[pending.kind]} from ${pending.peer} within ${waitedMs / 1000} s`;
  if (pending.kind === "join" && dht !== null) {
    const ready = { ...dht, phase: "ready" as const };
    return {
      state: { ...state, dht: ready, pending: null },
      changes: [
        { kind: "dht", dht: ready },
        { kind: "pending", pending: null },
      ],
      why: `${waited}; the join is undone and the DHT is ready with its ${dht.members.length} members`,
    };
  }
  const members = dht?.members ?? [];
  const { peers, changes } = updatePeers(
    state.peers,
    members.flatMap((name) =>
      state.peers.get(name)?.state === "Dead" ? [] : [[name, "Free"] as const],
    ),
  );
  const why = `${waited}; the DHT${dht === null ? "" : ` led by ${dht.leader}`} is deleted and its members are Free`;
  return {
    state: { peers, dht: null, pending: null },
    changes: [...changes, { kind: "dht", dht: null }, { kind: "pending", pending: null }],
    why,
  };
}
