/**
 * `GET /api/live` through injectWS, with the in-memory fakes: the state on connect, the
 * timeline after `?after`, coalesced updates, and the rate limit.
 */
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../src/app.ts";
import { assertError } from "./support/assert-error.ts";
import { type FakeAggregator, fakeRing, peerSnapshot } from "./support/fakes.ts";

let app: FastifyInstance;
let aggregator: FakeAggregator;

beforeEach(async () => {
  const ring = await fakeRing();
  aggregator = ring.aggregator;
  const webRoot = join(tmpdir(), "stormring-no-such-web-root");
  app = await buildApp({ ...ring, dataDir: join(tmpdir(), "stormring-no-data"), webRoot });
  // injectWS, unlike inject, does not wait for the app to be ready.
  await app.ready();
});

afterEach(() => app.close());

describe("GET /api/live", () => {
  type LiveMessage = {
    type: string;
    state?: { daemons: unknown[] };
    seq?: number;
    entries?: { seq: number }[];
  };

  /** Connects, collecting every message from the first (sent during the handshake). */
  async function connect(path: string, headers: Record<string, string> = {}) {
    const messages: LiveMessage[] = [];
    // injectWS sends no Host of its own; a browser always does.
    const socket = await app.injectWS(
      path,
      { headers: { host: "localhost:3000", ...headers } },
      {
        onInit: (ws) => ws.on("message", (data) => messages.push(JSON.parse(data.toString()))),
      },
    );
    return { socket, messages };
  }

  test("sends the state on connect, then coalesced state and timeline messages", async () => {
    const { socket, messages } = await connect("/api/live");
    await waitFor(() => messages.length >= 1);
    assert.equal(messages[0]?.type, "state");
    assert.equal(messages[0]?.state?.daemons.length, 3);

    for (let index = 0; index < 100; index += 1) aggregator.push("peer-1", `line ${index}`);
    await waitFor(() => messages.some((message) => message.type === "timeline"));
    await delay(200);
    const timeline = messages.filter((message) => message.type === "timeline");
    assert.equal(timeline.length, 1, "100 updates in one burst are one timeline message");
    assert.deepEqual(
      timeline[0]?.entries?.map((entry) => entry.seq),
      Array.from({ length: 100 }, (_, index) => index + 1),
    );
    socket.terminate();
  });

  test("sends at most about 20 messages a second under a steady stream of updates", async () => {
    const { socket, messages } = await connect("/api/live");
    const timer = setInterval(() => {
      aggregator.push("peer-1", "tick");
      const view = aggregator.viewsById.get("peer-2");
      if (view) view.snapshot = peerSnapshot({ recordsHeld: aggregator.entries.length });
    }, 2);
    await delay(1000);
    clearInterval(timer);
    socket.terminate();
    assert.ok(messages.length <= 22, `${messages.length} messages in one second`);
    assert.ok(messages.length >= 5, `${messages.length} messages in one second`);
  });

  test("?after=<seq> first sends the timeline entries after seq", async () => {
    for (let index = 0; index < 10; index += 1) aggregator.push("peer-1", `old ${index}`);
    await delay(80);
    const { socket, messages } = await connect("/api/live?after=7");
    await waitFor(() => messages.length >= 2);
    assert.deepEqual(
      messages[1]?.entries?.map((entry) => entry.seq),
      [8, 9, 10],
    );
    assert.equal(messages[0]?.seq, 10, "the state holds from the newest entry on, not from 7");
    socket.terminate();
  });

  test("a plain GET is told to upgrade", async () => {
    assertError(await app.inject({ url: "/api/live" }), 426, "UPGRADE_REQUIRED", /WebSocket/);
  });
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await delay(5);
  }
}
