/**
 * Everything the manager shows of itself: its trace on stdout and the control channel's
 * events (the messages it received and sent, its state after each change, console lines).
 */
import type { ManagerState } from "../manager/machine.ts";
import { describeState } from "../manager/state.ts";
import { describeReply, describeRequest } from "../protocol/describe.ts";
import type { ManagerRequest, Reply } from "../protocol/messages.ts";
import type { Identity } from "../transport/identity.ts";
import { messageEvent } from "./events.ts";
import { EventHub, type EventListener } from "./hub.ts";
import type { Trace } from "./trace.ts";

/** Check-ins whose replies are still to be sent, remembered so those are routine too. */
const CHECK_INS_REMEMBERED = 256;

export class ManagerObservation {
  private readonly hub: EventHub;
  /** `<sender>/<request id>` of recent check-ins. */
  private readonly checkIns = new Set<string>();

  constructor(
    identity: Identity,
    private readonly trace: Trace,
  ) {
    this.hub = new EventHub(() => identity.clock);
  }

  observe(listener: EventListener): () => void {
    return this.hub.observe(listener);
  }

  /** A line the manager printed (its trace), for observers. */
  printed(line: string): void {
    this.hub.publish({ kind: "console", line });
  }

  received(request: ManagerRequest): void {
    const summary = describeRequest(request);
    // Every member checks in every few seconds: in the verbose trace only, like probes.
    if (request.type === "check-in") {
      this.checkIns.add(`${request.from}/${request.id}`);
      if (this.checkIns.size > CHECK_INS_REMEMBERED) {
        this.checkIns.delete(this.checkIns.values().next().value as string);
      }
      this.trace.routine("received", request.from, summary, false);
      return;
    }
    this.trace.received(request.from, summary);
    if (this.hub.active) {
      this.hub.publish(messageEvent("received", "manager", request.from, request, summary, false));
    }
  }

  sent(reply: Reply, peer: string, retransmission: boolean): void {
    const summary = describeReply(reply);
    if (this.checkIns.has(`${peer}/${reply.re}`)) {
      if (!retransmission) this.checkIns.delete(`${peer}/${reply.re}`);
      this.trace.routine("sent", peer, summary, retransmission);
      return;
    }
    this.trace.sent(peer, summary, retransmission);
    if (this.hub.active) {
      this.hub.publish(messageEvent("sent", "manager", peer, reply, summary, retransmission));
    }
  }

  invalid(from: string, error: string): void {
    this.trace.invalid(from, error);
  }

  /** A member reported its right neighbour silent, and the registry now says Dead. */
  dead(name: string, why: string): void {
    this.trace.note(`peer ${name} is dead: ${why}`);
  }

  /** A line about the manager itself. */
  note(text: string): void {
    this.trace.note(text);
  }

  /** A wait ran out and the manager rolled back. */
  expired(why: string): void {
    this.trace.note(`gave up waiting: ${why}`);
  }

  changed(state: ManagerState): void {
    this.hub.publish({ kind: "state", daemon: "manager", state: describeState(state) });
  }
}
