/**
 * What the acceptance demo (PROTOCOL.md section 9) must show, checked against an
 * independent reading of the real 1996 file: the same whatever the network does.
 */
import assert from "node:assert/strict";
import { DEMO_PEERS, type DemoRecord } from "../../demo/acceptance.ts";
import { countsFor, eventIdsOf, ownerIn } from "./independent.ts";
import { TEST_DATA_DIR } from "./paths.ts";

const eventIds1996 = eventIdsOf(`${TEST_DATA_DIR}details-1996.csv`);

function field(lines: string[], label: string): string | undefined {
  const prefix = `${label}: `;
  return lines.find((line) => line.startsWith(prefix))?.slice(prefix.length);
}

/** The walk ends at the owner of the event and visits no node twice. */
function assertWalk(lines: string[], eventId: number, ringSize: number): void {
  const idSeqLine = lines.at(-1) ?? "";
  assert.match(idSeqLine, /^id-seq: /, `query ${eventId} answered:\n${lines.join("\n")}`);
  const idSeq = idSeqLine.slice("id-seq: ".length).split(" ").map(Number);
  assert.equal(new Set(idSeq).size, idSeq.length, `id-seq ${idSeq} repeats a node`);
  assert.ok(idSeq.length >= 1 && idSeq.length <= ringSize);
  assert.equal(
    idSeq.at(-1),
    ownerIn(eventIds1996, eventId, ringSize),
    "the walk ends at the owner",
  );
}

function assertShelbyTornado(lines: string[]): void {
  assert.equal(field(lines, "event id"), "5536849");
  assert.equal(field(lines, "state"), "ALABAMA");
  assert.equal(field(lines, "year"), "1996");
  assert.equal(field(lines, "event type"), "Tornado");
  assert.equal(field(lines, "cz name"), "SHELBY");
}

function assertGreenleeTornado(lines: string[]): void {
  assert.equal(field(lines, "event id"), "5539287");
  assert.equal(field(lines, "state"), "ARIZONA");
  assert.equal(field(lines, "cz name"), "NORTHERN GREENLEE");
  assert.equal(field(lines, "injuries direct"), "17");
}

export function checkAcceptanceDemo(demo: DemoRecord): void {
  assert.deepEqual(demo.setup.counts, countsFor(eventIds1996, 5), demo.setup.lines.join("\n"));
  assert.equal(demo.setup.names[0], "alpha");
  assert.match(demo.setup.lines.at(-1) ?? "", /^dht-complete alpha: SUCCESS/);
  assert.ok(demo.setup.lines.includes("total: 48534 records on 5 nodes"));

  const [shelby, absent, greenlee, unknown] = demo.queries;
  for (const { eventId, lines } of demo.queries) assertWalk(lines, eventId, 5);
  assertShelbyTornado(shelby?.lines ?? []);
  assert.ok(absent?.lines.includes("Storm event 2402920 not found in the DHT."));
  assertGreenleeTornado(greenlee?.lines ?? []);
  assert.ok(unknown?.lines.includes("Storm event 55770111 not found in the DHT."));

  const newLeader = demo.setup.names[3];
  assert.ok(
    demo.leave.lines.includes(`dht-rebuilt ${demo.leaver} ${newLeader}`),
    demo.leave.lines.join("\n"),
  );
  assert.match(demo.leave.lines.at(-1) ?? "", /SUCCESS/);
  assert.deepEqual(demo.leave.ring.counts, countsFor(eventIds1996, 4));
  assert.equal(demo.leave.ring.names[0], newLeader);
  assert.ok(!demo.leave.ring.names.includes(demo.leaver));
  assertShelbyTornado(demo.leave.query);
  assertWalk(demo.leave.query, 5536849, 4);

  assert.ok(
    demo.join.lines.includes(`dht-rebuilt ${demo.outsider} ${newLeader}`),
    demo.join.lines.join("\n"),
  );
  assert.deepEqual(demo.join.ring.counts, countsFor(eventIds1996, 5));
  assert.equal(demo.join.ring.names.at(-1), demo.outsider, "the joiner is node n");
  assertGreenleeTornado(demo.join.query);
  assertWalk(demo.join.query, 5539287, 5);

  assert.match(demo.teardown.at(-1) ?? "", /^teardown-complete \w+: SUCCESS/);
  assert.deepEqual(
    demo.exitCodes,
    DEMO_PEERS.map(() => 0),
    "every peer exits after deregister",
  );
}
