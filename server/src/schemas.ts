/** The TypeBox schemas of the API's routes (requests, responses, errors). */
import { Type } from "@sinclair/typebox";

export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({ description: "from the error catalog, e.g. UNKNOWN_DAEMON" }),
    error: Type.String(),
    message: Type.String(),
  },
  { $id: "ApiError", description: "every 4xx and 5xx response" },
);

const errorRef = Type.Ref("ApiError");

export const DaemonSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal("manager"), Type.Literal("peer")]),
  pid: Type.Union([Type.Integer(), Type.Null()], { description: "null for a remote daemon" }),
  alive: Type.Boolean(),
  connected: Type.Boolean({ description: "the server is attached to its control channel" }),
  remote: Type.Boolean(),
  exitCode: Type.Union([Type.Integer(), Type.Null()]),
  controlUrl: Type.Union([Type.String(), Type.Null()]),
  managerPort: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.Optional(Type.String({ description: "once the peer has registered" })),
  state: Type.Optional(Type.String()),
  snapshot: Type.Optional(Type.Unknown()),
  lastOutput: Type.Array(Type.String(), { description: "the last lines it printed" }),
});

export const StateSchema = Type.Object({
  daemons: Type.Array(DaemonSchema),
  dht: Type.Unknown({ description: "the manager's view of the DHT, null if none" }),
});

export const StateRoute = {
  summary: "Every daemon (supervised and remote) and the DHT as the manager sees it",
  tags: ["state"],
  response: { 200: StateSchema },
};

export const StartDaemonRoute = {
  summary: "Start a new (unregistered) peer and attach to its control channel",
  tags: ["daemons"],
  body: Type.Object(
    { kind: Type.Literal("peer", { description: "only peers can be added" }) },
    { additionalProperties: false },
  ),
  response: { 201: Type.Object({ id: Type.String() }), 400: errorRef, 502: errorRef },
};

export const CommandRoute = {
  summary: "Run a console command on a daemon and wait until it has finished",
  description:
    "`ok` false with the printed lines is the command's own failure (a manager FAILURE, a refusal).",
  tags: ["daemons"],
  params: Type.Object({ id: Type.String({ minLength: 1 }) }),
  body: Type.Object(
    {
      line: Type.String({
        minLength: 1,
        maxLength: 2000,
        description: "exactly as typed on the peer's console, e.g. `query-dht alpha 5536849`",
      }),
    },
    { additionalProperties: false },
  ),
  response: {
    200: Type.Object({ ok: Type.Boolean(), lines: Type.Array(Type.String()) }),
    400: errorRef,
    404: errorRef,
    409: errorRef,
    502: errorRef,
    504: errorRef,
  },
};

export const TimelineEntrySchema = Type.Object({
  seq: Type.Integer(),
  daemonId: Type.String(),
  at: Type.Number({ description: "epoch ms" }),
  clock: Type.Integer({ description: "the daemon's Lamport clock" }),
  event: Type.Unknown({ description: "a DaemonEvent (daemons/src/control/events.ts)" }),
});

export const TimelineRoute = {
  summary: "Page through the merged timeline of every daemon's events",
  tags: ["timeline"],
  querystring: Type.Object({
    after: Type.Integer({ minimum: 0, default: 0, description: "entries with seq above this" }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
  }),
  response: {
    200: Type.Object({
      entries: Type.Array(TimelineEntrySchema),
      next: Type.Integer({ description: "pass as `after` for the next page" }),
    }),
    400: errorRef,
  },
};

export const LiveRoute = {
  summary: "WebSocket: pushes {type:'state', state} and {type:'timeline', entries}",
  description:
    "At most about 20 messages a second. `?after=<seq>` first sends the timeline entries after seq.",
  tags: ["live"],
  querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) }),
  response: { 426: errorRef },
};
