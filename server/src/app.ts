/**
 * The Fastify application: the HTTP API over the supervisor (local processes) and the
 * aggregator (every daemon's control channel). Built here, listened on in `launch.ts`.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import fastifyWebsocket from "@fastify/websocket";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import type { Aggregator } from "./aggregator.ts";
import { checkCommandLine } from "./commands.ts";
import { ApiError, errors, messageOf } from "./errors.ts";
import { FetchJobs } from "./fetch-jobs.ts";
import { LiveHub, type UpdateSource } from "./live.ts";
import {
  CommandRoute,
  ErrorSchema,
  LiveRoute,
  StartDaemonRoute,
  StateRoute,
  TimelineRoute,
} from "./schemas.ts";
import { registerSetupRoutes } from "./setup-routes.ts";
import { mergeState } from "./state.ts";
import type { Supervisor } from "./supervisor.ts";
import { registerWeb } from "./web.ts";

/** What the routes use of the supervisor and the aggregator. */
export type AppSupervisor = Pick<Supervisor, "startPeer" | "list" | "get">;
export type AppAggregator = Pick<
  Aggregator,
  "attach" | "command" | "views" | "dht" | "timeline" | "registeredPorts"
> &
  UpdateSource;

export interface AppDeps {
  supervisor: AppSupervisor;
  aggregator: AppAggregator;
  /** The peers' data folder (their --data-dir); relative to the working directory. */
  dataDir: string;
  /** Where `POST /api/data/fetch` downloads from; default as `npm run data -- fetch`. */
  noaaBaseUrl?: string;
  /** The built dashboard; default `web/dist` in the repository. */
  webRoot?: string;
  /** How long a command may run before the API answers 504; default 120 s. */
  commandTimeoutMs?: number;
  logger?: boolean;
}

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL("../../web/dist/", import.meta.url));
const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { supervisor, aggregator } = deps;
  const commandTimeoutMs = deps.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const app = Fastify({
    logger: deps.logger ?? false,
    // Unknown properties are an error, not dropped; no wrapping of a value into an array.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(ErrorSchema);
  app.setErrorHandler(sendError);
  app.setNotFoundHandler((request, reply) => {
    const error = errors.notFound(request.method, request.url);
    return reply.code(error.statusCode).send(error.toBody());
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: "stormring",
        description: "Control and observe a ring DHT of NOAA storm events",
        version: "0.1.0",
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  await app.register(fastifyWebsocket);

  const state = () => mergeState(supervisor, aggregator);
  const live = new LiveHub(aggregator, state);
  app.addHook("onClose", async () => live.close());

  app.get("/api/state", { schema: StateRoute }, async () => state());

  app.post("/api/daemons", { schema: StartDaemonRoute }, async (_request, reply) => {
    let daemon: Awaited<ReturnType<AppSupervisor["startPeer"]>>;
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
      if (isTimeout(error)) throw errors.commandTimeout(id, line, commandTimeoutMs);
      checkKnownAndAlive(id);
      throw errors.commandFailed(id, messageOf(error), error);
    }
  });

  const dataDir = resolve(deps.dataDir);
  const jobs = new FetchJobs({ dataDir, baseUrl: deps.noaaBaseUrl });
  registerSetupRoutes(app, { dataDir, aggregator, jobs });

  app.get("/api/timeline", { schema: TimelineRoute }, async (request) => {
    const { after, limit } = request.query;
    return aggregator.timeline(after, limit);
  });

  // wsHandler with a plain handler (rather than `websocket: true`) keeps the route in the docs.
  app.route({
    method: "GET",
    url: "/api/live",
    schema: LiveRoute,
    handler: async (_request, reply) => {
      const error = new ApiError(
        "UPGRADE_REQUIRED",
        "/api/live is a WebSocket; connect with ws://",
      );
      return reply.code(426).send(error.toBody());
    },
    wsHandler: (socket, request) => live.add(socket, request.query.after),
  });

  await registerWeb(app, deps.webRoot ?? DEFAULT_WEB_ROOT);
  return app;

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
}

function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return /timeout|timed out|no result within/i.test(
    `${error.name} ${String(code)} ${error.message}`,
  );
}

function sendError(
  error: FastifyError | ApiError,
  _request: unknown,
  reply: { code(status: number): { send(body: unknown): unknown } },
) {
  if (error instanceof ApiError) return reply.code(error.statusCode).send(error.toBody());
  if ("validation" in error && error.validation !== undefined) {
    const body = new ApiError("BAD_REQUEST", error.message).toBody();
    return reply.code(400).send(body);
  }
  const statusCode = error.statusCode ?? 500;
  if (statusCode >= 400 && statusCode < 500) {
    return reply.code(statusCode).send({
      statusCode,
      code: "BAD_REQUEST",
      error: "Bad Request",
      message: error.message,
    });
  }
  return reply.code(500).send(new ApiError("INTERNAL", error.message).toBody());
}
