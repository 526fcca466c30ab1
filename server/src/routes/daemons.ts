/**
 * The daemons and their commands: `GET /api/state`, `POST /api/daemons` (start a peer and
 * attach to it, up to --max-peers local ones), `POST /api/daemons/:id/command` (a console
 * line, answered once the command has finished), and for the daemons the server started,
 * `POST /api/daemons/:id/signal` and `POST /api/daemons/:id/restart`.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Aggregator } from "../aggregator.ts";
import { checkCommandLine } from "../commands.ts";
import { errorRef, errors, messageOf } from "../errors.ts";
import { CommandTimeoutError } from "../pending-commands.ts";
import type { ApiState } from "../state.ts";
import { DAEMON_SIGNALS, type SupervisedDaemon, type Supervisor } from "../supervisor.ts";

export const DaemonSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal("manager"), Type.Literal("peer")]),
  pid: Type.Union([Type.Integer(), Type.Null()], { description: "null for a remote daemon" }),
  alive: Type.Boolean(),
  paused: Type.Boolean({ description: "stopped with signal STOP and not yet continued (CONT)" }),
  connected: Type.Boolean({ description: "the server is attached to its control channel" }),
  remote: Type.Boolean(),
  exitCode: Type.Union([Type.Integer(), Type.Null()]),
  signal: Type.Union([Type.String(), Type.Null()], {
    description: "the signal that ended the process, e.g. SIGKILL",
  }),
  ended: Type.Union([Type.Literal("exited"), Type.Literal("crashed"), Type.Null()], {
    description:
      "null while running (and for a remote daemon); exited: code 0; crashed: a signal or another code",
  }),
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

const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });

export const StartDaemonRoute = {
  summary: "Start a new (unregistered) peer and attach to its control channel",
  description: "At most --max-peers (default 12) local peers run at once; beyond, 409.",
  tags: ["daemons"],
  body: Type.Object(
    { kind: Type.Literal("peer", { description: "only peers can be added" }) },
    { additionalProperties: false },
  ),
  response: {
    201: Type.Object({ id: Type.String() }),
    400: errorRef,
    409: errorRef,
    502: errorRef,
  },
};

export const SignalRoute = {
  summary: "Send a signal to a daemon the server started",
  description:
    "KILL: it crashes (GET /api/state then shows `ended: crashed`, `signal: SIGKILL`); STOP pauses it and CONT resumes it; INT is a Ctrl-C (a peer leaves the DHT and deregisters, then exits). Remote daemons: 409 REMOTE_DAEMON; one that has exited: 409 DAEMON_DEAD.",
  tags: ["daemons"],
  params: IdParams,
  body: Type.Object(
    { signal: Type.Union(DAEMON_SIGNALS.map((signal) => Type.Literal(signal))) },
    { additionalProperties: false },
  ),
  response: {
    200: Type.Object({
      id: Type.String(),
      pid: Type.Integer(),
      signal: Type.String({ description: "as sent, e.g. SIGKILL" }),
    }),
    400: errorRef,
    404: errorRef,
    409: errorRef,
  },
};

export const RestartRoute = {
  summary: "Restart a daemon the server started: a fresh process with the same id and options",
  description:
    "A running one is first stopped as at shutdown (SIGTERM, SIGKILL 3 s later; a peer leaves the DHT and deregisters). A peer restarts unregistered, with the same options; the manager on the same UDP port with the same state file, so it recovers its registry and DHT. Answers once the new process's control channel is attached. Remote daemons: 409 REMOTE_DAEMON.",
  tags: ["daemons"],
  params: IdParams,
  response: {
    200: Type.Object({ id: Type.String(), pid: Type.Integer() }),
    404: errorRef,
    409: errorRef,
    502: errorRef,
  },
};

export const CommandRoute = {
  summary: "Run a console command on a daemon and wait until it has finished",
  description:
    "`ok` false with the printed lines is the command's own failure (a manager FAILURE, a refusal).",
  tags: ["daemons"],
  params: IdParams,
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
  supervisor: Pick<Supervisor, "startPeer" | "get" | "list" | "signal" | "restart">;
  aggregator: Pick<Aggregator, "attach" | "command" | "views">;
  /** What `GET /api/state` answers. */
  state: () => ApiState;
  /** How long a command may run before the route answers 504. */
  commandTimeoutMs: number;
  /** The most local peers running at once that `POST /api/daemons` starts. */
  maxPeers: number;
}

