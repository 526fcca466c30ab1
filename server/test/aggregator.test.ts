/**
 * The aggregator on the control channels of real daemons the supervisor started: commands
 * through it, peer names merged with the manager's states, one numbered timeline, a DHT
 * built and queried (its answers in the timeline), a bounded timeline, and a dead peer
 * shown disconnected.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { freeUdpPort } from "../../daemons/src/transport/free-ports.ts";
import { Aggregator, type AggregatorUpdate, type TimelineEntry } from "../src/aggregator.ts";
import { Supervisor } from "../src/supervisor.ts";
import { eventually, REPO_ROOT, TEST_DATA_DIR } from "./support/processes.ts";

const STEP = { timeout: 90_000 };
const TOKEN = "aggregator-test";
/** The first record of details-1996.csv, and an id no year has. */
const KNOWN_EVENT = 5570068;
const UNKNOWN_EVENT = 1;

const supervisor = new Supervisor({
  repoRoot: REPO_ROOT,
  dataDir: TEST_DATA_DIR,
  controlToken: TOKEN,
});
const aggregator = new Aggregator({ token: TOKEN });
/** Watches only the manager, with room for ten entries. */
const small = new Aggregator({ token: TOKEN, timelineLimit: 10 });
const batches: TimelineEntry[][] = [];
aggregator.on("update", (update: AggregatorUpdate) => {
  if (update !== "state") batches.push(update);
});

before(async () => {
  const manager = await supervisor.startManager();
  await aggregator.attach("manager", "manager", manager.controlUrl ?? "");
  await small.attach("manager", "manager", manager.controlUrl ?? "");
  for (let index = 0; index < 4; index += 1) {
    const peer = await supervisor.startPeer();
    await aggregator.attach(peer.id, "peer", peer.controlUrl ?? "");
  }
});

after(async () => {
  await Promise.all([aggregator.close(), small.close()]);
  await supervisor.stopAll();
});

async function register(daemonId: string, name: string): Promise<void> {
  const line = `register ${name} 127.0.0.1 ${await freeUdpPort()} ${await freeUdpPort()}`;
  const result = await aggregator.command(daemonId, line);
  assert.equal(result.ok, true, result.lines.join("\n"));
  assert.ok(result.lines.includes(`${line}: SUCCESS`), result.lines.join("\n"));
}

function stateOf(daemonId: string): string | undefined {
  return aggregator.views().find((view) => view.id === daemonId)?.state;
}

test("attached: every daemon connected with its snapshot; peers unregistered", STEP, () => {
  assert.deepEqual(
    aggregator.views().map((view) => [view.id, view.kind, view.connected, view.name, view.state]),
    [
      ["manager", "manager", true, undefined, undefined],
      ["peer-1", "peer", true, undefined, "unregistered"],
      ["peer-2", "peer", true, undefined, "unregistered"],
      ["peer-3", "peer", true, undefined, "unregistered"],
      ["peer-4", "peer", true, undefined, "unregistered"],
    ],
  );
  const manager = aggregator.views()[0];
  assert.deepEqual(manager?.snapshot, { peers: [], dht: null, pending: null });
  assert.equal(aggregator.dht(), null);
});

test("a register through command() resolves ok; the manager shows it Free", STEP, async () => {
  await register("peer-1", "alpha");
  await eventually("alpha to be Free", () => stateOf("peer-1") === "Free");
  const view = aggregator.views().find((each) => each.id === "peer-1");
  assert.equal(view?.name, "alpha");
  assert.equal((view?.snapshot as { phase?: string } | undefined)?.phase, "free");
  const manager = aggregator.views()[0]?.snapshot as { peers: { name: string }[] } | undefined;
  const peers = manager?.peers ?? [];
  assert.deepEqual(
    peers.map((peer) => peer.name),
    ["alpha"],
  );
  // peer-2 is not registered yet: no name, and the manager does not list it.
  assert.equal(stateOf("peer-2"), "unregistered");
});

test("the timeline: global seq from 1, message events from both sides", STEP, () => {
  const { entries, next } = aggregator.timeline(0, 100_000);
  assert.ok(entries.length > 0);
  assert.deepEqual(
    entries.map((entry) => entry.seq),
    entries.map((_, index) => index + 1),
  );
  assert.equal(next, entries.at(-1)?.seq);
  const registers = entries.filter(
    (entry) => entry.event.kind === "message" && entry.event.messageType === "register",
  );
  assert.deepEqual(
    registers.map((entry) => [
      entry.daemonId,
      entry.event.kind === "message" && entry.event.direction,
    ]),
    [
      ["peer-1", "sent"],
      ["manager", "received"],
    ],
  );
  // Paging: two pages of 3 are the first 6 entries.
  const first = aggregator.timeline(0, 3);
  const second = aggregator.timeline(first.next, 3);
  assert.deepEqual(
    [...first.entries, ...second.entries].map((entry) => entry.seq),
    [1, 2, 3, 4, 5, 6],
  );
  assert.deepEqual(aggregator.timeline(entries.length, 10), { entries: [], next: entries.length });
  // The same entries were emitted as "update" batches.
  assert.deepEqual(
    batches.flat().map((entry) => entry.seq),
    entries.map((entry) => entry.seq),
  );
});

