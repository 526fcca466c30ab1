/**
 * Starts everything `npm start` runs: the daemons (a manager and unregistered peers
 * through the supervisor, or remote ones by URL), the aggregator attached to each, and the
 * HTTP server. `close()` closes the app, whose onClose hooks stop every process it started.
 */
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import type { FastifyInstance } from "fastify";
import { PACKAGE_ROOT } from "../../daemons/src/support/package-root.ts";
import { Aggregator } from "./aggregator.ts";
import { buildApp } from "./app.ts";
import { allowedHostnames } from "./host-check.ts";
import type { StartOptions } from "./options.ts";
import { Supervisor } from "./supervisor.ts";

export interface LaunchOptions
  extends Omit<StartOptions, "maxPeers" | "allowedHosts">,
    Partial<Pick<StartOptions, "maxPeers" | "allowedHosts">> {
  repoRoot?: string;
  webRoot?: string;
  /** Default $STORMRING_CONTROL_TOKEN, else a fresh random token for the local daemons. */
  token?: string;
  /** The local daemons' datagram secret: default $STORMRING_SECRET, else a fresh one. */
  secret?: string;
}

export interface Launched {
  app: FastifyInstance;
  url: string;
  supervisor: Supervisor;
  aggregator: Aggregator;
  /** The secret the local daemons sign their datagrams with; null for remote daemons. */
  secret: string | null;
  close(): Promise<void>;
}

export async function launch(options: LaunchOptions): Promise<Launched> {
  const remote = options.remote.length > 0;
  const token =
    options.token ??
    process.env.STORMRING_CONTROL_TOKEN ??
    (remote ? undefined : randomBytes(18).toString("base64url"));
  // Signed datagrams, so no one else on the network can speak for the local daemons.
  const secret = remote
    ? null
    : (options.secret ?? process.env.STORMRING_SECRET ?? randomBytes(18).toString("base64url"));
  const repoRoot = options.repoRoot ?? PACKAGE_ROOT;
  // The peers run in the repository root, so a relative --data-dir is relative to it.
  const dataDir = resolve(repoRoot, options.dataDir);
  const aggregator = new Aggregator(token === undefined ? {} : { token });
  const supervisor = new Supervisor({
    repoRoot,
    dataDir,
    ...(token === undefined ? {} : { controlToken: token }),
    ...(secret === null ? {} : { secret }),
    // A process that exits after its control channel closed changes the state with no
    // event from its channel; browsers must still hear that it is dead.
    onChange: () => aggregator.processesChanged(),
  });
  // The app owns the daemons from here on: closing it (onClose hooks) closes the
  // aggregator's channels and stops every process the supervisor started.
  const app = await buildApp({
    supervisor,
    aggregator,
    dataDir,
    allowedHosts: allowedHostnames(options.host, options.allowedHosts),
    ...(options.maxPeers === undefined ? {} : { maxPeers: options.maxPeers }),
    ...(options.webRoot === undefined ? {} : { webRoot: options.webRoot }),
  });
  const close = () => app.close();
  try {
    if (remote) {
      for (const daemon of options.remote)
        await aggregator.attach(daemon.id, daemon.kind, daemon.url);
    } else {
      await startLocal(supervisor, aggregator, options.peers);
    }
    await app.listen({ port: options.port, host: options.host });
    const address = app.server.address();
    const port = typeof address === "object" && address !== null ? address.port : options.port;
    return {
      app,
      url: `http://${displayHost(options.host)}:${port}`,
      supervisor,
      aggregator,
      secret,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function startLocal(supervisor: Supervisor, aggregator: Aggregator, peers: number) {
  const manager = await supervisor.startManager();
  await attach(aggregator, manager);
  const started = await Promise.all(Array.from({ length: peers }, () => supervisor.startPeer()));
  await Promise.all(started.map((peer) => attach(aggregator, peer)));
}

function attach(
  aggregator: Aggregator,
  daemon: { id: string; kind: "manager" | "peer"; controlUrl: string | null },
) {
  if (daemon.controlUrl === null) throw new Error(`${daemon.id} has no control channel`);
  return aggregator.attach(daemon.id, daemon.kind, daemon.controlUrl);
}

function displayHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}
