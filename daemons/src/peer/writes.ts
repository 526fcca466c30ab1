/**
 * Writes on a replicated ring (beyond PROTOCOL.md), as pure steps of the peer state
 * machine: insert-event and delete-event enter at any member, go to the record's primary
 * (`pos mod n`), and from there either down its chain to the tail, which acknowledges
 * (`chain`), or to every copy in the background after the primary has acknowledged
 * (`eventual`). The local table is the runtime's: `apply-write` asks it to change it.
 */
import { ownerOf } from "../data/hashing.ts";
import { chainIndexOf, holdersOf, SINGLE_COPY } from "../data/placement.ts";
import type { PeerBody, PeerMessageOf, PeerTuple } from "../protocol/messages.ts";
import { toRecordLine } from "../protocol/record-line.ts";
import { askAgain } from "./ask-again.ts";
import { finishCurrent } from "./command-lifecycle.ts";
import { myTuple, print, ringSizeOf } from "./membership.ts";
import { QUERY_TIMEOUT_MS } from "./query.ts";
import type {
  Membership,
  PeerContext,
  PeerEffect,
  PeerState,
  Step,
  WriteCommand,
} from "./state.ts";

/** A write waits as long as a query for its acknowledgement. */
export const WRITE_TIMEOUT_MS = QUERY_TIMEOUT_MS;

type WriteBody = Extract<PeerBody, { type: "write" }>;

const eventIdOfCommand = (command: WriteCommand): number =>
  command.kind === "delete-event" ? command.eventId : Number(command.record[0]);

/** Why a member cannot take a write now, or null if it can. */
function refusalOf(membership: Membership | null): string | null {
  if (membership === null || !membership.usable || membership.tableSize === null) return "BUSY";
  return membership.replication === null ? "READ_ONLY" : null;
}

const WHY: Record<string, string> = {
  BUSY: "the DHT is being built, rebuilt or torn down; try again",
  READ_ONLY:
    "the DHT was set up without replicas= or consistency= (the assignment's read-only DHT)",
  UNKNOWN_EVENT: "no record of that event id is stored",
  UNREACHABLE: "the record's primary did not answer; try again once the ring is repaired",
  UNDELIVERED: "the member asked did not answer",
  NOT_PRIMARY: "the member asked is not the record's primary (the ring changed); try again",
  TIMEOUT: `no answer within ${WRITE_TIMEOUT_MS / 1000} s`,
};

/**
 * The console's write, sent to `member` (named by the manager), or, when this peer is a
 * member itself, straight to the record's primary.
 */
export function startWrite(
  state: PeerState,
  command: WriteCommand,
  member: PeerTuple | null,
  context: PeerContext,
): Step {
  const origin = myTuple(state);
  const eventId = eventIdOfCommand(command);
  if (origin === null) return { state, effects: [print("error: not registered")] };
  const { membership } = state;
  let to = member;
  let hop: WriteBody["hop"] = "entry";
  if (member === null) {
    const refusal = refusalOf(membership);
    if (refusal !== null || membership === null || membership.tableSize === null) {
      return endWrite(state, command.kind, eventId, refusal ?? "BUSY");
    }
    to = membership.tuples[ownerOf(eventId, membership.tableSize, ringSizeOf(membership))] ?? null;
    hop = "primary";
  }
  if (to === null) return endWrite(state, command.kind, eventId, "BUSY");
  const writeId = state.nextWriteId;
  const nonce = context.nonce();
  const body: WriteBody = {
    type: "write",
    writeId,
    nonce,
    eventId,
    origin,
    hop,
    ...(command.kind === "insert-event" ? { record: toRecordLine(command.record) } : {}),
  };
  return {
    state: {
      ...state,
      nextWriteId: writeId + 1,
      writes: [...state.writes, { writeId, eventId, nonce, command }],
    },
    effects: [
      { kind: "send", to, body },
      { kind: "start-timer", timer: { kind: "write", writeId }, ms: WRITE_TIMEOUT_MS },
    ],
  };
}

export function resultBody(write: WriteBody, reason: string | null, by?: number): PeerBody {
  const { writeId, nonce, eventId } = write;
  return {
    type: "write-result",
    writeId,
    nonce,
    eventId,
    ...(reason === null ? {} : { reason }),
    ...(by === undefined ? {} : { by }),
  };
}

export function onWrite(state: PeerState, message: PeerMessageOf<"write">): Step {
  const { membership } = state;
  const write: WriteBody = withoutEnvelope(message);
  const refusal = refusalOf(membership);
  if (refusal !== null || membership === null || membership.tableSize === null) {
    // A copy's update that finds the ring being rebuilt is gathered from the others.
    if (write.hop === "chain" || write.hop === "copy") return { state, effects: [] };
    return reply(state, write, refusal ?? "BUSY");
  }
  const ringSize = ringSizeOf(membership);
  const primary = ownerOf(write.eventId, membership.tableSize, ringSize);
  const me = membership.nodeId;
  if (write.hop === "entry" && primary !== me) {
    const to = membership.tuples[primary] as PeerTuple;
    return { state, effects: [{ kind: "send", to, body: { ...write, hop: "primary" } }] };
  }
  if (write.hop === "entry" || write.hop === "primary") {
    if (primary !== me) return reply(state, write, "NOT_PRIMARY");
    return { state, effects: [applyAtPrimary(membership, write)] };
  }
  const { replicas } = membership.replication ?? SINGLE_COPY;
  if (chainIndexOf(me, primary, replicas, ringSize) <= 0) return { state, effects: [] };
  const then = write.hop === "chain" ? chainOnwardFrom(membership, write, me, primary) : [];
  return { state, effects: [applyWrite(write, true, null, then)] };
}

