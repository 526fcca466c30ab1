/**
 * The peer state machine: a pure function from (state, event) to (state, effects).
 * This file handles console commands and the manager's replies; ring.ts handles the
 * ring's messages (setup, teardown, renumbering, rebuild) and query.ts the queries.
 */

import { parseEventId } from "../data/records.ts";
import { describeReply, describeRequest } from "../protocol/describe.ts";
import type { ManagerRequestBody, PeerTuple, Reply } from "../protocol/messages.ts";
import { rejectionOf } from "./admission.ts";
import { handleDelivered, handleLoaded, startSetup } from "./build.ts";
import { beginTeardown } from "./churn.ts";
import {
  done,
  FINISHED_BY,
  finishCurrent,
  isIdle,
  REFUSED,
  RING_COMMANDS,
} from "./command-lifecycle.ts";
import { type Command, HELP_LINES, parseCommand } from "./command-line.ts";
import { myTuple, print, requestOf, rightNeighbourOf, ringSizeOf } from "./membership.ts";
import { handleQueryMessage, handleQueryTimer, startQuery } from "./query.ts";
import { handleRingMessage } from "./ring.ts";
import type { PeerContext, PeerEffect, PeerEvent, PeerState, Step } from "./state.ts";

export function step(state: PeerState, event: PeerEvent, context: PeerContext): Step {
  switch (event.kind) {
    case "line":
      return handleLine(state, event.line, event.commandId);
    case "bound":
      return afterBind(state);
    case "bind-failed":
      return finishCurrent(
        {
          state: { ...state, awaiting: null },
          effects: [print(`register failed: ${event.error}`)],
        },
        { reason: "BIND_FAILED" },
      );
    case "loaded":
    case "load-failed":
      return handleLoaded(state, event);
    case "reply":
      return handleReply(state, event.requestId, event.request, event.reply);
    case "request-failed":
      return handleRequestFailed(state, event.requestId, event.request, event.error);
    case "message": {
      const { message } = event;
      const reason = rejectionOf(state, message, event.source);
      if (reason !== null) {
        return {
          state,
          effects: [{ kind: "reject", from: message.from, type: message.type, reason }],
        };
      }
      return message.type === "find-event" || message.type === "find-result"
        ? handleQueryMessage(state, message, context)
        : handleRingMessage(state, message);
    }
    case "delivered":
      return handleDelivered(state, event.body);
    case "send-failed": {
      const line = `could not deliver ${event.body.type} to ${event.to.name}: ${event.error}`;
      // The command this peer is running through the ring cannot go on.
      return finishCurrent(
        { state, effects: [print(line)] },
        { reason: "UNDELIVERED" },
        RING_COMMANDS,
      );
    }
    case "timer":
      return handleQueryTimer(state, event.queryId);
  }
}

function handleLine(state: PeerState, line: string, commandId: number): Step {
  if (state.awaitingEventId !== null) {
    // The line answers the query's prompt: it belongs to the query command.
    const { member } = state.awaitingEventId;
    const cleared = { ...state, awaitingEventId: null };
    const eventId = parseEventId(line.trim());
    if (eventId === undefined) {
      return refuse(
        cleared,
        commandId,
        `query cancelled: "${line.trim()}" is not an event id (a whole number)`,
      );
    }
    return startQuery({ ...cleared, current: { commandId, kind: "query-dht" } }, member, eventId);
  }
  if (line.trim() === "") return { state, effects: [done(commandId, null)] };
  const parsed = parseCommand(line);
  if (!parsed.ok) return refuse(state, commandId, `error: ${parsed.error}`);
  return handleCommand(state, parsed.command, commandId);
}

/** A command refused on the spot: it prints why and ends at once. */
function refuse(state: PeerState, commandId: number, line: string): Step {
  return { state, effects: [print(line), done(commandId, REFUSED)] };
}

function handleCommand(state: PeerState, command: Command, commandId: number): Step {
  if (command.kind === "help")
    return { state, effects: [...HELP_LINES.map(print), done(commandId, null)] };
  if (command.kind === "status") {
    return { state, effects: [...statusLines(state).map(print), done(commandId, null)] };
  }
  if (!isIdle(state)) {
    return refuse(
      state,
      commandId,
      `busy: still waiting for ${describeAwaiting(state)}; try again when it is done`,
    );
  }
  const started = startCommand({ ...state, current: { commandId, kind: command.kind } }, command);
  // A command refused locally leaves no trace in the state.
  return "refusal" in started ? refuse(state, commandId, started.refusal) : started;
}

