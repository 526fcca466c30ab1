/**
 * Acting on the daemons the server started, through app.inject with the fakes: a crash
 * in `GET /api/state`, `POST /api/daemons/:id/signal`, `POST /api/daemons/:id/restart`,
 * the cap on `POST /api/daemons`, and a clear 4xx for each kind of bad request.
 */
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../src/app.ts";
import { assertError } from "./support/assert-error.ts";
import { type FakeAggregator, type FakeSupervisor, fakeRing } from "./support/fakes.ts";

const NO_WEB = join(tmpdir(), "stormring-no-such-web-root");
const NO_DATA = join(tmpdir(), "stormring-no-such-data-dir");

let app: FastifyInstance;
let supervisor: FakeSupervisor;
let aggregator: FakeAggregator;

beforeEach(async () => {
  ({ supervisor, aggregator } = await fakeRing());
  app = await buildApp({ supervisor, aggregator, dataDir: NO_DATA, webRoot: NO_WEB, maxPeers: 3 });
});

afterEach(() => app.close());

const post = (url: string, payload?: object) =>
  app.inject({ method: "POST", url, ...(payload === undefined ? {} : { payload }) });
const signal = (id: string, body: unknown) => post(`/api/daemons/${id}/signal`, body as object);
const daemonInState = async (id: string) => {
  const { daemons } = (await app.inject({ url: "/api/state" })).json() as {
    daemons: { id: string; alive: boolean; ended: string | null; signal: string | null }[];
  };
  return daemons.find((daemon) => daemon.id === id);
};

function addRemotePeer() {
  aggregator.viewsById.set("remote-peer-1", {
    id: "remote-peer-1",
    kind: "peer",
    connected: true,
    snapshot: null,
  });
}

describe("GET /api/state: how a daemon ended", () => {
  test("a running daemon has ended and signal null", async () => {
    const peer = await daemonInState("peer-1");
    assert.equal(peer?.alive, true);
    assert.equal(peer?.ended, null);
    assert.equal(peer?.signal, null);
  });

  test("a crash (a signal, or a code other than 0) is told from a clean exit", async () => {
    Object.assign(supervisor.daemons.get("peer-1") ?? {}, {
      alive: false,
      signal: "SIGKILL",
      ended: "crashed",
    });
    Object.assign(supervisor.daemons.get("peer-2") ?? {}, {
      alive: false,
      exitCode: 0,
      ended: "exited",
    });
    assert.deepEqual(await daemonInState("peer-1").then((d) => [d?.alive, d?.ended, d?.signal]), [
      false,
      "crashed",
      "SIGKILL",
    ]);
    assert.deepEqual(await daemonInState("peer-2").then((d) => [d?.alive, d?.ended, d?.signal]), [
      false,
      "exited",
      null,
    ]);
  });

  test("a remote daemon's ending is unknown", async () => {
    addRemotePeer();
    const remote = await daemonInState("remote-peer-1");
    assert.equal(remote?.ended, null);
    assert.equal(remote?.signal, null);
  });
});

describe("POST /api/daemons/:id/signal", () => {
  test("KILL answers the signal sent, and the state then shows a crash", async () => {
    const pid = supervisor.daemons.get("peer-1")?.pid;
    const response = await signal("peer-1", { signal: "KILL" });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { id: "peer-1", pid, signal: "SIGKILL" });
    assert.deepEqual(supervisor.signals, [["peer-1", "KILL"]]);
    assert.equal((await daemonInState("peer-1"))?.ended, "crashed");
  });

  test("STOP, CONT and INT are passed on, also to the manager", async () => {
    for (const [id, name] of [
      ["peer-2", "STOP"],
      ["peer-2", "CONT"],
      ["manager", "INT"],
    ] as const) {
      const response = await signal(id, { signal: name });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().signal, `SIG${name}`);
    }
    assert.deepEqual(supervisor.signals, [
      ["peer-2", "STOP"],
      ["peer-2", "CONT"],
      ["manager", "INT"],
    ]);
  });

  test("404 for an unknown daemon", async () => {
    assertError(await signal("zulu", { signal: "KILL" }), 404, "UNKNOWN_DAEMON", /"zulu"/);
  });

  test("409 REMOTE_DAEMON for a daemon the server did not start", async () => {
    addRemotePeer();
    assertError(
      await signal("remote-peer-1", { signal: "KILL" }),
      409,
      "REMOTE_DAEMON",
      /"remote-peer-1" runs elsewhere.*signal only the daemons it started/,
    );
    assert.deepEqual(supervisor.signals, []);
  });

  test("409 DAEMON_DEAD for a process that has exited, saying how", async () => {
    Object.assign(supervisor.daemons.get("peer-2") ?? {}, {
      alive: false,
      signal: "SIGKILL",
      ended: "crashed",
    });
    assertError(
      await signal("peer-2", { signal: "CONT" }),
      409,
      "DAEMON_DEAD",
      /"peer-2" is not running \(crashed on SIGKILL\).*\/api\/daemons\/peer-2\/restart/,
    );
  });

  for (const body of [
    {},
    { signal: "TERM" },
    { signal: "SIGKILL" },
    { signal: "kill" },
    { signal: 9 },
    { signal: "KILL", extra: true },
  ]) {
    test(`400 for the body ${JSON.stringify(body)}`, async () => {
      assertError(await signal("peer-1", body), 400, "BAD_REQUEST", /body/);
      assert.deepEqual(supervisor.signals, []);
    });
  }
});