/** The primary applies the write, then passes it down the chain or acknowledges at once. */
function applyAtPrimary(membership: Membership, write: WriteBody): PeerEffect {
  const ringSize = ringSizeOf(membership);
  const { replicas, consistency } = membership.replication ?? SINGLE_COPY;
  const primary = membership.nodeId;
  const copies = holdersOf(primary, replicas, ringSize).slice(1);
  const at = (nodeId: number) => membership.tuples[nodeId] as PeerTuple;
  const acknowledge = { to: write.origin, body: resultBody(write, null, primary) };
  const then =
    consistency === "eventual"
      ? [acknowledge, ...copies.map((nodeId) => ({ to: at(nodeId), body: copyOf(write, "copy") }))]
      : chainOnwardFrom(membership, write, primary, primary);
  const { origin, writeId, nonce } = write;
  return applyWrite(write, false, { origin, writeId, nonce }, then);
}

/** Down the chain from `from`: the next copy, or the writer's acknowledgement at the tail. */
export function chainOnwardFrom(
  membership: Membership,
  write: WriteBody,
  from: number,
  primary: number,
  skipping: readonly number[] = [],
): { to: PeerTuple; body: PeerBody }[] {
  const ringSize = ringSizeOf(membership);
  const { replicas } = membership.replication ?? SINGLE_COPY;
  const chain = holdersOf(primary, replicas, ringSize);
  const next = chain.slice(chain.indexOf(from) + 1).find((nodeId) => !skipping.includes(nodeId));
  if (next === undefined) {
    return [{ to: write.origin, body: resultBody(write, null, membership.nodeId) }];
  }
  return [{ to: membership.tuples[next] as PeerTuple, body: copyOf(write, "chain") }];
}

const copyOf = (write: WriteBody, hop: "chain" | "copy"): PeerBody => ({ ...write, hop });

function applyWrite(
  write: WriteBody,
  copy: boolean,
  primaryOf: { origin: PeerTuple; writeId: number; nonce: string } | null,
  then: { to: PeerTuple; body: PeerBody }[],
): PeerEffect {
  return {
    kind: "apply-write",
    eventId: write.eventId,
    record: write.record ?? null,
    copy,
    primaryOf,
    then,
  };
}

function reply(state: PeerState, write: WriteBody, reason: string): Step {
  return { state, effects: [{ kind: "send", to: write.origin, body: resultBody(write, reason) }] };
}

function withoutEnvelope(message: PeerMessageOf<"write">): WriteBody {
  const { v: _v, from: _from, sess: _sess, id: _id, clock: _clock, seq: _seq, ...body } = message;
  return body;
}

export function onWriteResult(state: PeerState, message: PeerMessageOf<"write-result">): Step {
  const pending = state.writes.find((write) => write.writeId === message.writeId);
  if (pending === undefined) return { state, effects: [] };
  if (message.reason === "BUSY" && state.membership === null) {
    // As a query does: a free writer asks the manager, who knows when a repair is over.
    const writes = state.writes.filter((write) => write.writeId !== message.writeId);
    const why = `${message.from} is not ready (BUSY)`;
    const retry = askAgain({ ...state, writes }, why, { eventId: null, write: pending.command });
    if (retry !== null) return retry;
  }
  const by = message.by === undefined ? [] : [`acknowledged by node ${message.by}`];
  const ended = endWrite(
    state,
    pending.command.kind,
    pending.eventId,
    message.reason ?? null,
    pending.writeId,
  );
  return { state: ended.state, effects: [...by.map(print), ...ended.effects] };
}

/** The write is over: its line, and the console command ends with it. */
export function endWrite(
  state: PeerState,
  kind: WriteCommand["kind"],
  eventId: number,
  reason: string | null,
  writeId?: number,
): Step {
  const line =
    reason === null
      ? `${kind} ${eventId}: SUCCESS`
      : `${kind} ${eventId}: FAILURE ${reason}: ${WHY[reason] ?? "the write was refused"}`;
  const writes = state.writes.filter((write) => write.writeId !== writeId);
  return finishCurrent(
    { state: { ...state, writes }, effects: [print(line)] },
    reason === null ? null : { reason },
    [kind],
  );
}

export function handleWriteTimer(state: PeerState, writeId: number): Step {
  const pending = state.writes.find((write) => write.writeId === writeId);
  if (pending === undefined) return { state, effects: [] };
  return endWrite(state, pending.command.kind, pending.eventId, "TIMEOUT", writeId);
}
