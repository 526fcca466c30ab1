import assert from "node:assert/strict";
import { test } from "node:test";
import { describeState, initialManagerState } from "../../../src/manager/machine.ts";
import { PEER_IP, refuse, registered, registration, succeed } from "./helpers.ts";

test("register stores the peer as Free and reports the change", () => {
  const result = succeed(initialManagerState(), registration("alice", 0));
  assert.deepEqual(describeState(result.state).peers, [
    { name: "alice", ip: PEER_IP, mport: 5_000, pport: 5_001, state: "Free" },
  ]);
  assert.deepEqual(result.changes, [{ kind: "peer-state", name: "alice", from: null, to: "Free" }]);
});

test("register keeps registration order", () => {
  const state = registered(["carol", "alice", "bob"]);
  assert.deepEqual(
    describeState(state).peers.map((peer) => peer.name),
    ["carol", "alice", "bob"],
  );
});

test("register accepts 1 to 15 letters of either case", () => {
  succeed(initialManagerState(), registration("a", 0));
  succeed(initialManagerState(), registration("AbcdefghijKlmno", 0));
});

test("register refuses a name that is not 1 to 15 ASCII letters [BAD_NAME]", () => {
  for (const name of ["abcdefghijklmnop", "bob1", "bo b", "bób", "bob-x", " bob"]) {
    const text = refuse(initialManagerState(), registration(name, 0), "BAD_NAME");
    assert.match(text, /1 to 15 letters/);
  }
});

test("register refuses a taken name [DUPLICATE_NAME]", () => {
  const state = registered(["bob"]);
  const text = refuse(state, registration("bob", 1), "DUPLICATE_NAME");
  assert.equal(text, 'name "bob" is already registered');
});

test("register refuses a malformed IPv4 address [BAD_ARGUMENT]", () => {
  const bad = ["10.0.0", "10.0.0.256", "1.2.3.4.5", "010.0.0.1", " 10.0.0.1", "10.0.0.1x"];
  for (const ip of [...bad, "a.b.c.d", "10..0.1", "", "::1", "10.0.0.-1"]) {
    const text = refuse(
      initialManagerState(),
      { type: "register", name: "bob", ip, mport: 5_000, pport: 5_001 },
      "BAD_ARGUMENT",
    );
    assert.match(text, /IPv4/);
  }
});

test("register accepts the extreme octets", () => {
  for (const ip of ["0.0.0.0", "255.255.255.255"]) {
    succeed(initialManagerState(), { type: "register", name: "bob", ip, mport: 1, pport: 65_535 });
  }
});

test("register refuses a port outside 1..65535 [BAD_ARGUMENT]", () => {
  const ports: [number, number, RegExp][] = [
    [0, 5_001, /m-port 0/],
    [65_536, 5_001, /m-port 65536/],
    [5_000, 0, /p-port 0/],
    [5_000, 70_000, /p-port 70000/],
  ];
  for (const [mport, pport, named] of ports) {
    const body = { type: "register", name: "bob", ip: PEER_IP, mport, pport } as const;
    assert.match(refuse(initialManagerState(), body, "BAD_ARGUMENT"), named);
  }
});

test("register must come from the m-port it registers [BAD_ARGUMENT]", () => {
  const body = registration("bob", 0);
  for (const from of [
    { ip: "10.0.0.2", port: 5_000 },
    { ip: PEER_IP, port: 5_001 },
  ]) {
    const text = refuse(initialManagerState(), body, "BAD_ARGUMENT", { from });
    assert.match(text, /10\.0\.0\.1:5000/);
    assert.ok(text.includes(`${from.ip}:${from.port}`));
  }
});

test("register accepts an IPv4-mapped source address from a dual-stack socket", () => {
  succeed(initialManagerState(), registration("bob", 0), {
    from: { ip: `::ffff:${PEER_IP}`, port: 5_000 },
  });
});

test("register refuses equal m-port and p-port [PORT_IN_USE]", () => {
  const body = { type: "register", name: "bob", ip: PEER_IP, mport: 6_000, pport: 6_000 } as const;
  assert.match(refuse(initialManagerState(), body, "PORT_IN_USE"), /must differ/);
});

test("register refuses an address pair another peer uses [PORT_IN_USE]", () => {
  // alice holds 10.0.0.1:5000 (m-port) and 10.0.0.1:5001 (p-port).
  const state = registered(["alice"]);
  const clashes = [
    { mport: 5_001, pport: 6_000 },
    { mport: 6_000, pport: 5_000 },
    { mport: 6_000, pport: 5_001 },
  ];
  for (const ports of clashes) {
    const body = { type: "register", name: "bob", ip: PEER_IP, ...ports } as const;
    assert.match(refuse(state, body, "PORT_IN_USE"), /already used by peer "alice"/);
  }
});

test("register accepts the same ports on another address", () => {
  const state = registered(["alice"]);
  const other = "10.0.0.2";
  succeed(state, { type: "register", name: "bob", ip: other, mport: 5_000, pport: 5_001 });
});
