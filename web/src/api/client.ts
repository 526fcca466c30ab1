/** The dashboard's calls to the server's HTTP API; every failure becomes an ApiError. */
import type {
  ApiErrorBody,
  ApiState,
  BenchFile,
  CommandResult,
  FaultChange,
  FetchJob,
  PeerInspection,
  TimelineEntry,
} from "./types.ts";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

async function call<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(`cannot reach the server (${String(error)})`, 0, "NETWORK");
  }
  const text = await response.text();
  const parsed: unknown = text === "" ? null : JSON.parse(text);
  if (!response.ok) {
    const failure = parsed as Partial<ApiErrorBody> | null;
    throw new ApiError(
      failure?.message ?? `${method} ${path}: HTTP ${response.status}`,
      response.status,
      failure?.code ?? "HTTP",
    );
  }
  return parsed as T;
}

/** The API of the server at `baseUrl` ("" in the page: its own server). */
export function apiAt(baseUrl: string) {
  const request = <T>(method: string, path: string, body?: unknown) =>
    call<T>(baseUrl, method, path, body);
  return {
    state: () => request<ApiState>("GET", "/api/state"),
    addPeer: () => request<{ id: string }>("POST", "/api/daemons", { kind: "peer" }),
    command: (daemonId: string, line: string) =>
      request<CommandResult>("POST", `/api/daemons/${encodeURIComponent(daemonId)}/command`, {
        line,
      }),
    inspection: (daemonId: string, eventId: number | null) =>
      request<PeerInspection>(
        "GET",
        `/api/daemons/${encodeURIComponent(daemonId)}/inspection${eventId === null ? "" : `?eventId=${eventId}`}`,
      ),
    faults: (daemonId: string, change: FaultChange) =>
      request<CommandResult>("POST", `/api/daemons/${encodeURIComponent(daemonId)}/faults`, change),
    signal: (daemonId: string, signal: "KILL" | "STOP" | "CONT" | "INT") =>
      request<{ id: string; pid: number; signal: string }>(
        "POST",
        `/api/daemons/${encodeURIComponent(daemonId)}/signal`,
        { signal },
      ),
    restart: (daemonId: string) =>
      request<{ id: string; pid: number }>(
        "POST",
        `/api/daemons/${encodeURIComponent(daemonId)}/restart`,
      ),
    timeline: (after: number, limit: number) =>
      request<{ entries: TimelineEntry[]; next: number }>(
        "GET",
        `/api/timeline?after=${after}&limit=${limit}`,
      ),
    years: () => request<{ dataDir: string; years: string[] }>("GET", "/api/years"),
    sampleIds: (year: string) =>
      request<{ year: string; records: number; found: number[]; missing: number[] }>(
        "GET",
        `/api/years/${encodeURIComponent(year)}/sample-ids`,
      ),
    freePorts: (host: string, count = 2) =>
      request<{ host: string; ports: number[] }>(
        "GET",
        `/api/free-ports?count=${count}&host=${encodeURIComponent(host)}`,
      ),
    fetchYear: (year: string) => request<{ year: string }>("POST", "/api/data/fetch", { year }),
    fetchJobs: () => request<{ jobs: FetchJob[] }>("GET", "/api/data/fetch"),
    bench: () => request<{ files: BenchFile[] }>("GET", "/api/bench"),
  };
}

export const api = apiAt("");
