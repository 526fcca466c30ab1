/**
 * The manager's replies, as pure steps of the peer state machine: a reply or a failure is
 * matched to the request it answers by request id, ends or continues the command that
 * sent it, and on SUCCESS starts what follows (a setup's set-ids, a leave's teardown, ...).
 */
import { describeReply, describeRequest } from "../protocol/describe.ts";
import type { ManagerRequestBody, PeerTuple, Reply } from "../protocol/messages.ts";
import { waitForRepair } from "./ask-again.ts";
import { startSetup } from "./build.ts";
import { afterCheckIn, afterCheckInRefused } from "./check-in.ts";
import { beginTeardown } from "./churn.ts";
import { FINISHED_BY, finishCurrent, RING_COMMANDS } from "./command-lifecycle.ts";
import { myTuple, print, ringSizeOf } from "./membership.ts";
import { resendQuery, startQuery } from "./query.ts";
import { afterReportDead } from "./repair.ts";
import { replicationOf } from "./replication.ts";
import type { PeerContext, PeerEffect, PeerState, Step } from "./state.ts";
import { startWrite } from "./writes.ts";

/** The awaited request this reply or failure answers, or null for an automatic one. */
function awaitedBy(state: PeerState, requestId: number) {
  return state.awaiting?.kind === "manager" && state.awaiting.requestId === requestId
    ? state.awaiting
    : null;
}

const NO_ANSWER = { reason: "NO_ANSWER" };

export function handleRequestFailed(
  state: PeerState,
  requestId: number,
  request: ManagerRequestBody,
  error: string,
): Step {
  const mine = awaitedBy(state, requestId) !== null;
  const effects: PeerEffect[] = [
    print(`${describeRequest(request)}: no answer from the manager (${error})`),
  ];
  if (request.type === "register" && mine) effects.push({ kind: "unbind" });
  const failed = { state: mine ? { ...state, awaiting: null } : state, effects };
  return mine
    ? finishCurrent(failed, NO_ANSWER)
    : finishCurrent(failed, NO_ANSWER, FINISHED_BY[request.type] ?? []);
}

export function handleReply(
  state: PeerState,
  requestId: number,
  request: ManagerRequestBody,
  reply: Reply,
  context: PeerContext,
): Step {
  const awaiting = awaitedBy(state, requestId);
  const base: PeerState = awaiting ? { ...state, awaiting: null } : state;
  // A check-in is routine: it prints only what it changes (check-in.ts).
  const replyLine = `${describeRequest(request)}: ${describeReply(reply)}`;
  const effects: PeerEffect[] = request.type === "check-in" ? [] : [print(replyLine)];
  const finishes = awaiting ? undefined : (FINISHED_BY[request.type] ?? []);
  if (reply.status === "FAILURE") {
    const failure = { reason: reply.reason ?? "FAILURE" };
    if (reply.retry === true && awaiting !== null) {
      const { eventId, write, retryOf } = awaiting;
      const what = {
        eventId,
        ...(write === undefined ? {} : { write }),
        ...(retryOf === undefined ? {} : { retryOf }),
      };
      const waiting = waitForRepair(base, request, what, replyLine);
      if (waiting !== null) return waiting;
    }
    if (awaiting?.retryOf !== undefined) {
      // The walk asked again ends with this refusal; its timer must not end a later query.
      const queries = base.queries.filter((query) => query.queryId !== awaiting.retryOf);
      return finishCurrent({ state: { ...base, queries }, effects }, failure, finishes);
    }
    if (awaiting?.write !== undefined) {
      // The write's own line says why it failed: the manager named no member to take it.
      const { kind } = awaiting.write;
      const eventId = kind === "delete-event" ? awaiting.write.eventId : awaiting.write.record[0];
      effects.push(print(`${kind} ${eventId}: FAILURE ${failure.reason}: ${reply.text ?? ""}`));
    }
    if (request.type === "check-in" && reply.reason === "NOT_REGISTERED") {
      const dropped = afterCheckInRefused(base);
      return finishCurrent(
        { state: dropped.state, effects: [...effects, ...dropped.effects] },
        failure,
        finishes,
      );
    }
    if (request.type === "register") effects.push({ kind: "unbind" });
    return finishCurrent({ state: abandonOnFailure(base, request), effects }, failure, finishes);
  }
  const next =
    awaiting?.write !== undefined
      ? startWrite(base, awaiting.write, reply.tuple ?? null, context)
      : awaiting?.retryOf !== undefined && reply.tuple !== undefined
        ? resendQuery(base, reply.tuple, awaiting.retryOf)
        : afterSuccess(base, request, reply, awaiting?.eventId ?? null, context);
  const step = { state: next.state, effects: [...effects, ...next.effects] };
  // A ring command goes on after its SUCCESS; anything else, or the completion message, ends here.
  const current = step.state.current;
  const goesOn =
    awaiting !== null &&
    step.state.awaitingEventId === null &&
    current !== null &&
    RING_COMMANDS.includes(current.kind);
  return goesOn ? step : finishCurrent(step, null, finishes);
}

