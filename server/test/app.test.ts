/**
 * Every route of the API through app.inject, with in-memory fakes of the supervisor and
 * the aggregator: the contract's shapes, and a clear 4xx for each kind of bad request.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { CommandTimeoutError } from "../src/aggregator.ts";
import { buildApp } from "../src/app.ts";
import { assertError } from "./support/assert-error.ts";
import {
  type CloseLog,
  type FakeAggregator,
  type FakeSupervisor,
  fakeRing,
  peerSnapshot,
} from "./support/fakes.ts";

const NO_WEB = join(tmpdir(), "stormring-no-such-web-root");
const NO_DATA = join(tmpdir(), "stormring-no-such-data-dir");

let app: FastifyInstance;
let supervisor: FakeSupervisor;
let aggregator: FakeAggregator;
let closed: CloseLog;

beforeEach(async () => {
  ({ supervisor, aggregator, closed } = await fakeRing());
  app = await buildApp({ supervisor, aggregator, dataDir: NO_DATA, webRoot: NO_WEB });
});

afterEach(() => app.close());

function command(id: string, body: unknown) {
  return app.inject({ method: "POST", url: `/api/daemons/${id}/command`, payload: body as object });
}

describe("GET /api/state", () => {
  test("merges the supervisor's processes and the aggregator's views by id", async () => {
    aggregator.dhtValue = {
      leader: "alpha",
      members: ["alpha"],
      year: "1996",
      ringSize: 1,
      phase: "ready",
    };
    aggregator.viewsById.set("remote-peer-1", {
      id: "remote-peer-1",
      kind: "peer",
      connected: true,
      snapshot: peerSnapshot(),
    });
    const response = await app.inject({ method: "GET", url: "/api/state" });
    assert.equal(response.statusCode, 200);
    const { daemons, dht } = response.json();
    assert.deepEqual(dht, {
      leader: "alpha",
      members: ["alpha"],
      year: "1996",
      ringSize: 1,
      phase: "ready",
    });
    assert.deepEqual(
      daemons.map((d: { id: string }) => d.id),
      ["manager", "peer-1", "peer-2", "remote-peer-1"],
    );
    const [manager, alpha, unregistered, remote] = daemons;
    assert.equal(manager.kind, "manager");
    assert.equal(typeof manager.pid, "number");
    assert.equal(manager.alive, true);
    assert.equal(alpha.name, "alpha");
    assert.equal(alpha.state, "registered");
    assert.equal(unregistered.name, undefined);
    assert.equal(remote.pid, null);
    assert.equal(remote.alive, true);
    assert.equal(remote.remote, true);
  });

  test("dht is null before there is one", async () => {
    const response = await app.inject({ method: "GET", url: "/api/state" });
    assert.equal(response.json().dht, null);
  });
});

describe("POST /api/daemons", () => {
  test("starts a peer, attaches to it and answers 201 with its id", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/daemons",
      payload: { kind: "peer" },
    });
    assert.equal(response.statusCode, 201);
    assert.deepEqual(response.json(), { id: "peer-3" });
    assert.equal(aggregator.viewsById.get("peer-3")?.connected, true);
  });

  for (const payload of [{}, { kind: "manager" }, { kind: "peer", extra: 1 }]) {
    test(`400 for the body ${JSON.stringify(payload)}`, async () => {
      const response = await app.inject({ method: "POST", url: "/api/daemons", payload });
      assertError(response, 400, "BAD_REQUEST", /body/);
    });
  }

  test("502 naming the reason when the peer cannot start", async () => {
    supervisor.failNextStart = "no manager is running";
    const response = await app.inject({
      method: "POST",
      url: "/api/daemons",
      payload: { kind: "peer" },
    });
    assertError(response, 502, "DAEMON_START_FAILED", /no manager is running/);
  });
});

describe("POST /api/daemons/:id/command", () => {
  test("sends the line and answers when the command has finished", async () => {
    const response = await command("peer-1", { line: "query-dht alpha 5536849" });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { ok: true, lines: ["ran query-dht alpha 5536849"] });
    assert.equal(aggregator.commands[0]?.line, "query-dht alpha 5536849");
    assert.equal(aggregator.commands[0]?.daemonId, "peer-1");
  });

  test("the command's own failure is 200 with ok false and its lines", async () => {
    const lines = ["setup-dht refused: details-1800.csv does not exist"];
    aggregator.onCommand = async () => ({ ok: false, lines });
    const response = await command("peer-1", { line: "setup-dht alpha 3 1800" });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { ok: false, lines });
  });

  test("404 naming an unknown daemon", async () => {
    assertError(await command("zulu", { line: "status" }), 404, "UNKNOWN_DAEMON", /"zulu"/);
  });

  for (const body of [{}, { line: "" }, { line: ["status"] }, { line: "status", extra: true }]) {
    test(`400 for the body ${JSON.stringify(body)}`, async () => {
      assertError(await command("peer-1", body), 400, "BAD_REQUEST", /body/);
    });
  }

  test("400 for a body that is not JSON", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/daemons/peer-1/command",
      headers: { "content-type": "application/json" },
      payload: "{line:",
    });
    assertError(response, 400, "BAD_REQUEST", /JSON/i);
  });

  for (const line of ["frobnicate alpha", "   ", "REGISTER alpha 127.0.0.1 1 2"]) {
    test(`400 for the malformed command ${JSON.stringify(line)}`, async () => {
      const response = await command("peer-1", { line });
      assertError(response, 400, "BAD_COMMAND", /expected one of: register, setup-dht/);
    });
  }

  for (const eventId of ["abc", "-5", "12.5", "1e3", "99999999999999999999"]) {
    test(`400 "bad event id" for query-dht with ${eventId}`, async () => {
      const response = await command("peer-1", { line: `query-dht alpha ${eventId}` });
      assertError(response, 400, "BAD_EVENT_ID", new RegExp(`bad event id "${eventId}"`));
    });
  }

  test("query-dht without an event id is left to the peer", async () => {
    assert.equal((await command("peer-1", { line: "query-dht alpha" })).statusCode, 200);
  });

  test("409 for a daemon that has exited", async () => {
    Object.assign(supervisor.daemons.get("peer-2") ?? {}, { alive: false, exitCode: 0, pid: null });
    assertError(
      await command("peer-2", { line: "status" }),
      409,
      "DAEMON_DEAD",
      /"peer-2".*exit code 0/,
    );
  });

  test("409 for a daemon whose control channel is not connected", async () => {
    Object.assign(aggregator.viewsById.get("peer-2") ?? {}, { connected: false });
    assertError(await command("peer-2", { line: "status" }), 409, "DAEMON_DISCONNECTED", /peer-2/);
  });

  test("504 when the command does not finish in time", async () => {
    aggregator.onCommand = async (id, line) => {
      throw new CommandTimeoutError(id, line, 120_000);
    };
    assertError(await command("peer-1", { line: "status" }), 504, "COMMAND_TIMEOUT", /status/);
  });

  test("a timeout is told by its class, not by the words of a message", async () => {
    aggregator.onCommand = async () => {
      throw new Error("the peer timed out talking to the manager");
    };
    assertError(await command("peer-1", { line: "status" }), 502, "COMMAND_FAILED", /timed out/);
  });

  test("409 when the daemon dies while the command runs", async () => {
    aggregator.onCommand = async (id) => {
      Object.assign(supervisor.daemons.get(id) ?? {}, { alive: false, exitCode: 1 });
      throw new Error("control channel closed");
    };
    assertError(await command("peer-1", { line: "status" }), 409, "DAEMON_DEAD", /exit code 1/);
  });
});

describe("GET /api/timeline", () => {
  beforeEach(() => {
    for (let index = 0; index < 250; index += 1) aggregator.push("peer-1", `line ${index}`);
  });

  test("pages with after and limit, 200 entries by default", async () => {
    const first = (await app.inject({ url: "/api/timeline" })).json();
    assert.equal(first.entries.length, 200);
    assert.equal(first.next, 200);
    assert.deepEqual(first.entries[0].event, { kind: "console", line: "line 0" });
    const second = (
      await app.inject({ url: `/api/timeline?after=${first.next}&limit=1000` })
    ).json();
    assert.equal(second.entries.length, 50);
    assert.equal(second.entries[0].seq, 201);
    const one = (await app.inject({ url: "/api/timeline?after=5&limit=1" })).json();
    assert.deepEqual(
      one.entries.map((entry: { seq: number }) => entry.seq),
      [6],
    );
  });

  for (const query of ["limit=0", "limit=1001", "after=-1", "after=abc", "limit=2.5"]) {
    test(`400 for ?${query}`, async () => {
      assertError(
        await app.inject({ url: `/api/timeline?${query}` }),
        400,
        "BAD_REQUEST",
        /querystring/,
      );
    });
  }
});

describe("documentation and pages", () => {
  test("/docs/json lists every route", async () => {
    const response = await app.inject({ url: "/docs/json" });
    assert.equal(response.statusCode, 200);
    const { paths } = response.json();
    assert.ok(paths["/api/state"]?.get);
    assert.ok(paths["/api/daemons"]?.post);
    assert.ok(paths["/api/daemons/{id}/command"]?.post);
    assert.ok(paths["/api/timeline"]?.get);
    assert.ok(paths["/api/live"]?.get);
    assert.ok(paths["/api/years"]?.get);
    assert.ok(paths["/api/free-ports"]?.get);
    assert.ok(paths["/api/data/fetch"]?.get);
    assert.ok(paths["/api/data/fetch"]?.post);
    assert.equal(paths["/"], undefined);
  });

  test("/docs serves the Swagger UI", async () => {
    const response = await app.inject({ url: "/docs/" });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /swagger/i);
  });

  test("/ is a placeholder linking to /docs and /api/state when there is no built UI", async () => {
    const response = await app.inject({ url: "/" });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers["content-type"]), /text\/html/);
    assert.match(response.body, /dashboard is not built/);
    assert.match(response.body, /href="\/docs"/);
    assert.match(response.body, /href="\/api\/state"/);
  });

  test("/ serves web/dist when it exists", async () => {
    const webRoot = await mkdtemp(join(tmpdir(), "stormring-web-"));
    await writeFile(join(webRoot, "index.html"), "<p>the real dashboard</p>");
    const withUi = await buildApp({ supervisor, aggregator, dataDir: NO_DATA, webRoot });
    try {
      const response = await withUi.inject({ url: "/" });
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /the real dashboard/);
      assert.equal((await withUi.inject({ url: "/docs/json" })).statusCode, 200);
    } finally {
      await withUi.close();
      await rm(webRoot, { recursive: true });
    }
  });

  test("an unknown route is a JSON 404", async () => {
    assertError(await app.inject({ url: "/api/nope" }), 404, "NOT_FOUND", /GET \/api\/nope/);
  });
});

describe("closing the app", () => {
  test("closes the aggregator's channels, then stops the supervisor's daemons", async () => {
    assert.deepEqual(closed, []);
    await app.close();
    assert.deepEqual(closed, ["aggregator", "supervisor"]);
  });
});
