/**
 * The API's one catalog of coded errors. Every 4xx/5xx the server sends has the body
 * `{ statusCode, code, error, message }` (`ErrorSchema`), `code` from this catalog and
 * `message` saying what was wrong in words a person can act on.
 */
import { Type } from "@sinclair/typebox";

export const ERROR_CATALOG = {
  BAD_REQUEST: { statusCode: 400, title: "Bad Request" },
  BAD_COMMAND: { statusCode: 400, title: "Bad Request" },
  BAD_EVENT_ID: { statusCode: 400, title: "Bad Request" },
  BAD_HOST: { statusCode: 400, title: "Bad Request" },
  BAD_YEAR: { statusCode: 400, title: "Bad Request" },
  UNKNOWN_DAEMON: { statusCode: 404, title: "Not Found" },
  MISSING_YEAR: { statusCode: 404, title: "Not Found" },
  NOT_FOUND: { statusCode: 404, title: "Not Found" },
  FORBIDDEN_ORIGIN: { statusCode: 403, title: "Forbidden" },
  PAYLOAD_TOO_LARGE: { statusCode: 413, title: "Payload Too Large" },
  BAD_HOST_HEADER: { statusCode: 421, title: "Misdirected Request" },
  UPGRADE_REQUIRED: { statusCode: 426, title: "Upgrade Required" },
  DAEMON_DEAD: { statusCode: 409, title: "Conflict" },
  DAEMON_DISCONNECTED: { statusCode: 409, title: "Conflict" },
  REMOTE_DAEMON: { statusCode: 409, title: "Conflict" },
  TOO_MANY_DAEMONS: { statusCode: 409, title: "Conflict" },
  NOT_A_PEER: { statusCode: 409, title: "Conflict" },
  FETCH_RUNNING: { statusCode: 409, title: "Conflict" },
  DAEMON_START_FAILED: { statusCode: 502, title: "Bad Gateway" },
  COMMAND_FAILED: { statusCode: 502, title: "Bad Gateway" },
  COMMAND_TIMEOUT: { statusCode: 504, title: "Gateway Timeout" },
  INTERNAL: { statusCode: 500, title: "Internal Server Error" },
} as const;

export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({ description: "from the error catalog, e.g. UNKNOWN_DAEMON" }),
    error: Type.String(),
    message: Type.String(),
  },
  { $id: "ApiError", description: "every 4xx and 5xx response" },
);

/** How a route's schema names an error response (the app adds `ErrorSchema` once). */
export const errorRef = Type.Ref("ApiError");

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  error: string;
  message: string;
}

export class ApiError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ApiError";
    this.statusCode = ERROR_CATALOG[code].statusCode;
  }

  toBody(): ErrorBody {
    return {
      statusCode: this.statusCode,
      code: this.code,
      error: ERROR_CATALOG[this.code].title,
      message: this.message,
    };
  }
}

export const errors = {
  unknownDaemon: (id: string) =>
    new ApiError("UNKNOWN_DAEMON", `no daemon with id "${id}" (GET /api/state lists them)`),
  badCommand: (why: string) => new ApiError("BAD_COMMAND", why),
  badEventId: (text: string) =>
    new ApiError(
      "BAD_EVENT_ID",
      `bad event id "${text}": query-dht takes a whole number (usage: query-dht <name> [<event-id>])`,
    ),
  daemonDead: (
    id: string,
    { exitCode, signal }: { exitCode: number | null; signal?: string | null },
  ) =>
    new ApiError(
      "DAEMON_DEAD",
      `daemon "${id}" is not running (${signal ? `crashed on ${signal}` : `exit code ${exitCode ?? "unknown"}`}); restart it with POST /api/daemons/${id}/restart`,
    ),
  remoteDaemon: (id: string, action: string) =>
    new ApiError(
      "REMOTE_DAEMON",
      `daemon "${id}" runs elsewhere (STORMRING_REMOTE_DAEMONS); the server can ${action} only the daemons it started`,
    ),
  notAPeer: (id: string) =>
    new ApiError(
      "NOT_A_PEER",
      `daemon "${id}" is not a peer: only peers are inspected or take faults`,
    ),
  tooManyDaemons: (max: number) =>
    new ApiError(
      "TOO_MANY_DAEMONS",
      `${max} local peers are running, the most this server starts (--max-peers); deregister one, or restart a dead one`,
    ),
  badHostHeader: (host: string) =>
    new ApiError(
      "BAD_HOST_HEADER",
      `Host "${host}" does not name this server; use its own address (e.g. 127.0.0.1 or localhost), or start it with --allowed-hosts`,
    ),
  forbiddenOrigin: (origin: string) =>
    new ApiError(
      "FORBIDDEN_ORIGIN",
      `/api/live takes connections from this server's own pages only, not from ${origin}`,
    ),
  payloadTooLarge: (limit: number) =>
    new ApiError("PAYLOAD_TOO_LARGE", `the request body is larger than ${limit} bytes`),
  daemonDisconnected: (id: string) =>
    new ApiError(
      "DAEMON_DISCONNECTED",
      `daemon "${id}" has no open control channel; its commands cannot be sent`,
    ),
  startFailed: (why: string, cause?: unknown) =>
    new ApiError("DAEMON_START_FAILED", `could not start a peer: ${why}`, { cause }),
  restartFailed: (id: string, why: string, cause?: unknown) =>
    new ApiError("DAEMON_START_FAILED", `could not restart "${id}": ${why}`, { cause }),
  commandTimeout: (id: string, line: string, timeoutMs: number) =>
    new ApiError(
      "COMMAND_TIMEOUT",
      `"${line}" on daemon "${id}" did not finish within ${timeoutMs} ms; it may still be running`,
    ),
  commandFailed: (id: string, why: string, cause?: unknown) =>
    new ApiError("COMMAND_FAILED", `command on daemon "${id}" could not be run: ${why}`, {
      cause,
    }),
  badHost: (why: string) => new ApiError("BAD_HOST", why),
  badYear: (year: string, min: number, max: number) =>
    new ApiError("BAD_YEAR", `year must be from ${min} to ${max} (YYYY), not "${year}"`),
  fetchRunning: (year: string) =>
    new ApiError(
      "FETCH_RUNNING",
      `${year} is already being fetched; GET /api/data/fetch shows its progress`,
    ),
  missingYear: (why: string) => new ApiError("MISSING_YEAR", why),
  notFound: (method: string, url: string) =>
    new ApiError("NOT_FOUND", `no route ${method} ${url} (see /docs for the API)`),
};

export { messageOf } from "../../daemons/src/support/errors.ts";
