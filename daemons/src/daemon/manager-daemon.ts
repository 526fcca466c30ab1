/**
 * The manager's shell: one UDP socket, the request/reply transport with its reply cache
 * (so a retransmitted request gets the answer already given), the pure state machine and
 * its observation.
 */

import { expirePending } from "../manager/deadlines.ts";
import { handleRequest, initialManagerState, type ManagerState } from "../manager/machine.ts";
import type { EventListener } from "../observe/hub.ts";
import { ManagerObservation } from "../observe/manager-observation.ts";
import type { Trace } from "../observe/trace.ts";
import type { ManagerStore } from "../persist/manager-store.ts";
import { isManagerRequest, type ManagerRequest } from "../protocol/messages.ts";
import { Identity } from "../transport/identity.ts";
import { RpcServer } from "../transport/rpc.ts";
import { type Address, addressKey, UdpEndpoint } from "../transport/udp.ts";

export interface ManagerDaemonOptions {
  host: string;
  port: number;
  trace: Trace;
  random?: () => number;
  /** How long to wait for a completion message before rolling back. */
  waitTimeoutMs: number;
  /** Where the state is kept across restarts; none: in memory only. */
  store?: ManagerStore;
  /** Shared secret datagrams are signed and checked with; null: the plain protocol. */
  secret?: string | null;
}

/** Addresses whose sender names the trace remembers (a registry holds far fewer peers). */
const NAMED_ADDRESSES = 4_096;

export class ManagerDaemon {
  private state: ManagerState = initialManagerState();
  readonly identity = new Identity("manager");
  /** The trace and the control channel's events. */
  private readonly watch: ManagerObservation;
  private waitTimer: NodeJS.Timeout | undefined;
  /** Whether the request just served changed the state, so its reply must be logged. */
  private lastChanged = false;

  private constructor(
    private readonly endpoint: UdpEndpoint,
    private readonly options: ManagerDaemonOptions,
  ) {
    const watch = new ManagerObservation(this.identity, options.trace);
    this.watch = watch;
    const { store } = options;
    if (store !== undefined) this.recover(store);
    // Peers are named in traces by the sender name of their last request; the most
    // recently heard addresses only, since a forged source address costs nothing.
    const namesByAddress = new Map<string, string>();
    const server = new RpcServer(
      endpoint,
      this.identity,
      (request, from) => this.serve(request, from),
      {
        observer: {
          received: (request, from) => {
            if (!isManagerRequest(request)) return;
            const key = addressKey(from);
            namesByAddress.delete(key);
            namesByAddress.set(key, request.from);
            if (namesByAddress.size > NAMED_ADDRESSES) {
              namesByAddress.delete(namesByAddress.keys().next().value as string);
            }
            watch.received(request);
          },
          sent: (reply, to, { retransmission }) => {
            if (reply.type !== "reply") return;
            watch.sent(reply, namesByAddress.get(addressKey(to)) ?? addressKey(to), retransmission);
          },
        },
        ...(store === undefined
          ? {}
          : {
              replyLog: {
                earlier: store.replies(),
                record: (request, reply) => {
                  if (this.lastChanged) store.save(this.state, { request, reply });
                },
              },
            }),
      },
    );
    endpoint.onDatagram((message, from) => {
      this.identity.observe(message.clock);
      if (!server.handle(message, from)) {
        watch.invalid(addressKey(from), `unexpected ${message.type} message`);
      }
    });
    endpoint.onInvalid((error, from) => watch.invalid(addressKey(from), error));
  }

  /**
   * Takes up the state the store holds. A wait that was under way starts a fresh deadline:
   * its completion, retransmitted across the restart, may still come; if not, it is
   * rolled back as any wait that runs out.
   */
  private recover(store: ManagerStore): void {
    this.state = store.load();
    const { peers, dht, pending } = this.state;
    const ring =
      dht === null ? "no DHT" : `a DHT of ${dht.members.length} led by ${dht.leader} (${dht.year})`;
    const waiting = pending === null ? "" : `, waiting for ${pending.peer} (${pending.kind})`;
    this.watch.note(`state from ${store.path}: ${peers.size} registered, ${ring}${waiting}`);
    this.watchPending(null);
  }

  static async start(options: ManagerDaemonOptions): Promise<ManagerDaemon> {
    const endpoint = await UdpEndpoint.bind(options.host, options.port, options.secret ?? null);
    return new ManagerDaemon(endpoint, options);
  }

  address(): Address {
    return this.endpoint.address();
  }

  get snapshot(): ManagerState {
    return this.state;
  }

  /** Subscribes to the manager's events. */
  observe(listener: EventListener): () => void {
    return this.watch.observe(listener);
  }

  /** Publishes a line the manager printed (its trace), for observers. */
  printed(line: string): void {
    this.watch.printed(line);
  }

  close(): Promise<void> {
    clearTimeout(this.waitTimer);
    this.options.store?.close();
    return this.endpoint.close();
  }

  /** Every wait has a deadline: a new pending completion starts its timer. */
  private watchPending(before: ManagerState["pending"]): void {
    const { pending } = this.state;
    if (pending === before) return;
    clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    if (pending === null) return;
    this.waitTimer = setTimeout(() => {
      if (this.state.pending !== pending) return;
      const expiry = expirePending(this.state, this.options.waitTimeoutMs);
      if (expiry === null) return;
      this.state = expiry.state;
      this.options.store?.save(this.state);
      this.watch.expired(expiry.why);
      this.watch.changed(this.state);
    }, this.options.waitTimeoutMs);
    this.waitTimer.unref();
  }

  private serve(request: ManagerRequest, from: Address) {
    const before = this.state.pending;
    const result = handleRequest(this.state, request, from, this.options.random ?? Math.random);
    this.state = result.state;
    this.lastChanged = result.changes.length > 0;
    this.watchPending(before);
    for (const change of result.changes) {
      if (change.kind === "peer-state" && change.to === "Dead" && request.type === "report-dead") {
        this.watch.dead(change.name, `${request.reason} (reported by ${request.name})`);
      }
    }
    if (result.changes.length > 0) this.watch.changed(result.state);
    return result.reply;
  }
}