/** The command's first step, or why this peer refuses it without asking anyone. */
function startCommand(
  state: PeerState,
  command: Exclude<Command, { kind: "help" | "status" }>,
): Step | { refusal: string } {
  if (command.kind === "register") {
    if (state.registration !== null) {
      return { refusal: `error: already registered as ${state.registration.name}` };
    }
    const { name, ip, mport, pport } = command;
    return {
      state: { ...state, awaiting: { kind: "bind", command } },
      effects: [{ kind: "bind", name, ip, mport, pport }],
    };
  }
  if (state.registration === null) {
    return {
      refusal: 'error: not registered yet: run "register <name> <ipv4> <m-port> <p-port>" first',
    };
  }
  if (command.kind === "setup-dht") {
    if (state.build !== null) {
      return {
        refusal: "busy: this peer is storing records on its ring; try again when it is done",
      };
    }
    // Refuse locally, before asking the manager, if this peer cannot read its own data.
    return {
      state: { ...state, awaiting: { kind: "load", command } },
      effects: [{ kind: "load", year: command.year }],
    };
  }
  const eventId = command.kind === "query-dht" ? command.eventId : null;
  return sendRequest(state, requestFor(command), eventId);
}

function requestFor(
  command: Exclude<Command, { kind: "register" | "setup-dht" | "status" | "help" }>,
): ManagerRequestBody {
  switch (command.kind) {
    case "dht-rebuilt":
      return { type: "dht-rebuilt", name: command.name, leader: command.leader };
    case "query-dht":
      return { type: "query-dht", name: command.name };
    default:
      return { type: command.kind, name: command.name };
  }
}

function describeAwaiting(state: PeerState): string {
  const awaiting = state.awaiting;
  if (awaiting === null) return `${state.current?.kind ?? "the last command"} to finish`;
  if (awaiting.kind === "bind") return "the sockets to bind";
  if (awaiting.kind === "load") return `the ${awaiting.command.year} data to load`;
  return `the manager's answer to ${describeRequest(awaiting.request)}`;
}

/** A request the user asked for: its reply is matched to it by its request id. */
function sendRequest(
  state: PeerState,
  request: ManagerRequestBody,
  eventId: number | null = null,
): Step {
  const sent = requestOf(state, request);
  return {
    state: {
      ...sent.state,
      awaiting: { kind: "manager", requestId: sent.requestId, request, eventId },
    },
    effects: [sent.effect],
  };
}

/** The awaited request this reply or failure answers, or null for an automatic one. */
function awaitedBy(state: PeerState, requestId: number) {
  return state.awaiting?.kind === "manager" && state.awaiting.requestId === requestId
    ? state.awaiting
    : null;
}

function afterBind(state: PeerState): Step {
  if (state.awaiting?.kind !== "bind") return { state, effects: [] };
  const { name, ip, mport, pport } = state.awaiting.command;
  return sendRequest(state, { type: "register", name, ip, mport, pport });
}

const NO_ANSWER = { reason: "NO_ANSWER" };

function handleRequestFailed(
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

function handleReply(
  state: PeerState,
  requestId: number,
  request: ManagerRequestBody,
  reply: Reply,
): Step {
  const awaiting = awaitedBy(state, requestId);
  const base: PeerState = awaiting ? { ...state, awaiting: null } : state;
  const effects: PeerEffect[] = [print(`${describeRequest(request)}: ${describeReply(reply)}`)];
  const finishes = awaiting ? undefined : (FINISHED_BY[request.type] ?? []);
  if (reply.status === "FAILURE") {
    if (request.type === "register") effects.push({ kind: "unbind" });
    const failure = { reason: reply.reason ?? "FAILURE" };
    return finishCurrent({ state: abandonOnFailure(base, request), effects }, failure, finishes);
  }
  const next = afterSuccess(base, request, reply, awaiting?.eventId ?? null);
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

/** A refused request drops what was prepared for it (the records loaded for a setup). */
function abandonOnFailure(state: PeerState, request: ManagerRequestBody): PeerState {
  return request.type === "setup-dht" ? { ...state, build: null } : state;
}

function afterSuccess(
  state: PeerState,
  request: ManagerRequestBody,
  reply: Reply,
  eventId: number | null,
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
      return startSetup(state, reply.tuples ?? [], request.year);
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
      return afterQueryDht(state, request.name, reply.tuple, eventId);
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
): Step {
  if (member === undefined) return { state, effects: [] };
  if (eventId !== null) return startQuery(state, member, eventId);
  return {
    state: { ...state, awaitingEventId: { member, name } },
    effects: [print(`Enter the event id to look up (${member.name} will start the walk):`)],
  };
}

function statusLines(state: PeerState): string[] {
  const registration = state.registration;
  if (registration === null) return ["status: not registered"];
  const lines = [
    `status: ${registration.name} m-port ${registration.ip}:${registration.mport} p-port ${registration.ip}:${registration.pport}`,
  ];
  const membership = state.membership;
  if (membership === null) lines.push("  not in a DHT");
  else {
    lines.push(
      `  node ${membership.nodeId} of ${ringSizeOf(membership)}, year ${membership.year}, right neighbour ${rightNeighbourOf(membership).name}${membership.usable ? "" : " (being built)"}`,
    );
  }
  if (state.churn !== null) lines.push(`  ${state.churn.kind} in progress (${state.churn.stage})`);
  return lines;
}
