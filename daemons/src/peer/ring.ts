/** Routes the ring's management messages to the build and churn steps. */
import type { PeerMessage } from "../protocol/messages.ts";
import { onCount, onSetId, onStore } from "./build.ts";
import { onNodeJoining, onRebuildDht, onRebuildDone, onResetId, onTeardown } from "./churn.ts";
import { onGathered, onGatheredStore } from "./replication.ts";
import type { PeerState, Step } from "./state.ts";

export function handleRingMessage(
  state: PeerState,
  message: Exclude<PeerMessage, { type: "find-event" | "find-result" | "write" | "write-result" }>,
): Step {
  switch (message.type) {
    case "set-id":
      return onSetId(state, message);
    case "store":
      return message.gather ? onGatheredStore(state, message) : onStore(state, message);
    case "gathered":
      return onGathered(state, message);
    case "count":
      return onCount(state, message);
    case "teardown":
      return onTeardown(state, message);
    case "reset-id":
      return onResetId(state, message);
    case "rebuild-dht":
      return onRebuildDht(state, message);
    case "rebuild-done":
      return onRebuildDone(state, message);
    case "node-joining":
      return onNodeJoining(state, message);
    case "probe":
      // Its acknowledgement was the point; the link sent that already.
      return { state, effects: [] };
  }
}