test(
  "a DHT built and queried: merged states, dht(), the answers in the timeline",
  STEP,
  async () => {
    await register("peer-2", "bravo");
    await register("peer-3", "charlie");
    await register("peer-4", "delta");
    const setup = await aggregator.command("peer-1", "setup-dht alpha 3 1996");
    assert.equal(setup.ok, true, setup.lines.join("\n"));
    assert.ok(setup.lines.includes("dht-complete alpha: SUCCESS"), setup.lines.join("\n"));
    await eventually("the manager's DHT to be ready", () => {
      const dht = aggregator.dht() as { phase?: string } | null;
      return dht?.phase === "ready";
    });
    // The manager picks the other members at random from the free peers.
    const dht = aggregator.dht();
    assert.ok(dht);
    assert.equal(dht.leader, "alpha");
    assert.equal(dht.members[0], "alpha");
    assert.equal(dht.ringSize, 3);
    const names = ["alpha", "bravo", "charlie", "delta"];
    const outside = names.find((name) => !dht.members.includes(name)) ?? "";
    const expected = (name: string) =>
      name === "alpha" ? "Leader" : dht.members.includes(name) ? "InDHT" : "Free";
    await eventually("the members' states", () =>
      aggregator
        .views()
        .every((view) => view.kind === "manager" || view.state === expected(view.name ?? "")),
    );
    assert.deepEqual(
      aggregator.views().map((view) => [view.id, view.name, view.state]),
      [
        ["manager", undefined, undefined],
        ...names.map((name, index) => [`peer-${index + 1}`, name, expected(name)]),
      ],
    );

    const asker = `peer-${names.indexOf(outside) + 1}`;
    const found = await aggregator.command(asker, `query-dht ${outside} ${KNOWN_EVENT}`);
    assert.equal(found.ok, true, found.lines.join("\n"));
    await aggregator.command(asker, `query-dht ${outside} ${UNKNOWN_EVENT}`);
    // The answers the asking peer received are in the timeline, with their id-seq.
    const answers = aggregator
      .timeline(0, 100_000)
      .entries.flatMap((entry) =>
        entry.event.kind === "query-result" && entry.event.direction === "received"
          ? [{ daemonId: entry.daemonId, ...entry.event }]
          : [],
      );
    assert.deepEqual(
      answers.map((answer) => [answer.daemonId, answer.eventId, answer.status]),
      [
        [asker, KNOWN_EVENT, "found"],
        [asker, UNKNOWN_EVENT, "not-found"],
      ],
    );
    const idSeq = found.lines.at(-1)?.replace("id-seq: ", "").split(" ").map(Number);
    assert.deepEqual(answers[0]?.idSeq, idSeq);
  },
);

test("the timeline is bounded: only the latest entries are kept", STEP, () => {
  const { entries } = small.timeline(0, 1_000);
  assert.equal(entries.length, 10);
  const last = entries.at(-1)?.seq ?? 0;
  assert.ok(last > 10, `${last} events seen`);
  assert.deepEqual(
    entries.map((entry) => entry.seq),
    Array.from({ length: 10 }, (_, index) => last - 9 + index),
  );
  assert.ok(entries.every((entry) => entry.daemonId === "manager"));
});

test("command() on an unknown id rejects naming it", STEP, async () => {
  await assert.rejects(aggregator.command("peer-99", "status"), {
    message: 'unknown daemon "peer-99"',
  });
});

test("the manager refuses console commands: ok false, not a rejection", STEP, async () => {
  const result = await aggregator.command("manager", "status");
  assert.deepEqual(result, { ok: false, lines: ["the manager takes no console commands"] });
});

test("a peer that dies is shown disconnected; commands to it reject", STEP, async () => {
  const pid = supervisor.get("peer-4")?.pid;
  assert.ok(pid);
  process.kill(pid, "SIGKILL");
  await eventually("peer-4 disconnected", () =>
    aggregator.views().some((view) => view.id === "peer-4" && !view.connected),
  );
  await assert.rejects(aggregator.command("peer-4", "status"), {
    message: 'daemon "peer-4" is not connected',
  });
  // Its last snapshot is still shown.
  assert.equal(aggregator.views().find((view) => view.id === "peer-4")?.name, "delta");
});

test("a wrong token is refused at attach", STEP, async () => {
  const stranger = new Aggregator({ token: "wrong" });
  const url = supervisor.get("manager")?.controlUrl ?? "";
  await assert.rejects(stranger.attach("manager", "manager", url), /cannot attach manager.*401/);
  assert.deepEqual(stranger.views(), []);
  await stranger.close();
});
