/** Small helpers shared by the transport tests. */

import type { PeerBody, StormRecord } from "../../../src/protocol/messages.ts";
import { eventIdOfLine, toRecordLine } from "../../../src/protocol/record-line.ts";
import { UdpEndpoint } from "../../../src/transport/udp.ts";

export function bindLoopback(port = 0): Promise<UdpEndpoint> {
  return UdpEndpoint.bind("127.0.0.1", port);
}

/** Resolves once `condition` holds; rejects after `timeoutMs` with `what` in the message. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A storm record whose fields add up to roughly `approximateBytes` of JSON. */
export function fakeRecord(eventId: number, approximateBytes = 100): StormRecord {
  const filler = "x".repeat(Math.max(0, approximateBytes - 60));
  return [
    String(eventId),
    "TEXAS",
    "1996",
    "MAY",
    "Hail",
    "C",
    filler,
    "0",
    "0",
    "0",
    "0",
    "1K",
    "0",
    "",
  ];
}

/** A store body carrying `records` as record lines, as the peer state machine would write it. */
export function storeBody(records: StormRecord[]): PeerBody {
  return { type: "store", tableSize: 97_073, records: records.map(toRecordLine) };
}

/** The event id of the first record of a store, or the message type otherwise. */
export function labelOf(message: { type: string; records?: string[] }): string {
  const line = message.records?.[0];
  return message.type === "store"
    ? line === undefined
      ? "?"
      : String(eventIdOfLine(line))
    : message.type;
}
