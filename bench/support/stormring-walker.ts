/**
 * The walk alone, on stormring's ring: the bench asks as a peer outside the ring would,
 * but from its own socket, through the daemons' own transport (UdpEndpoint, LinkEndpoint):
 * a find-event to a member, the hot-potato hops between the daemons, and the owner's
 * find-result back. No manager round trip, no console, no printing of the record: only
 * the datagram hops and each member's handling of them.
 *
 * The daemons' events carry Date.now() (whole milliseconds), too coarse for a walk of a
 * few tenths of one, which is why the walk is timed here, at the asker's socket.
 */
import { randomBytes } from "node:crypto";
import type { PeerMessage } from "../../daemons/src/protocol/messages.ts";
import { Identity } from "../../daemons/src/transport/identity.ts";
import { LinkEndpoint } from "../../daemons/src/transport/link.ts";
import { type Address, UdpEndpoint } from "../../daemons/src/transport/udp.ts";
import type { Walker, WalkOutcome } from "./walker.ts";

const NAME = "bench-walker";

export class StormringWalker implements Walker {
  private nextQueryId = 1;
  private readonly waiting = new Map<number, (message: PeerMessage, at: number) => void>();

  private constructor(
    private readonly endpoint: UdpEndpoint,
    private readonly links: LinkEndpoint,
    /** The members' p-port addresses, by node id. */
    private readonly members: readonly Address[],
  ) {
    links.onMessage((message, _from) => {
      const at = performance.now();
      if (message.type !== "find-result") return;
      this.waiting.get(message.queryId)?.(message, at);
      this.waiting.delete(message.queryId);
    });
  }

  static async open(members: readonly Address[]): Promise<StormringWalker> {
    const endpoint = await UdpEndpoint.bind("127.0.0.1", 0);
    const links = new LinkEndpoint(endpoint, new Identity(NAME));
    endpoint.onDatagram((message, from, bytes) => links.handle(message, from, bytes));
    return new StormringWalker(endpoint, links, members);
  }

  query(eventId: number, entry: number): Promise<WalkOutcome> {
    const queryId = this.nextQueryId++;
    const member = this.members[entry] as Address;
    const origin = { name: NAME, ...this.endpoint.address() };
    const nonce = randomBytes(8).toString("hex");
    return new Promise((resolve, reject) => {
      const sentAt = performance.now();
      this.waiting.set(queryId, (message, at) => {
        if (message.type !== "find-result") return;
        if (message.reason !== undefined) reject(new Error(`walk refused: ${message.reason}`));
        const found = message.record !== undefined;
        resolve({ ms: at - sentAt, found, hops: message.idSeq.length });
      });
      const body = { type: "find-event" as const, queryId, nonce, eventId, origin, idSeq: [] };
      this.links.send(member, body).catch(reject);
    });
  }

  async close(): Promise<void> {
    this.links.close();
    await this.endpoint.close();
  }
}
