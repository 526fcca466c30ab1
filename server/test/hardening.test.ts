/**
 * What the server refuses from a hostile page or client: a Host that does not name it
 * (DNS rebinding), another site's Origin on `/api/live`, a body over the limit; and the
 * pure rules of `host-check.ts`.
 */
import assert from "node:assert/strict";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { BODY_LIMIT, buildApp } from "../src/app.ts";
import { allowedHostnames, hostnameOf, sameOrigin } from "../src/host-check.ts";
import { assertError } from "./support/assert-error.ts";
import { fakeRing } from "./support/fakes.ts";

const NO_WEB = join(tmpdir(), "stormring-no-such-web-root");
const NO_DATA = join(tmpdir(), "stormring-no-such-data-dir");

let app: FastifyInstance;

beforeEach(async () => {
  const ring = await fakeRing();
  app = await buildApp({
    ...ring,
    dataDir: NO_DATA,
    webRoot: NO_WEB,
    allowedHosts: allowedHostnames("10.1.2.3", ["stormring.lab"]),
  });
  await app.ready();
});

afterEach(() => app.close());

const withHost = (host: string, url = "/api/state") => app.inject({ url, headers: { host } });

describe("the Host header", () => {
  for (const host of [
    "localhost:3000",
    "LOCALHOST",
    "127.0.0.1:3000",
    "[::1]:3000",
    "10.1.2.3:3000",
    "stormring.lab:8080",
    "localhost.:3000",
  ]) {
    test(`${host} is this server`, async () => {
      assert.equal((await withHost(host)).statusCode, 200);
    });
  }

  for (const host of ["evil.example:3000", "127.0.0.1.evil.example", "10.1.2.4:3000"]) {
    test(`421 BAD_HOST_HEADER for ${JSON.stringify(host)}, on every route`, async () => {
      for (const url of ["/api/state", "/", "/docs/json", "/api/nope"]) {
        const response = await withHost(host, url);
        assertError(response, 421, "BAD_HOST_HEADER", /does not name this server/);
        assert.equal(response.json().error, "Misdirected Request");
      }
    });
  }

  test("a rebinding page cannot post a command either", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/daemons",
      headers: { host: "rebind.evil.example:3000" },
      payload: { kind: "peer" },
    });
    assertError(response, 421, "BAD_HOST_HEADER", /rebind\.evil\.example/);
  });

  test("nor open the live feed", async () => {
    await assert.rejects(
      app.injectWS("/api/live", { headers: { host: "evil.example:3000" } }),
      /Unexpected server response: 421/,
    );
  });
});

describe("the Origin of /api/live", () => {
  const connect = (headers: Record<string, string>) =>
    app.injectWS("/api/live", { headers: { host: "localhost:3000", ...headers } });

  test("no Origin (not a browser), or the server's own, connects", async () => {
    (await connect({})).terminate();
    (await connect({ origin: "http://localhost:3000" })).terminate();
  });

  for (const origin of [
    "http://evil.example",
    "http://localhost:5173",
    "https://localhost:3000.evil.example",
    "null",
    "file://",
  ]) {
    test(`403 FORBIDDEN_ORIGIN for ${origin}`, async () => {
      await assert.rejects(connect({ origin }), /Unexpected server response: 403/);
      const plain = await app.inject({
        url: "/api/live",
        headers: { host: "localhost:3000", origin },
      });
      assertError(plain, 403, "FORBIDDEN_ORIGIN", /this server's own pages only/);
    });
  }
});

describe("a body over the limit", () => {
  test("is 413 PAYLOAD_TOO_LARGE in the API's error shape", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/daemons/peer-1/command",
      payload: { line: "x".repeat(BODY_LIMIT) },
    });
    assertError(response, 413, "PAYLOAD_TOO_LARGE", new RegExp(`larger than ${BODY_LIMIT} bytes`));
    assert.equal(response.json().error, "Payload Too Large");
  });

  test("just under it is judged by the route's schema as before", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/daemons/peer-1/command",
      payload: { line: "x".repeat(BODY_LIMIT - 100) },
    });
    assertError(response, 400, "BAD_REQUEST", /body/);
  });
});

describe("host-check rules", () => {
  test("hostnameOf drops the port and brackets, lower case", () => {
    assert.equal(hostnameOf("LocalHost:3000"), "localhost");
    assert.equal(hostnameOf("[::1]:3000"), "::1");
    assert.equal(hostnameOf("[::1]"), "::1");
    assert.equal(hostnameOf("10.0.0.1"), "10.0.0.1");
    assert.equal(hostnameOf(undefined), "");
    assert.equal(allowedHostnames("127.0.0.1").has(hostnameOf(undefined)), false);
  });

  test("a listen address of 0.0.0.0 allows every address of the machine", () => {
    const names = allowedHostnames("0.0.0.0");
    for (const addresses of Object.values(networkInterfaces())) {
      for (const { address } of addresses ?? []) assert.ok(names.has(address.toLowerCase()));
    }
    assert.ok(names.has("localhost"));
  });

  test("a specific listen address allows it and loopback only", () => {
    assert.deepEqual([...allowedHostnames("10.1.2.3")].sort(), [
      "10.1.2.3",
      "127.0.0.1",
      "::1",
      "localhost",
    ]);
  });

  test("sameOrigin compares scheme-less host and port", () => {
    assert.equal(sameOrigin("http://localhost:3000", "localhost:3000"), true);
    assert.equal(sameOrigin("http://LOCALHOST:3000", "localhost:3000"), true);
    assert.equal(sameOrigin("http://localhost", "localhost:80"), true);
    assert.equal(sameOrigin("http://localhost:3001", "localhost:3000"), false);
    assert.equal(sameOrigin("http://127.0.0.1:3000", "localhost:3000"), false);
    assert.equal(sameOrigin("null", "localhost:3000"), false);
    assert.equal(sameOrigin("http://localhost:3000", undefined), false);
  });
});
