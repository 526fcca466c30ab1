/**
 * The control channel's inspect and faults frames on a real loopback WebSocket, against a
 * source standing in for the daemon: a peer answers both; a daemon without them (the
 * manager) says so; a refused fault comes back as `ok: false` with why.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import WebSocket from "ws";
import { ControlServer, type ControlSource } from "../../../src/control/server.ts";
import type { ServerFrame } from "../../../src/observe/events.ts";
import type { PeerInspection } from "../../../src/observe/inspection.ts";
import type { FaultChange } from "../../../src/transport/faults.ts";

const INSPECTION: PeerInspection = {
  clock: 42,
  counters: {
    sent: 1,
    received: 2,
    retransmitted: 0,
    duplicatesDropped: 0,
    malformedDropped: 0,
    refusedDropped: 0,
  },
  table: { tableSize: 7, records: 3, occupiedSlots: 2, chainLengths: [1, 1] },
  lookup: null,
};

function source(extra: Partial<ControlSource> = {}): ControlSource {
  return {
    snapshot: () => ({ daemon: "manager", state: { peers: [], dht: null, pending: null } }),
    observe: () => () => {},
    command: async () => ({ ok: true, lines: [] }),
    ...extra,
  };
}

/** Opens a client, sends `frames`, and collects the answers (not the snapshot). */
async function exchange(server: ControlServer, frames: object[]): Promise<ServerFrame[]> {
  const client = new WebSocket(server.url);
  const answers: ServerFrame[] = [];
  await new Promise<void>((resolve, reject) => {
    client.on("error", reject);
    client.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if (frame.type === "snapshot") {
        for (const each of frames) client.send(JSON.stringify(each));
        return;
      }
      answers.push(frame);
      if (answers.length === frames.length) resolve();
    });
  });
  client.close();
  return answers;
}

test("a peer answers inspect with an inspection and faults with what now holds", async (t) => {
  const asked: (number | null)[] = [];
  const changes: FaultChange[] = [];
  const server = await ControlServer.start({
    host: "127.0.0.1",
    port: 0,
    source: source({
      inspect: (eventId) => {
        asked.push(eventId);
        return { ...INSPECTION, lookup: eventId === null ? null : { eventId, held: true } };
      },
      faults: (change) => {
        changes.push(change);
        if (change.loss === 0.4) throw new RangeError("not now");
        return ["loss: 20% of the datagrams sent are dropped"];
      },
    }),
  });
  t.after(() => server.close());
  const answers = await exchange(server, [
    { type: "inspect", requestId: 1 },
    { type: "inspect", requestId: 2, eventId: 5536849 },
    { type: "faults", requestId: 3, loss: 0.2 },
    { type: "faults", requestId: 4, loss: 0.4 },
  ]);
  assert.deepEqual(asked, [null, 5536849]);
  assert.deepEqual(changes, [{ loss: 0.2 }, { loss: 0.4 }]);
  assert.deepEqual(answers, [
    { type: "inspection", requestId: 1, inspection: INSPECTION },
    {
      type: "inspection",
      requestId: 2,
      inspection: { ...INSPECTION, lookup: { eventId: 5536849, held: true } },
    },
    {
      type: "result",
      requestId: 3,
      ok: true,
      lines: ["loss: 20% of the datagrams sent are dropped"],
    },
    { type: "result", requestId: 4, ok: false, lines: ["error: not now"] },
  ]);
});

test("a daemon that has neither says so", async (t) => {
  const server = await ControlServer.start({ host: "127.0.0.1", port: 0, source: source() });
  t.after(() => server.close());
  const answers = await exchange(server, [
    { type: "inspect", requestId: "a" },
    { type: "faults", requestId: "b", loss: 0.1 },
  ]);
  assert.deepEqual(answers, [
    {
      type: "result",
      requestId: "a",
      ok: false,
      lines: ["error: this daemon cannot be inspected"],
    },
    {
      type: "result",
      requestId: "b",
      ok: false,
      lines: ["error: this daemon takes no run-time faults"],
    },
  ]);
});
