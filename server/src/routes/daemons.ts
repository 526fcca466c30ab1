/**
 * The daemons and their commands: `GET /api/state`, `POST /api/daemons` (start a peer and
 * attach to it), `POST /api/daemons/:id/command` (a console line, answered once the
 * command has finished).
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Aggregator } from "../aggregator.ts";
import { checkCommandLine } from "../commands.ts";
import { errorRef, errors, messageOf } from "../errors.ts";
import { CommandTimeoutError } from "../pending-commands.ts";
import type { ApiState } from "../state.ts";
import type { Supervisor } from "../supervisor.ts";

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
    200: Type.Object({
      ok: Type.Boolean(),
      lines: Type.Array(Type.String()),
      failure: Type.Optional(
        Type.Object(
          {
            reason: Type.String({
              description:
                "a manager FAILURE's reason code, BUSY, or the peer's own: REFUSED, MISSING_YEAR, BIND_FAILED, NO_ANSWER, UNDELIVERED, TIMEOUT",
            }),
            year: Type.Optional(
              Type.String({ description: "MISSING_YEAR: the year with no file" }),
            ),
          },
          { description: "why the command did not succeed (absent when ok)" },
        ),
      ),
    }),
    400: errorRef,
    404: errorRef,
    409: errorRef,
    502: errorRef,
    504: errorRef,
  },
};

export interface DaemonRoutesOptions {
  supervisor: Pick<Supervisor, "startPeer" | "get">;
  aggregator: Pick<Aggregator, "attach" | "command" | "views">;
  /** What `GET /api/state` answers. */
  state: () => ApiState;
  /** How long a command may run before the route answers 504. */
  commandTimeoutMs: number;
}

export const daemonRoutes: FastifyPluginAsyncTypebox<DaemonRoutesOptions> = async (
  app,
  { supervisor, aggregator, state, commandTimeoutMs },
) => {
  app.get("/api/state", { schema: StateRoute }, async () => state());

  app.post("/api/daemons", { schema: StartDaemonRoute }, async (_request, reply) => {
    let daemon: Awaited<ReturnType<DaemonRoutesOptions["supervisor"]["startPeer"]>>;
    try {
      daemon = await supervisor.startPeer();
    } catch (error) {
      throw errors.startFailed(messageOf(error), error);
    }
    if (daemon.controlUrl === null) throw errors.startFailed(`${daemon.id} has no control channel`);
    try {
      await aggregator.attach(daemon.id, daemon.kind, daemon.controlUrl);
    } catch (error) {
      throw errors.startFailed(`cannot attach to ${daemon.id}: ${messageOf(error)}`, error);
    }
    return reply.code(201).send({ id: daemon.id });
  });

  app.post("/api/daemons/:id/command", { schema: CommandRoute }, async (request) => {
    const { id } = request.params;
    checkKnownAndAlive(id);
    const line = checkCommandLine(request.body.line);
    try {
      return await aggregator.command(id, line, commandTimeoutMs);
    } catch (error) {
      if (error instanceof CommandTimeoutError) {
        throw errors.commandTimeout(id, line, commandTimeoutMs);
      }
      checkKnownAndAlive(id);
      throw errors.commandFailed(id, messageOf(error), error);
    }
  });

  /** 404 for an id nobody knows, 409 for a daemon that exited or is not connected. */
  function checkKnownAndAlive(id: string): void {
    const supervised = supervisor.get(id);
    const view = aggregator.views().find((each) => each.id === id);
    if (supervised === undefined && view === undefined) throw errors.unknownDaemon(id);
    if (supervised !== undefined && !supervised.alive) {
      throw errors.daemonDead(id, supervised.exitCode);
    }
    if (view === undefined || !view.connected) throw errors.daemonDisconnected(id);
  }
};
