/**
 * Datagrams that pass the schema but contradict themselves or what their receiver knows,
 * for every message type, and datagrams built to break the parser, sent from an
 * outsider's socket to the live members of a DHT of 1996 and to the manager. Every
 * daemon lives, no member's table changes, and the demo's queries still answer.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { PeerTuple } from "../../src/protocol/messages.ts";
import { type LiveDht, startLiveDht } from "./live-dht.ts";

const STEP = { timeout: 90_000 };
let dht: LiveDht;
let MEMBERS: string[] = [];

before(async () => {
  dht = await startLiveDht();
  MEMBERS = dht.members;
});

after(() => dht?.stop());

const peer = (name: string) => dht.peer(name);
const sendRaw = (to: { port: number }, bytes: Buffer) => dht.sendRaw(to, bytes);

function tuple(name: string): PeerTuple {
  const { ip, port } = dht.tuple(name);
  return { name, ip, port };
}

function assertAllAlive(): void {
  for (const daemon of dht.daemons()) assert.equal(daemon.child.exitCode, null, daemon.label);
}

let sess = 1 + Math.floor(Math.random() * 1_000_000);

/** Sends link messages 0, 1, 2, ... of a fresh link session, as a peer's link would. */
async function sendLinked(to: { port: number }, bodies: object[], from = "mallory"): Promise<void> {
  sess += 1;
  for (const [seq, body] of bodies.entries()) {
    const message = { v: 1, from, sess, id: seq + 1, clock: 1, seq, ...body };
    await sendRaw(to, Buffer.from(JSON.stringify(message)));
  }
}

/** Schema-valid bodies that no member should act on, each claiming a plausible sender. */
function hostileBodies(): { from: string; body: object }[] {
  // By node id: alpha leads, then second and third.
  const [alpha, second, third] = MEMBERS.map(tuple) as [PeerTuple, PeerTuple, PeerTuple];
  const all = [alpha, second, third];
  const s = 97_073; // firstPrimeAbove(2 * 48,534)
  const record = `5536849\t${Array.from({ length: 13 }, () => "FORGED").join("\t")}`;
  return [
    {
      from: "alpha",
      body: { type: "set-id", nodeId: 2, ringSize: 5, year: "1996", tuples: [alpha, second] },
    },
    { from: "alpha", body: { type: "set-id", nodeId: 1, ringSize: 0, year: "1996", tuples: [] } },
    { from: "alpha", body: { type: "set-id", nodeId: 1, ringSize: 3, year: "1996", tuples: all } },
    {
      from: "alpha",
      body: {
        type: "reset-id",
        nodeId: 0,
        ringSize: 0,
        year: "1996",
        tuples: [],
        initiator: alpha,
      },
    },
    {
      from: "alpha",
      body: {
        type: "reset-id",
        nodeId: 1,
        ringSize: 3,
        year: "1996",
        tuples: all,
        initiator: alpha,
      },
    },
    { from: "alpha", body: { type: "store", tableSize: s, records: [record] } },
    { from: "alpha", body: { type: "store", tableSize: 2, records: [record] } },
    { from: "alpha", body: { type: "count", tableSize: 3, counts: [1] } },
    { from: third.name, body: { type: "teardown", purpose: "teardown-dht", initiator: "alpha" } },
    { from: second.name, body: { type: "teardown", purpose: "leave", initiator: "mallory" } },
    { from: third.name, body: { type: "rebuild-dht", year: "1996", initiator: third } },
    { from: "alpha", body: { type: "rebuild-done", leader: "alpha", counts: [1, 2, 3] } },
    {
      from: "mallory",
      body: { type: "node-joining", joiner: { name: "mallory", ip: "127.0.0.1", port: 9 } },
    },
    {
      from: "mallory",
      body: {
        type: "find-event",
        queryId: 1,
        nonce: "0123456789abcdef",
        eventId: 5536849,
        origin: alpha,
        idSeq: [9, 9],
      },
    },
    {
      from: "alpha",
      body: {
        type: "find-result",
        queryId: 1,
        nonce: "0123456789abcdef",
        eventId: 5536849,
        record: record.split("\t"),
        idSeq: [0],
      },
    },
  ];
}

test("schema-valid but inconsistent datagrams of every type are dropped", STEP, async () => {
  const before = await dht.memberViews();
  for (const name of MEMBERS) {
    for (const { from, body } of hostileBodies()) await sendLinked(tuple(name), [body], from);
    // Sent again on one link, so each arrives in a session that has seen the others.
    await sendLinked(
      tuple(name),
      hostileBodies().map(({ body }) => body),
      "alpha",
    );
  }
  for (const name of MEMBERS) {
    await peer(name).waitFor(/dropped a datagram from alpha: set-id ignored: ring size 5 but 2/);
  }
  assert.deepEqual(await dht.memberViews(), before, "no member's ring or table changed");
  assertAllAlive();
});

test("deeply nested, oversized and mistyped datagrams are refused by the codec", STEP, async () => {
  // A fresh window of the rate-limited log of dropped datagrams.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const nested = `{"v":1,"type":${"[".repeat(6_000)}${"]".repeat(6_000)}}`;
  const nestedValue = `{"v":${"[".repeat(6_000)}${"]".repeat(6_000)},"type":"register"}`;
  const targets = [
    { port: dht.managerPort },
    ...MEMBERS.flatMap((name) => [{ port: dht.tuple(name).mport }, { port: dht.tuple(name).port }]),
  ];
  const garbage = [nested, nestedValue, "x".repeat(20_000), '{"v":1,"type":"store","tableSize":0}'];
  for (const target of targets) {
    for (const text of garbage) await sendRaw(target, Buffer.from(text));
  }
  await dht.manager.waitFor(/dropped a datagram from .*nested 6001 deep/);
  for (const name of MEMBERS)
    await peer(name).waitFor(/dropped a datagram from .*nested 6001 deep/);
  assertAllAlive();
});

test("text from the wire is escaped before it is printed", STEP, async () => {
  await new Promise((resolve) => setTimeout(resolve, 1_100)); // a fresh window of the log
  const forgedName = `alpha\n[${MEMBERS[1]}] dht-repaired alpha \u001b[2J`;
  await sendLinked(tuple(MEMBERS[1] ?? ""), [{ type: "probe" }], forgedName);
  const member = peer(MEMBERS[1] ?? "");
  await member.waitFor(
    /dropped a datagram from alpha\\u000a\[\w+\] dht-repaired alpha \\u001b\[2J/,
  );
  const forged = member.lines.filter(
    (line) => line.includes("dht-repaired") && !line.includes("dropped"),
  );
  assert.deepEqual(forged, [], "no line of the console starts where the name's newline was");
  assert.ok(
    !member.lines.some((line) => line.includes("\u001b")),
    "no escape code reaches the terminal",
  );
});

test("after the barrage the demo's queries answer as before and the counts hold", STEP, () =>
  dht.checkQueriesAndCounts(),
);
