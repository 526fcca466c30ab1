/**
 * The diagram's classes of message, each drawn in its colour: the manager's exchanges,
 * the build (ids and stores), queries, a replicated ring's writes, and churn (leave,
 * join, teardown and their rebuilds, a replicated ring's gathering of records included).
 */
import type { DaemonEvent, TimelineEntry } from "../api/types.ts";

export type MessageClass = "manager" | "build" | "query" | "write" | "churn";

/** In the legend's order. */
export const MESSAGE_CLASSES: readonly MessageClass[] = [
  "manager",
  "build",
  "query",
  "write",
  "churn",
];

const CLASS_OF: Record<string, MessageClass> = {
  "set-id": "build",
  store: "build",
  count: "build",
  "find-event": "query",
  "find-result": "query",
  write: "write",
  "write-result": "write",
  teardown: "churn",
  "reset-id": "churn",
  "rebuild-dht": "churn",
  "rebuild-done": "churn",
  "node-joining": "churn",
  // A replicated ring's rebuild: each member's records gathered at the new leader.
  gathered: "churn",
};

export function classOf(messageType: string): MessageClass {
  return CLASS_OF[messageType] ?? "manager";
}

type MessageEvent = Extract<DaemonEvent, { kind: "message" }>;

/**
 * The store summaries of a rebuild's gathering, among message events in log order. A
 * member sends the new leader every record it holds, then `gathered` on the same link; a
 * daemon writes a link's store summary just before the next other message on it, so the
 * summary right before a `gathered`, from the same daemon, link and direction, is of
 * gathered records.
 */
export function gatheredStores<T extends { entry: TimelineEntry; event: MessageEvent }>(
  messages: readonly T[],
): T[] {
  const lastStore = new Map<string, T>();
  const gathered: T[] = [];
  for (const each of messages) {
    const { event, entry } = each;
    const link = `${entry.daemonId}|${event.direction}|${event.from}>${event.to}`;
    if (event.messageType === "store") {
      lastStore.set(link, each);
      continue;
    }
    const store = lastStore.get(link);
    if (store === undefined) continue;
    lastStore.delete(link);
    if (event.messageType === "gathered") gathered.push(store);
  }
  return gathered;
}