describe("POST /api/daemons/:id/restart", () => {
  test("a dead peer is restarted with its id and attached again", async () => {
    Object.assign(supervisor.daemons.get("peer-1") ?? {}, { alive: false, ended: "crashed" });
    Object.assign(aggregator.viewsById.get("peer-1") ?? {}, { connected: false });
    const response = await post("/api/daemons/peer-1/restart");
    assert.equal(response.statusCode, 200, response.body);
    const { id, pid } = response.json();
    assert.equal(id, "peer-1");
    assert.equal(pid, supervisor.daemons.get("peer-1")?.pid);
    assert.deepEqual(supervisor.restarted, ["peer-1"]);
    assert.equal(aggregator.viewsById.get("peer-1")?.connected, true);
    const state = await daemonInState("peer-1");
    assert.deepEqual([state?.alive, state?.ended], [true, null]);
  });

  test("the manager restarts too", async () => {
    const response = await post("/api/daemons/manager/restart");
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(supervisor.restarted, ["manager"]);
  });

  test("404 for an unknown daemon", async () => {
    assertError(await post("/api/daemons/zulu/restart"), 404, "UNKNOWN_DAEMON", /"zulu"/);
  });

  test("409 REMOTE_DAEMON for a daemon the server did not start", async () => {
    addRemotePeer();
    assertError(
      await post("/api/daemons/remote-peer-1/restart"),
      409,
      "REMOTE_DAEMON",
      /restart only the daemons it started/,
    );
  });

  test("502 naming the reason when it cannot start again", async () => {
    supervisor.failNextStart = "the manager's port is taken";
    assertError(
      await post("/api/daemons/manager/restart"),
      502,
      "DAEMON_START_FAILED",
      /could not restart "manager": the manager's port is taken/,
    );
  });

  test("a dead peer is not restarted past the cap; a running one may be", async () => {
    await post("/api/daemons", { kind: "peer" }); // the third of at most 3
    Object.assign(supervisor.daemons.get("peer-1") ?? {}, { alive: false });
    await post("/api/daemons", { kind: "peer" }); // 3 running again
    assertError(await post("/api/daemons/peer-1/restart"), 409, "TOO_MANY_DAEMONS", /3 local/);
    assert.equal((await post("/api/daemons/peer-2/restart")).statusCode, 200);
  });
});

describe("POST /api/daemons: at most --max-peers local peers", () => {
  test("409 TOO_MANY_DAEMONS once the cap runs; dead and remote peers do not count", async () => {
    addRemotePeer();
    assert.equal((await post("/api/daemons", { kind: "peer" })).statusCode, 201);
    assertError(
      await post("/api/daemons", { kind: "peer" }),
      409,
      "TOO_MANY_DAEMONS",
      /3 local peers are running, the most this server starts \(--max-peers\)/,
    );
    assert.equal(supervisor.list().filter((daemon) => daemon.kind === "peer").length, 3);
    Object.assign(supervisor.daemons.get("peer-2") ?? {}, { alive: false });
    assert.equal((await post("/api/daemons", { kind: "peer" })).statusCode, 201);
  });

  test("the default cap is 12", async () => {
    const open = await buildApp({ supervisor, aggregator, dataDir: NO_DATA, webRoot: NO_WEB });
    try {
      const started = [];
      for (let index = 0; index < 12; index += 1) {
        started.push(
          (await open.inject({ method: "POST", url: "/api/daemons", payload: { kind: "peer" } }))
            .statusCode,
        );
      }
      assert.deepEqual(started, [...Array(10).fill(201), 409, 409]);
    } finally {
      await open.close();
    }
  });
});

describe("documentation", () => {
  test("/docs/json has both routes with their bodies and answers", async () => {
    const { paths } = (await app.inject({ url: "/docs/json" })).json();
    const signalRoute = paths["/api/daemons/{id}/signal"]?.post;
    const restartRoute = paths["/api/daemons/{id}/restart"]?.post;
    assert.ok(signalRoute && restartRoute);
    const body = signalRoute.requestBody.content["application/json"].schema;
    assert.deepEqual(
      body.properties.signal.anyOf.map(
        (each: { enum?: string[]; const?: string }) => each.const ?? each.enum?.[0],
      ),
      ["KILL", "STOP", "CONT", "INT"],
    );
    for (const status of ["200", "400", "404", "409"]) assert.ok(signalRoute.responses[status]);
    for (const status of ["200", "404", "409", "502"]) assert.ok(restartRoute.responses[status]);
    assert.ok(paths["/api/daemons"].post.responses["409"]);
  });
});
