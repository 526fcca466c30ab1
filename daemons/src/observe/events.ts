/**
 * The control channel's frames (PROTOCOL.md section 8) and the events a daemon publishes.
 * Server to client: one `snapshot` on connect, then `event` frames numbered by `seq`, and
 * a `result` for every `command` a client sends. Every event carries the daemon's Lamport
 * clock when it was published, so each daemon's events are in clock order, and message
 * events carry the clock in the datagram too, so a send and its receipt on another host
 * can be matched and ordered (the receipt's `clock` is above the datagram's).
 */
import { type Static, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import type { ManagerSnapshot } from "../manager/state.ts";
import type { CommandResult } from "../peer/runtime.ts";
import type { PeerSnapshot } from "../peer/snapshot.ts";
import { MAX_RUN_TIME_LOSS } from "../transport/faults.ts";
import type { PeerInspection } from "./inspection.ts";

export type DaemonKind = "manager" | "peer";

/** A daemon's state as it shows it, tagged with its kind. */
export type DaemonSnapshot =
  | { daemon: "peer"; state: PeerSnapshot }
  | { daemon: "manager"; state: ManagerSnapshot };

export type QueryStatus = "found" | "not-found" | "refused" | "gave-up";

export type DaemonEvent =
  | {
      kind: "message";
      direction: "sent" | "received";
      /** The datagram type, e.g. "register", "find-event", "store". */
      messageType: string;
      /** Sender and receiver names (an address when the name is not known). */
      from: string;
      to: string;
      /** The Lamport clock in the datagram; absent on a store summary. */
      messageClock?: number;
      /** A resend of a message already sent (a timeout, or a reply from the cache). */
      retransmission?: true;
      /** Lost on purpose by a run-time fault ("drop next message"): it never left. */
      dropped?: true;
      /** The message as the trace describes it. */
      summary: string;
      /** A manager reply's outcome, and its reason code when it is a FAILURE. */
      status?: "SUCCESS" | "FAILURE";
      reason?: string;
      /** Store summaries only: records and datagrams since the last summary on the link. */
      records?: number;
      datagrams?: number;
    }
  | ({ kind: "state" } & DaemonSnapshot)
  /** The leader's build: records stored here or acknowledged by the next node, of `total`. */
  | { kind: "store-progress"; stored: number; total: number }
  | {
      kind: "query-hop";
      direction: "sent" | "received";
      queryId: number;
      eventId: number;
      origin: string;
      from: string;
      to: string;
      /** Node ids visited before this hop. */
      idSeq: number[];
    }
  | {
      kind: "query-result";
      direction: "sent" | "received";
      queryId: number;
      eventId: number;
      /** How the query ended; `gave-up` is published by the asking peer when it times out. */
      status: QueryStatus;
      /** found: the 14 fields of the record, event id first. */
      record?: string[];
      /** refused: the member's reason (BUSY); gave-up: TIMEOUT. */
      reason?: string;
      from: string;
      to: string;
      idSeq: number[];
    }
  | { kind: "console"; line: string };

/** The event for one message `self` sent to or received from `peer`. */
export function messageEvent(
  direction: "sent" | "received",
  self: string,
  peer: string,
  message: { type: string; clock: number; status?: "SUCCESS" | "FAILURE"; reason?: string },
  summary: string,
  retransmission = false,
  dropped = false,
): Extract<DaemonEvent, { kind: "message" }> {
  const [from, to] = direction === "sent" ? [self, peer] : [peer, self];
  return {
    kind: "message",
    direction,
    messageType: message.type,
    from,
    to,
    messageClock: message.clock,
    summary,
    ...(message.type === "reply" && message.status !== undefined ? { status: message.status } : {}),
    ...(message.type === "reply" && message.reason !== undefined ? { reason: message.reason } : {}),
    // Absent rather than false, so first sends look exactly as before.
    ...(retransmission ? { retransmission: true as const } : {}),
    ...(dropped ? { dropped: true as const } : {}),
  };
}

/** An event as the daemon published it: when, and at which Lamport clock. */
export interface PublishedEvent {
  at: number;
  clock: number;
  event: DaemonEvent;
}

export type RequestId = string | number;

export type ServerFrame =
  | ({ type: "snapshot" } & DaemonSnapshot)
  | ({ type: "event"; seq: number } & PublishedEvent)
  | ({ type: "result"; requestId: RequestId | null } & CommandResult)
  | { type: "inspection"; requestId: RequestId; inspection: PeerInspection };

const RequestIdSchema = Type.Union([Type.String({ maxLength: 200 }), Type.Integer()]);

export const CommandFrameSchema = Type.Object(
  {
    type: Type.Literal("command"),
    requestId: RequestIdSchema,
    line: Type.String({ maxLength: 2_000 }),
  },
  { additionalProperties: false },
);
export type CommandFrame = Static<typeof CommandFrameSchema>;

/** A node inspector's question: the peer's counters and table, and whether it holds `eventId`. */
export const InspectFrameSchema = Type.Object(
  {
    type: Type.Literal("inspect"),
    requestId: RequestIdSchema,
    eventId: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
  },
  { additionalProperties: false },
);
export type InspectFrame = Static<typeof InspectFrameSchema>;

/** A lecturer's fault: a peer's loss on every datagram it sends, or its next message to one address lost. */
export const FaultsFrameSchema = Type.Object(
  {
    type: Type.Literal("faults"),
    requestId: RequestIdSchema,
    loss: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_RUN_TIME_LOSS })),
    dropNext: Type.Optional(
      Type.Object(
        {
          ip: Type.String({ maxLength: 15 }),
          port: Type.Integer({ minimum: 1, maximum: 65_535 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type FaultsFrame = Static<typeof FaultsFrameSchema>;

export type ParsedClientFrame =
  | { kind: "command"; frame: CommandFrame }
  | { kind: "inspect"; frame: InspectFrame }
  | { kind: "faults"; frame: FaultsFrame }
  | { kind: "malformed"; requestId: RequestId | null; error: string };

/** Validates a client frame, by its `type` (a command frame unless it says otherwise); never throws. */
export function parseClientFrame(data: string): ParsedClientFrame {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { kind: "malformed", requestId: null, error: "frame is not JSON" };
  }
  const type = typeof value === "object" && value !== null && "type" in value ? value.type : null;
  if (type === "inspect") {
    if (Value.Check(InspectFrameSchema, value)) return { kind: "inspect", frame: value };
    return malformed(value, "an inspect frame", InspectFrameSchema);
  }
  if (type === "faults") {
    if (Value.Check(FaultsFrameSchema, value)) return { kind: "faults", frame: value };
    return malformed(value, "a faults frame", FaultsFrameSchema);
  }
  if (Value.Check(CommandFrameSchema, value)) return { kind: "command", frame: value };
  return malformed(value, "a command frame", CommandFrameSchema);
}

function malformed(
  value: unknown,
  what: string,
  schema: typeof CommandFrameSchema | typeof InspectFrameSchema | typeof FaultsFrameSchema,
): ParsedClientFrame {
  const first = Value.Errors(schema, value).First();
  const where = first?.path ? `${first.path}: ` : "";
  return {
    kind: "malformed",
    requestId: requestIdOf(value),
    error: `not ${what} (${where}${first?.message ?? "unexpected value"})`,
  };
}

function requestIdOf(value: unknown): RequestId | null {
  if (typeof value !== "object" || value === null || !("requestId" in value)) return null;
  const { requestId } = value;
  if (typeof requestId === "string" && requestId.length <= 200) return requestId;
  return Number.isSafeInteger(requestId) ? (requestId as number) : null;
}
