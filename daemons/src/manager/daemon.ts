/**
 * The manager's shell: one UDP socket, the request/reply transport with its reply cache
 * (so a retransmitted request gets the answer already given) and the pure state machine.
 */
import type { Trace } from "../cli/trace.ts";
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
            trace.received(request.from, describeRequest(request));
          },
          sent: (reply, to, { retransmission }) => {
            if (reply.type !== "reply") return;
            trace.sent(
              namesByAddress.get(addressKey(to)) ?? addressKey(to),
              describeReply(reply),
              retransmission,
            );
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

  close(): Promise<void> {
    return this.endpoint.close();
  }

  private serve(request: ManagerRequest, from: Address) {
    const result = handleRequest(this.state, request, from, this.options.random ?? Math.random);
    this.state = result.state;
    if (result.changes.length > 0) this.options.onChange?.(result.changes, result.state);
    return result.reply;
  }
}

const managerRequestTypes = new Set<string>(MANAGER_REQUEST_TYPES);
function isManagerRequest(message: Datagram): message is ManagerRequest {
  return managerRequestTypes.has(message.type);
}
