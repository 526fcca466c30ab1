/**
 * The manager's shell: one UDP socket, the request/reply transport with its reply cache
 * (so a retransmitted request gets the answer already given) and the pure state machine.
 */
import type { Trace } from "../cli/trace.ts";
import { messageEvent } from "../control/events.ts";
import { EventHub, type EventListener } from "../control/hub.ts";
import { describeReply, describeRequest } from "../protocol/describe.ts";
import { type Datagram, MANAGER_REQUEST_TYPES, type ManagerRequest } from "../protocol/messages.ts";
import { Identity } from "../transport/identity.ts";
import { RpcServer } from "../transport/rpc.ts";
import { type Address, addressKey, UdpEndpoint } from "../transport/udp.ts";
import {
  handleRequest,
  initialManagerState,
  type ManagerChange,
  type ManagerState,
} from "./machine.ts";
import { describeState } from "./state.ts";

export interface ManagerDaemonOptions {
  host: string;
  port: number;
  trace: Trace;
  random?: () => number;
  onChange?: (changes: ManagerChange[], state: ManagerState) => void;
}

export class ManagerDaemon {
  private state: ManagerState = initialManagerState();
  readonly identity = new Identity("manager");
  /** Observation (the control channel): messages, state changes and console lines. */
  private readonly hub = new EventHub(() => this.identity.clock);

  private constructor(
    private readonly endpoint: UdpEndpoint,
    private readonly options: ManagerDaemonOptions,
  ) {
    const { trace } = options;
    // Peers are named in traces by the sender name of their last request.
    const namesByAddress = new Map<string, string>();
    const server = new RpcServer(
      endpoint,
      this.identity,
      (request, from) => this.serve(request, from),
      {
        observer: {
          received: (request, from) => {
            if (!isManagerRequest(request)) return;
            namesByAddress.set(addressKey(from), request.from);
            const summary = describeRequest(request);
            trace.received(request.from, summary);
            this.publishMessage("received", request, request.from, summary);
          },
          sent: (reply, to, { retransmission }) => {
            if (reply.type !== "reply") return;
            const peer = namesByAddress.get(addressKey(to)) ?? addressKey(to);
            const summary = describeReply(reply);
            trace.sent(peer, summary, retransmission);
            this.publishMessage("sent", reply, peer, summary, retransmission);
          },
        },
      },
    );
    endpoint.onDatagram((message, from) => {
      this.identity.observe(message.clock);
      if (!server.handle(message, from))
        trace.invalid(addressKey(from), `unexpected ${message.type} message`);
    });
    endpoint.onInvalid((error, from) => trace.invalid(addressKey(from), error));
  }

  static async start(options: ManagerDaemonOptions): Promise<ManagerDaemon> {
    const endpoint = await UdpEndpoint.bind(options.host, options.port);
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
    return this.hub.observe(listener);
  }

  /** Publishes a line the manager printed (its trace), for observers. */
  printed(line: string): void {
    this.hub.publish({ kind: "console", line });
  }

  private publishMessage(
    direction: "sent" | "received",
    message: Datagram,
    peer: string,
    summary: string,
    retransmission = false,
  ): void {
    if (!this.hub.active) return;
    this.hub.publish(messageEvent(direction, "manager", peer, message, summary, retransmission));
  }

  close(): Promise<void> {
    return this.endpoint.close();
  }

  private serve(request: ManagerRequest, from: Address) {
    const result = handleRequest(this.state, request, from, this.options.random ?? Math.random);
    this.state = result.state;
    if (result.changes.length > 0) {
      this.options.onChange?.(result.changes, result.state);
      this.hub.publish({ kind: "state", state: describeState(result.state) });
    }
    return result.reply;
  }
}

const managerRequestTypes = new Set<string>(MANAGER_REQUEST_TYPES);
function isManagerRequest(message: Datagram): message is ManagerRequest {
  return managerRequestTypes.has(message.type);
}
