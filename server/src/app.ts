/**
 * The Fastify application: the HTTP API over the supervisor (local processes) and the
 * aggregator (every daemon's control channel), one plugin per area of routes in
 * `routes/`. Built here, listened on in `launch.ts`. Every request's Host must name this
 * server (`host-check.ts`); bodies are at most 64 KiB. Closing the app closes the
 * aggregator's channels, then stops the supervisor's processes.
 */
import { join, resolve, sep } from "node:path";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import fastifyWebsocket from "@fastify/websocket";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { PACKAGE_ROOT } from "../../daemons/src/support/package-root.ts";
import type { Aggregator } from "./aggregator.ts";
import { ApiError, ErrorSchema, errors } from "./errors.ts";
import { allowedHostnames, hostnameOf } from "./host-check.ts";
import type { UpdateSource } from "./live.ts";
import { DEFAULT_MAX_PEERS } from "./options.ts";
import { benchRoutes } from "./routes/bench.ts";
import { daemonControlRoutes } from "./routes/daemon-controls.ts";
import { daemonRoutes } from "./routes/daemons.ts";
import { dataRoutes } from "./routes/data.ts";
import { freePortRoutes } from "./routes/free-ports.ts";
import { timelineRoutes } from "./routes/timeline.ts";
import { mergeState } from "./state.ts";
import type { Supervisor } from "./supervisor.ts";
import { registerWeb } from "./web.ts";

/** What the app uses of the supervisor and the aggregator, which it closes with itself. */
export type AppSupervisor = Pick<
  Supervisor,
  "startPeer" | "list" | "get" | "signal" | "restart" | "stopAll"
>;
export type AppAggregator = Pick<
  Aggregator,
  | "attach"
  | "command"
  | "inspect"
  | "faults"
  | "views"
  | "dht"
  | "timeline"
  | "registeredPorts"
  | "close"
> &
  UpdateSource;

export interface AppDeps {
  supervisor: AppSupervisor;
  aggregator: AppAggregator;
  /** The peers' data folder (their --data-dir); relative to the working directory. */
  dataDir: string;
  /** Where `POST /api/data/fetch` downloads from; default as `npm run data -- fetch`. */
  noaaBaseUrl?: string;
  /** The committed benchmark results `/api/bench` serves; default `bench/results`. */
  benchDir?: string;
  /** The built dashboard; default `web/dist` in the repository. */
  webRoot?: string;
  /** How long a command may run before the API answers 504; default 120 s. */
  commandTimeoutMs?: number;
  /** The most local peers `POST /api/daemons` keeps running; default 12. */
  maxPeers?: number;
  /** The host names a request's Host may carry (`allowedHostnames`); default loopback's. */
  allowedHosts?: ReadonlySet<string>;
  logger?: boolean;
}

export const DEFAULT_WEB_ROOT = join(PACKAGE_ROOT, "web", "dist") + sep;
export const DEFAULT_BENCH_DIR = join(PACKAGE_ROOT, "bench", "results");
const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;
/** Far more than any request body the API takes (a command line is at most 2,000). */
export const BODY_LIMIT = 64 * 1024;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { supervisor, aggregator } = deps;
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // Unknown properties are an error, not dropped; no wrapping of a value into an array.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(ErrorSchema);
  app.setErrorHandler(sendError);
  // First of all, also for pages, the docs and the WebSocket: a page whose name resolves
  // here (DNS rebinding) gets nothing.
  const hostnames = deps.allowedHosts ?? allowedHostnames("127.0.0.1");
  app.addHook("onRequest", async (request) => {
    const { host } = request.headers;
    if (!hostnames.has(hostnameOf(host))) throw errors.badHostHeader(host ?? "");
  });
  app.setNotFoundHandler((request, reply) => {
    const error = errors.notFound(request.method, request.url);
    return reply.code(error.statusCode).send(error.toBody());
  });
  // onClose hooks run last added first: the live feed (added by its plugin below), then
  // the channels, then the processes, so no daemon is stopped under an open channel.
  app.addHook("onClose", async () => supervisor.stopAll());
  app.addHook("onClose", async () => aggregator.close());

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: "stormring",
        description:
          "Control and observe a ring DHT of NOAA storm events. Any request whose Host does not name this server is refused with 421 BAD_HOST_HEADER; a body over 64 KiB with 413 PAYLOAD_TOO_LARGE.",
        version: "0.1.0",
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  await app.register(fastifyWebsocket);

  const state = () => mergeState(supervisor, aggregator);
  await app.register(daemonRoutes, {
    supervisor,
    aggregator,
    state,
    commandTimeoutMs: deps.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    maxPeers: deps.maxPeers ?? DEFAULT_MAX_PEERS,
  });
  await app.register(daemonControlRoutes, { supervisor, aggregator });
  await app.register(dataRoutes, { dataDir: resolve(deps.dataDir), noaaBaseUrl: deps.noaaBaseUrl });
  await app.register(freePortRoutes, { aggregator });
  await app.register(timelineRoutes, { aggregator, state });
  await app.register(benchRoutes, { benchDir: resolve(deps.benchDir ?? DEFAULT_BENCH_DIR) });

  await registerWeb(app, deps.webRoot ?? DEFAULT_WEB_ROOT);
  return app;
}

function sendError(
  error: FastifyError | ApiError,
  _request: unknown,
  reply: { code(status: number): { send(body: unknown): unknown } },
) {
  if (error instanceof ApiError) return reply.code(error.statusCode).send(error.toBody());
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return reply.code(413).send(errors.payloadTooLarge(BODY_LIMIT).toBody());
  }
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