export const daemonRoutes: FastifyPluginAsyncTypebox<DaemonRoutesOptions> = async (
  app,
  { supervisor, aggregator, state, commandTimeoutMs, maxPeers },
) => {
  app.get("/api/state", { schema: StateRoute }, async () => state());

  app.post("/api/daemons", { schema: StartDaemonRoute }, async (_request, reply) => {
    checkPeerCap();
    let daemon: SupervisedDaemon;
    try {
      daemon = await supervisor.startPeer();
    } catch (error) {
      throw errors.startFailed(messageOf(error), error);
    }
    await attach(daemon, errors.startFailed);
    return reply.code(201).send({ id: daemon.id });
  });

  app.post("/api/daemons/:id/command", { schema: CommandRoute }, async (request) => {
    const { id } = request.params;
    checkReachable(supervisor, aggregator, id);
    const line = checkCommandLine(request.body.line);
    try {
      return await aggregator.command(id, line, commandTimeoutMs);
    } catch (error) {
      if (error instanceof CommandTimeoutError) {
        throw errors.commandTimeout(id, line, commandTimeoutMs);
      }
      checkReachable(supervisor, aggregator, id);
      throw errors.commandFailed(id, messageOf(error), error);
    }
  });

  app.post("/api/daemons/:id/signal", { schema: SignalRoute }, async (request) => {
    const { id } = request.params;
    const { signal } = request.body;
    const daemon = localDaemon(id, "signal");
    // Also false when it exited between the look-up and the kill.
    if (daemon.pid === null || !daemon.alive || !supervisor.signal(id, signal)) {
      throw errors.daemonDead(id, supervisor.get(id) ?? daemon);
    }
    return { id, pid: daemon.pid, signal: `SIG${signal}` };
  });

  app.post("/api/daemons/:id/restart", { schema: RestartRoute }, async (request) => {
    const { id } = request.params;
    const daemon = localDaemon(id, "restart");
    // Restarting a running peer replaces it; a dead one would be one more.
    if (daemon.kind === "peer" && !daemon.alive) checkPeerCap();
    let restarted: SupervisedDaemon;
    try {
      restarted = await supervisor.restart(id);
    } catch (error) {
      throw errors.restartFailed(id, messageOf(error), error);
    }
    await attach(restarted, (why, cause) => errors.restartFailed(id, why, cause));
    if (restarted.pid === null) throw errors.restartFailed(id, "it has no process id");
    return { id, pid: restarted.pid };
  });

  /** Attaches the aggregator to a daemon just started, or throws what `failed` makes. */
  async function attach(
    daemon: SupervisedDaemon,
    failed: (why: string, cause?: unknown) => Error,
  ): Promise<void> {
    if (daemon.controlUrl === null) throw failed(`${daemon.id} has no control channel`);
    try {
      await aggregator.attach(daemon.id, daemon.kind, daemon.controlUrl);
    } catch (error) {
      throw failed(`cannot attach to ${daemon.id}: ${messageOf(error)}`, error);
    }
  }

  /** 409 once `maxPeers` local peers run (dead ones do not count). */
  function checkPeerCap(): void {
    const running = supervisor.list().filter((each) => each.kind === "peer" && each.alive);
    if (running.length >= maxPeers) throw errors.tooManyDaemons(maxPeers);
  }

  /** The supervisor's daemon; 409 for a remote one, which it cannot act on; 404 for neither. */
  function localDaemon(id: string, action: string): SupervisedDaemon {
    const supervised = supervisor.get(id);
    if (supervised !== undefined) return supervised;
    if (aggregator.views().some((each) => each.id === id)) throw errors.remoteDaemon(id, action);
    throw errors.unknownDaemon(id);
  }
};

/** 404 for an id nobody knows, 409 for a daemon that exited or is not connected. */
export function checkReachable(
  supervisor: Pick<Supervisor, "get">,
  aggregator: Pick<Aggregator, "views">,
  id: string,
): void {
  const supervised = supervisor.get(id);
  const view = aggregator.views().find((each) => each.id === id);
  if (supervised === undefined && view === undefined) throw errors.unknownDaemon(id);
  if (supervised !== undefined && !supervised.alive) throw errors.daemonDead(id, supervised);
  if (view === undefined || !view.connected) throw errors.daemonDisconnected(id);
}
