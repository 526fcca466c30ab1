/**
 * A node inspector's and a lecturer's requests of a peer through app.inject with the
 * fakes: `GET /api/daemons/:id/inspection`, `POST /api/daemons/:id/faults`, what each
 * refuses and why, and `paused` in `GET /api/state` after STOP and CONT.
 */
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../src/app.ts";
import { CommandTimeoutError } from "../src/pending-commands.ts";
import { assertError } from "./support/assert-error.ts";
import { type FakeAggregator, type FakeSupervisor, fakeRing } from "./support/fakes.ts";

const NO_WEB = join(tmpdir(), "stormring-no-such-web-root");
const NO_DATA = join(tmpdir(), "stormring-no-such-data-dir");

let app: FastifyInstance;
let supervisor: FakeSupervisor;
let aggregator: FakeAggregator;

beforeEach(async () => {
  ({ supervisor, aggregator } = await fakeRing());
  app = await buildApp({ supervisor, aggregator, dataDir: NO_DATA, webRoot: NO_WEB });
});

afterEach(() => app.close());

const faults = (id: string, payload: object) =>
  app.inject({ method: "POST", url: `/api/daemons/${id}/faults`, payload });

describe("GET /api/daemons/:id/inspection", () => {
  test("the peer's inspection, with the event id asked about", async () => {
    const response = await app.inject({ url: "/api/daemons/peer-1/inspection?eventId=5536849" });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json().lookup, { eventId: 5536849, held: false });
    assert.equal(response.json().clock, 7);
    assert.deepEqual(aggregator.controls, [["peer-1", { inspect: 5536849 }]]);
    const plain = await app.inject({ url: "/api/daemons/peer-1/inspection" });
    assert.equal(plain.json().lookup, null);
  });

  test("refused for the manager, an unknown or dead daemon and a bad id", async () => {
    assertError(
      await app.inject({ url: "/api/daemons/manager/inspection" }),
      409,
      "NOT_A_PEER",
      /"manager" is not a peer/,
    );
    assertError(
      await app.inject({ url: "/api/daemons/zulu/inspection" }),
      404,
      "UNKNOWN_DAEMON",
      /zulu/,
    );
    Object.assign(supervisor.daemons.get("peer-2") ?? {}, { alive: false, ended: "crashed" });
    assertError(
      await app.inject({ url: "/api/daemons/peer-2/inspection" }),
      409,
      "DAEMON_DEAD",
      /peer-2/,
    );
    const bad = await app.inject({ url: "/api/daemons/peer-1/inspection?eventId=-3" });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(aggregator.controls, []);
  });

  test("a peer that does not answer (paused) is a 504", async () => {
    aggregator.onInspect = async () => {
      throw new CommandTimeoutError("peer-1", "inspect", 3_000);
    };
    assertError(
      await app.inject({ url: "/api/daemons/peer-1/inspection" }),
      504,
      "COMMAND_TIMEOUT",
      /"inspect" on daemon "peer-1" did not finish within 3000 ms/,
    );
  });
});

describe("POST /api/daemons/:id/faults", () => {
  test("a loss and a drop-next go to the peer's control channel", async () => {
    const response = await faults("peer-1", {
      loss: 0.3,
      dropNext: { ip: "127.0.0.1", port: 5004 },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().ok, true);
    assert.deepEqual(aggregator.controls, [
      ["peer-1", { loss: 0.3, dropNext: { ip: "127.0.0.1", port: 5004 } }],
    ]);
  });

  test("out of range, empty or not an address: 400, and nothing is sent", async () => {
    for (const payload of [
      { loss: 0.51 },
      { loss: -0.1 },
      {},
      { dropNext: { ip: "alpha", port: 5004 } },
      { dropNext: { ip: "127.0.0.1", port: 0 } },
      { loss: 0.1, extra: true },
    ]) {
      const response = await faults("peer-1", payload);
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
    }
    assertError(await faults("manager", { loss: 0.1 }), 409, "NOT_A_PEER", /"manager"/);
    assert.deepEqual(aggregator.controls, []);
  });
});

test("GET /api/state says which daemon is paused", async () => {
  const pausedOf = async (id: string) => {
    const { daemons } = (await app.inject({ url: "/api/state" })).json() as {
      daemons: { id: string; paused: boolean }[];
    };
    return daemons.find((daemon) => daemon.id === id)?.paused;
  };
  assert.equal(await pausedOf("peer-1"), false);
  const signal = (name: string) =>
    app.inject({ method: "POST", url: "/api/daemons/peer-1/signal", payload: { signal: name } });
  await signal("STOP");
  assert.equal(await pausedOf("peer-1"), true);
  await signal("CONT");
  assert.equal(await pausedOf("peer-1"), false);
});
