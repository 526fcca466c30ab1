/** leave-dht, join-dht and dht-rebuilt (PROTOCOL.md section 6). */
import type { ManagerRequestOf } from "../protocol/messages.ts";
import { finishPhase } from "./dht-lifecycle.ts";
import { ringWithout } from "./liveness.ts";
import { failure, type ManagerResult, quote, type SuccessFields, success } from "./result.ts";
import {
  type Dht,
  type ManagerState,
  type RegisteredPeer,
  requirePeer,
  type Standing,
  tupleOf,
  updatePeers,
} from "./state.ts";

export function leaveDht(state: ManagerState, caller: RegisteredPeer): ManagerResult {
  const { dht } = state;
  if (dht === null) return failure(state, "NO_DHT", "there is no DHT to leave");
  if (!dht.members.includes(caller.name)) {
    return failure(state, "NOT_IN_DHT", `peer "${caller.name}" is not a member of the DHT`);
  }
  if (dht.members.length === 1) {
    return failure(
      state,
      "LAST_MEMBER",
      `"${caller.name}" is the last member of the DHT; use teardown-dht to end it`,
    );
  }
  return startChurn(state, dht, "leave", caller, {
    text: `"${caller.name}" may leave the DHT; waiting for dht-rebuilt`,
  });
}

export function joinDht(state: ManagerState, caller: RegisteredPeer): ManagerResult {
  const { dht } = state;
  if (dht === null) return failure(state, "NO_DHT", "there is no DHT to join");
  if (caller.state !== "Free") {
    return failure(state, "NOT_FREE", `peer "${caller.name}" is already in the DHT`);
  }
  const leader = tupleOf(requirePeer(state, dht.leader));
  return startChurn(state, dht, "join", caller, {
    tuple: leader,
    text: `"${caller.name}" may join the DHT led by "${leader.name}"; waiting for dht-rebuilt`,
  });
}

function startChurn(
  state: ManagerState,
  dht: Dht,
  kind: "leave" | "join",
  caller: RegisteredPeer,
  reply: SuccessFields,
): ManagerResult {
  const rebuilding: Dht = { ...dht, phase: "rebuilding" };
  const pending = { kind, peer: caller.name };
  return success(
    { ...state, dht: rebuilding, pending },
    [
      { kind: "dht", dht: rebuilding },
      { kind: "pending", pending },
    ],
    reply,
  );
}

export function dhtRebuilt(
  state: ManagerState,
  request: ManagerRequestOf<"dht-rebuilt">,
  caller: RegisteredPeer,
): ManagerResult {
  const { dht, pending } = state;
  if (
    dht === null ||
    pending === null ||
    (pending.kind !== "leave" && pending.kind !== "join" && pending.kind !== "repair") ||
    pending.peer !== caller.name
  ) {
    return failure(
      state,
      "NOT_CHURNING",
      `"${caller.name}" has not started a leave, join or repair`,
    );
  }

  // The ring without whoever is gone is renumbered from its right neighbour, as in a leave.
  const gone = pending.kind === "leave" ? caller.name : pending.dead;
  const members =
    gone === undefined ? [...dht.members, caller.name] : ringWithout(dht.members, gone);
  const [newLeader] = members;
  if (request.leader !== newLeader) {
    const why =
      gone === undefined
        ? `a join keeps "${dht.leader}" as the leader`
        : `${pending.kind === "leave" ? `after "${gone}" leaves` : `without "${gone}"`}, its right neighbour "${newLeader}" leads the ring`;
    return failure(state, "BAD_ARGUMENT", `${why}, not ${quote(request.leader)}`);
  }

  const callerStanding: Standing = pending.kind === "leave" ? "Free" : "InDHT";
  const updates: [string, Standing][] = [[caller.name, callerStanding]];
  if (dht.leader !== newLeader && members.includes(dht.leader)) {
    updates.push([dht.leader, "InDHT"]);
  }
  updates.push([newLeader, "Leader"]);
  const rebuilt: Dht = { ...dht, leader: newLeader, members };
  return finishPhase(
    state,
    rebuilt,
    `the DHT is rebuilt with ${members.length} members, led by "${newLeader}"`,
    updatePeers(state.peers, updates),
  );
}
