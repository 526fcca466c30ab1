/**
 * The peer state machine: a pure function from (state, event) to (state, effects).
 * This file routes events and handles console commands; replies.ts handles the manager's
 * replies, admission.ts checks every peer message before ring.ts (setup, teardown,
 * renumbering, rebuild) or query.ts (the walks) acts on it.
 */

import { parseEventId } from "../data/records.ts";
import { describeRequest } from "../protocol/describe.ts";
import type { ManagerRequestBody } from "../protocol/messages.ts";
import { rejectionOf } from "./admission.ts";
import { onAskAgainTimer } from "./ask-again.ts";
import { handleDelivered, handleLoaded } from "./build.ts";
import { onTick } from "./check-in.ts";
import { onTeardownHandedOver } from "./churn.ts";
import { done, finishCurrent, isIdle, REFUSED } from "./command-lifecycle.ts";
import { type Command, HELP_LINES, parseCommand } from "./command-line.ts";
import { handleCommandDeadline, RING_CHANGES } from "./deadline.ts";
import { print, requestOf, rightNeighbourOf, ringSizeOf } from "./membership.ts";
import { handleQueryMessage, handleQueryTimer, startQuery } from "./query.ts";
import { handleReply, handleRequestFailed } from "./replies.ts";
import { handleRingMessage } from "./ring.ts";
import type { PeerContext, PeerEffect, PeerEvent, PeerState, Step } from "./state.ts";
import { handleUndelivered } from "./undelivered.ts";
import { handleWriteTimer, onWrite, onWriteResult, startWrite } from "./writes.ts";

export function step(state: PeerState, event: PeerEvent, context: PeerContext): Step {
  switch (event.kind) {
    case "line":
      return handleLine(state, event.line, event.commandId, context);
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
      return handleReply(state, event.requestId, event.request, event.reply, context);
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
      if (message.type === "find-event" || message.type === "find-result") {
        return handleQueryMessage(state, message, context);
      }
      if (message.type === "write") return onWrite(state, message);
      if (message.type === "write-result") return onWriteResult(state, message);
      return handleRingMessage(state, message);
    }
    case "delivered":
      return event.body.type === "teardown"
        ? onTeardownHandedOver(state, event.body)
        : handleDelivered(state, event.body);
    case "send-failed":
      return handleUndelivered(state, event.to, event.body, event.error, context);
    case "timer": {
      const { timer } = event;
      if (timer.kind === "query") return handleQueryTimer(state, timer.queryId);
      if (timer.kind === "write") return handleWriteTimer(state, timer.writeId);
      if (timer.kind === "ask-again") return onAskAgainTimer(state, timer);
      return handleCommandDeadline(state, timer.commandId);
    }
    case "tick":
      return onTick(state, event.pausedMs);
  }
}

function handleLine(state: PeerState, line: string, commandId: number, context: PeerContext): Step {
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
    const querying = { ...cleared, current: { commandId, kind: "query-dht" as const } };
    return startQuery(querying, member, eventId, context);
  }
  if (line.trim() === "") return { state, effects: [done(commandId, null)] };
  const parsed = parseCommand(line);
  if (!parsed.ok) return refuse(state, commandId, `error: ${parsed.error}`);
  return handleCommand(state, parsed.command, commandId, context);
}

/** A command refused on the spot: it prints why and ends at once. */
function refuse(state: PeerState, commandId: number, line: string): Step {
  return { state, effects: [print(line), done(commandId, REFUSED)] };
}

function handleCommand(
  state: PeerState,
  command: Command,
  commandId: number,
  context: PeerContext,
): Step {
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
  const started = startCommand(
    { ...state, current: { commandId, kind: command.kind } },
    command,
    context,
  );
  // A command refused locally leaves no trace in the state.
  if ("refusal" in started) return refuse(state, commandId, started.refusal);
  if (!RING_CHANGES.includes(command.kind)) return started;
  // A ring command may wait on peers that die: it has a deadline like the manager's waits.
  const deadline: PeerEffect = {
    kind: "start-timer",
    timer: { kind: "command", commandId },
    ms: state.commandTimeoutMs,
  };
  return { state: started.state, effects: [...started.effects, deadline] };
}

/** The command's first step, or why this peer refuses it without asking anyone. */
function startCommand(
  state: PeerState,
  command: Exclude<Command, { kind: "help" | "status" }>,
  context: PeerContext,
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
  if (command.kind === "insert-event" || command.kind === "delete-event") {
    // A member knows the ring and writes to the primary itself; others ask the manager.
    if (state.membership !== null) return startWrite(state, command, null, context);
    const sent = sendRequest(state, { type: "query-dht", name: command.name });
    const { awaiting } = sent.state;
    if (awaiting?.kind !== "manager") return sent;
    return { ...sent, state: { ...sent.state, awaiting: { ...awaiting, write: command } } };
  }
  const eventId = command.kind === "query-dht" ? command.eventId : null;
  return sendRequest(state, requestFor(command), eventId);
}

function requestFor(
  command: Exclude<
    Command,
    { kind: "register" | "setup-dht" | "status" | "help" | "insert-event" | "delete-event" }
  >,
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

function afterBind(state: PeerState): Step {
  if (state.awaiting?.kind !== "bind") return { state, effects: [] };
  const { name, ip, mport, pport } = state.awaiting.command;
  return sendRequest(state, { type: "register", name, ip, mport, pport });
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