/**
 * A refused request drops what was prepared for it: the records loaded for a setup, the
 * suspicion behind a report-dead (the next probe that fails reports again).
 */
function abandonOnFailure(state: PeerState, request: ManagerRequestBody): PeerState {
  if (request.type === "setup-dht") return { ...state, build: null };
  if (request.type === "report-dead" && state.churn?.kind === "repair") {
    return { ...state, churn: null };
  }
  return state;
}

function afterSuccess(
  state: PeerState,
  request: ManagerRequestBody,
  reply: Reply,
  eventId: number | null,
  context: PeerContext,
): Step {
  const none = { state, effects: [] };
  switch (request.type) {
    case "register":
      return {
        state: {
          ...state,
          registration: {
            name: request.name,
            ip: request.ip,
            mport: request.mport,
            pport: request.pport,
          },
        },
        effects: [],
      };
    case "setup-dht":
      return startSetup(state, reply.tuples ?? [], request.year, replicationOf(request));
    case "report-dead":
      return afterReportDead(state, reply);
    case "check-in":
      return afterCheckIn(state, reply);
    case "dht-complete":
      return {
        state: {
          ...state,
          build: null,
          membership: state.membership && { ...state.membership, usable: true },
        },
        effects: [
          print(`DHT of ${state.membership ? ringSizeOf(state.membership) : "?"} nodes is ready`),
        ],
      };
    case "query-dht":
      return afterQueryDht(state, request.name, reply.tuple, eventId, context);
    case "leave-dht":
      return beginTeardown(state, "leave", ({ year }) => ({
        kind: "leave",
        stage: "teardown",
        year,
      }));
    case "join-dht": {
      const leader = reply.tuple;
      const me = myTuple(state);
      if (leader === undefined || me === null) return none;
      return {
        state: { ...state, churn: { kind: "join", leader, stage: "joining" } },
        effects: [{ kind: "send", to: leader, body: { type: "node-joining", joiner: me } }],
      };
    }
    case "teardown-dht":
      return beginTeardown(state, "teardown-dht", () => ({
        kind: "teardown-dht",
        stage: "teardown",
      }));
    case "teardown-complete":
      return {
        state: { ...state, membership: null, churn: null, build: null },
        effects: [print("DHT torn down")],
      };
    case "dht-rebuilt":
      return { state: { ...state, churn: null }, effects: [print("DHT rebuilt")] };
    case "deregister":
      return {
        state: { ...state, registration: null, membership: null },
        effects: [print("deregistered; exiting"), { kind: "exit", code: 0 }],
      };
  }
}

/** The manager named a member to ask; without an event id yet, ask the user for one. */
function afterQueryDht(
  state: PeerState,
  name: string,
  member: PeerTuple | undefined,
  eventId: number | null,
  context: PeerContext,
): Step {
  if (member === undefined) return { state, effects: [] };
  if (eventId !== null) return startQuery(state, member, eventId, context);
  return {
    state: { ...state, awaitingEventId: { member, name } },
    effects: [print(`Enter the event id to look up (${member.name} will start the walk):`)],
  };
}
