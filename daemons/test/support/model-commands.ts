/**
 * The steps of a model-based run (fast-check's `fc.commands`): each applies a user's
 * command, a `kill -9` or a manager restart to the real system, checks the outcome users
 * saw against the model, moves the model on, and then compares every daemon's state with
 * the model (the checker). Steps pick their peer by an index into the names the model
 * allows, so every generated sequence stays meaningful however the run has gone.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { freePort, register } from "../../demo/processes.ts";
import { MIN_RING_SIZE } from "../../src/protocol/messages.ts";
import { countsFor, eventIdsOf, ownerIn } from "./independent.ts";
import type { LiveSystem } from "./live-system.ts";
import { TEST_DATA_DIR } from "./paths.ts";
import { askWhenReady } from "./queries.ts";
import {
  afterJoin,
  afterLeave,
  afterMemberDied,
  freePeers,
  type RingModel,
  setupRefusal,
  standingOf,
} from "./ring-model.ts";

/** A small year, so that a step costs its protocol and not the data. */
export const MODEL_YEAR = "1950";
const eventIds = eventIdsOf(`${TEST_DATA_DIR}details-${MODEL_YEAR}.csv`);
const knownIds = new Set(eventIds);
export const MODEL_NAMES = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
/** Longest any one command may take before the run calls it unanswered. */
const ANSWER_MS = 40_000;
/** How long after the manager is settled every peer must agree with it. */
const PEERS_AGREE_MS = 3_000;

type Step = fc.AsyncCommand<RingModel, LiveSystem>;

function pickFrom<T>(choices: readonly T[], pick: number): T {
  return choices[pick % choices.length] as T;
}

function nodesIn(lines: readonly string[]): string[] {
  return lines.flatMap((line) => /^node \d+ \((\w+)\): \d+ records$/.exec(line)?.[1] ?? []);
}

function countsIn(lines: readonly string[]): number[] {
  return lines
    .flatMap((line) => /^node \d+ \(\w+\): (\d+) records$/.exec(line)?.slice(1) ?? [])
    .map(Number);
}

function alive(model: RingModel): string[] {
  return [...model.registered].flatMap(([name, life]) => (life === "Alive" ? [name] : []));
}

/**
 * The checker: the manager's registry and DHT, and every peer's table, against the model.
 * Peers get a moment to agree: a member's last acknowledgement of a round may still be on
 * its way when the manager and the console have said the round is over.
 */
export async function checkAgainst(model: RingModel, system: LiveSystem): Promise<void> {
  await system.settled();
  const manager = await system.managerSnapshot();
  const standings = Object.fromEntries(manager.peers.map((peer) => [peer.name, peer.state]));
  const expected = Object.fromEntries(
    [...model.registered.keys()].map((name) => [name, standingOf(model, name)]),
  );
  assert.deepEqual(standings, expected, "the manager's registry");
  assert.deepEqual(manager.dht?.members ?? null, model.ring, "the manager's DHT");
  const counts = model.ring === null ? [] : countsFor(eventIds, model.ring.length);
  const tables = async () => {
    for (const [name, peer] of await system.peerSnapshots()) {
      const id = model.ring?.indexOf(name) ?? -1;
      const view = { id: peer.id, ringSize: peer.ringSize, recordsHeld: peer.recordsHeld };
      const want =
        id < 0
          ? { id: null, ringSize: null, recordsHeld: 0 }
          : { id, ringSize: model.ring?.length ?? 0, recordsHeld: counts[id] };
      assert.deepEqual(view, want, `${name}'s table`);
    }
  };
  const deadline = Date.now() + PEERS_AGREE_MS;
  for (;;) {
    try {
      return await tables();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

class Register implements Step {
  constructor(private readonly pick: number) {}
  private name = "";
  check(model: RingModel): boolean {
    return MODEL_NAMES.some((name) => model.registered.get(name) !== "Alive");
  }
  async run(model: RingModel, system: LiveSystem): Promise<void> {
    const choices = MODEL_NAMES.filter((name) => model.registered.get(name) !== "Alive");
    this.name = pickFrom(choices, this.pick);
    await register(await system.peer(this.name), this.name);
    model.registered.set(this.name, "Alive");
    await checkAgainst(model, system);
  }
  toString(): string {
    return `register(${this.name || `#${this.pick}`})`;
  }
}

class RegisterTaken implements Step {
  constructor(private readonly pick: number) {}
  check(model: RingModel): boolean {
    return alive(model).length > 0;
  }
  async run(model: RingModel, system: LiveSystem): Promise<void> {
    const name = pickFrom(alive(model), this.pick);
    const impostor = await system.stranger("impostor");
    const ports = `${await freePort()} ${await freePort()}`;
    const lines = await impostor.run(
      `register ${name} 127.0.0.1 ${ports}`,
      /^register .*: (SUCCESS|FAILURE)/,
    );
    assert.match(lines.at(-1) ?? "", /: FAILURE DUPLICATE_NAME: /);
    await impostor.stop();
    await checkAgainst(model, system);
  }
  toString(): string {
    return `register-taken(#${this.pick})`;
  }
}

/**
 * setup-dht by a registered peer. A fitting one is taken only when a DHT can be built and
 * asks for a size that fits the Free peers; the others ask for any size of any peer, to
 * see each refusal.
 */
class Setup implements Step {
  private leader = "";
  constructor(
    private readonly pick: number,
    private ringSize: number,
    private readonly fitting: boolean,
  ) {}
  check(model: RingModel): boolean {
    if (!this.fitting) return alive(model).length > 0;
    return model.ring === null && freePeers(model).length >= MIN_RING_SIZE;
  }
  async run(model: RingModel, system: LiveSystem): Promise<void> {
    const free = freePeers(model);
    if (this.fitting) this.ringSize = MIN_RING_SIZE + (this.ringSize % (free.length - 1));
    const leader = pickFrom(this.fitting ? free : alive(model), this.pick);
    this.leader = leader;
    const refusal = setupRefusal(model, leader, this.ringSize);
    const lines = await (await system.peer(leader)).run(
      `setup-dht ${leader} ${this.ringSize} ${MODEL_YEAR}`,
      /^dht-complete \w+: (SUCCESS|FAILURE)|^setup-dht [^:]*: FAILURE/,
      ANSWER_MS,
    );
    if (refusal !== null) {
      assert.match(lines.at(-1) ?? "", new RegExp(`: FAILURE ${refusal}: `), lines.join("\n"));
    } else {
      assert.equal(lines.at(-1), `dht-complete ${leader}: SUCCESS`, lines.join("\n"));
      const ring = nodesIn(lines);
      assert.equal(ring[0], leader);
      assert.equal(ring.length, this.ringSize);
      for (const member of ring) assert.equal(standingOf(model, member), "Free", member);
      assert.deepEqual(countsIn(lines), countsFor(eventIds, this.ringSize));
      model.ring = ring;
    }
    await checkAgainst(model, system);
  }
  toString(): string {
    return `setup-dht(${this.leader || `#${this.pick}`}, ${this.ringSize})`;
  }
}

class Query implements Step {
  constructor(
    private readonly pick: number,
    private readonly idPick: number,
    private readonly missing: boolean,
  ) {}
  check(model: RingModel): boolean {
    return freePeers(model).length > 0;
  }
  async run(model: RingModel, system: LiveSystem): Promise<void> {
    const asker = pickFrom(freePeers(model), this.pick);
    let eventId = pickFrom(eventIds, this.idPick);
    while (this.missing && knownIds.has(eventId)) eventId += 1;
    const daemon = await system.peer(asker);
    if (model.ring === null) {
      const refused = await daemon.run(
        `query-dht ${asker} ${eventId}`,
        /^query-dht [^:]*: FAILURE/,
      );
      assert.match(refused.at(-1) ?? "", /: FAILURE NO_DHT: /, refused.join("\n"));
      return;
    }
    const lines = await askWhenReady(daemon, asker, eventId);
    const told = lines.join("\n");
    const idSeq = (lines.at(-1) ?? "")
      .replace(/^id-seq: /, "")
      .split(" ")
      .map(Number);
    assert.equal(idSeq.at(-1), ownerIn(eventIds, eventId, model.ring.length), told);
    if (this.missing)
      assert.ok(lines.includes(`Storm event ${eventId} not found in the DHT.`), told);
    else assert.ok(lines.includes(`event id: ${eventId}`), told);
  }
  toString(): string {
    return `query-dht(#${this.pick}, ${this.missing ? "missing" : "found"} #${this.idPick})`;
  }
}

class Leave implements Step {
  constructor(private readonly pick: number) {}
  check(model: RingModel): boolean {
    return (model.ring?.length ?? 0) >= 2;
  }
  async run(model: RingModel, system: LiveSystem): Promise<void> {
    const ring = model.ring ?? [];
    const leaver = pickFrom(ring, this.pick);
    const newLeader = ring[(ring.indexOf(leaver) + 1) % ring.length];
    const lines = await (await system.peer(leaver)).run(
      `leave-dht ${leaver}`,
      /^dht-rebuilt \w+ \w+: (SUCCESS|FAILURE)|^leave-dht \w+: FAILURE/,
      ANSWER_MS,
    );
    assert.equal(lines.at(-1), `dht-rebuilt ${leaver} ${newLeader}: SUCCESS`, lines.join("\n"));
    afterLeave(model, leaver);
    await checkAgainst(model, system);
  }
  toString(): string {
    return `leave-dht(#${this.pick})`;
  }
}

class Join implements Step {
  constructor(private readonly pick: number) {}
  check(model: RingModel): boolean {
    return model.ring !== null && freePeers(model).length > 0;
  }
  async run(model: RingModel, system: LiveSystem): Promise<void> {
    const joiner = pickFrom(freePeers(model), this.pick);
    const lines = await (await system.peer(joiner)).run(
      `join-dht ${joiner}`,
      /^dht-rebuilt \w+ \w+: (SUCCESS|FAILURE)|^join-dht \w+: FAILURE/,
      ANSWER_MS,
    );
    const leader = model.ring?.[0];
    assert.equal(lines.at(-1), `dht-rebuilt ${joiner} ${leader}: SUCCESS`, lines.join("\n"));
    afterJoin(model, joiner);
    await checkAgainst(model, system);
  }
  toString(): string {
    return `join-dht(#${this.pick})`;
  }
}

class Teardown implements Step {
  check(model: RingModel): boolean {
    return model.ring !== null;
  }
  async run(model: RingModel, system: LiveSystem): Promise<void> {
    const leader = model.ring?.[0] ?? "";
    const lines = await (await system.peer(leader)).run(
      `teardown-dht ${leader}`,
      /^teardown-complete \w+: (SUCCESS|FAILURE)|^teardown-dht \w+: FAILURE/,
      ANSWER_MS,
    );
    assert.equal(lines.at(-1), `teardown-complete ${leader}: SUCCESS`, lines.join("\n"));
    model.ring = null;
    await checkAgainst(model, system);
  }
  toString(): string {
    return "teardown-dht";
  }
}

class Deregister implements Step {
  constructor(private readonly pick: number) {}
  check(model: RingModel): boolean {
    return freePeers(model).length > 0;
  }
  async run(model: RingModel, system: LiveSystem): Promise<void> {
    const name = pickFrom(freePeers(model), this.pick);
    const lines = await (await system.peer(name)).run(
      `deregister ${name}`,
      /^deregister \w+: (SUCCESS|FAILURE)/,
    );
    assert.equal(lines.at(-1), `deregister ${name}: SUCCESS`, lines.join("\n"));
    assert.equal(await system.exited(name), 0, `${name} exits after deregister`);
    model.registered.delete(name);
    await checkAgainst(model, system);
  }
  toString(): string {
    return `deregister(#${this.pick})`;
  }
}

class KillMember implements Step {
  constructor(private readonly pick: number) {}
  /** A lone member has no neighbour to notice it die; that ring is left out. */
  check(model: RingModel): boolean {
    return (model.ring?.length ?? 0) >= 2;
  }
  async run(model: RingModel, system: LiveSystem): Promise<void> {
    const ring = model.ring ?? [];
    const dead = pickFrom(ring, this.pick);
    const at = ring.indexOf(dead);
    const reporter = await system.peer(ring[(at + ring.length - 1) % ring.length] ?? "");
    const newLeader = ring[(at + 1) % ring.length] ?? "";
    const leader = await system.peer(newLeader);
    for (const daemon of [system.managerDaemon, reporter, leader]) daemon.mark();
    await system.kill(dead);
    await system.managerDaemon.waitFor(new RegExp(`peer ${dead} is dead: `), ANSWER_MS);
    if (ring.length - 1 < MIN_RING_SIZE) {
      const line = `DHT torn down: ${dead} died and too few members were left`;
      await reporter.waitFor(new RegExp(`^${line}$`), ANSWER_MS);
    } else {
      await leader.waitFor(new RegExp(`^dht-repaired ${dead} ${newLeader}$`), ANSWER_MS);
      const total = await leader.waitFor(/^total: \d+ records on \d+ nodes$/, ANSWER_MS);
      assert.equal(total, `total: ${eventIds.length} records on ${ring.length - 1} nodes`);
    }
    afterMemberDied(model, dead);
    await checkAgainst(model, system);
  }
  toString(): string {
    return `kill -9 member(#${this.pick})`;
  }
}

class RestartManager implements Step {
  check(): boolean {
    return true;
  }
  async run(model: RingModel, system: LiveSystem): Promise<void> {
    const recovered = await system.restartManager();
    const ring =
      model.ring === null
        ? "no DHT"
        : `a DHT of ${model.ring.length} led by ${model.ring[0]} (${MODEL_YEAR})`;
    assert.ok(recovered.endsWith(`: ${model.registered.size} registered, ${ring}`), recovered);
    await checkAgainst(model, system);
  }
  toString(): string {
    return "kill -9 and restart the manager";
  }
}

/** `arbitrary` `weight` times over, so fc.commands draws it that much more often. */
function weighted(weight: number, arbitrary: fc.Arbitrary<Step>): fc.Arbitrary<Step>[] {
  return Array.from({ length: weight }, () => arbitrary);
}

/**
 * Every kind of step, weighted towards what builds a DHT and acts on one: a step whose
 * precondition fails is skipped, and most need a DHT.
 */
export function modelSteps(maxCommands: number): fc.Arbitrary<Iterable<Step>> {
  const pick = fc.nat(1_000);
  return fc.commands(
    [
      ...weighted(
        4,
        pick.map((at) => new Register(at)),
      ),
      ...weighted(
        1,
        pick.map((at) => new RegisterTaken(at)),
      ),
      ...weighted(
        1,
        fc.tuple(pick, fc.integer({ min: 1, max: 7 })).map(([at, n]) => new Setup(at, n, false)),
      ),
      ...weighted(
        4,
        fc.tuple(pick, pick).map(([at, n]) => new Setup(at, n, true)),
      ),
      ...weighted(
        3,
        fc.tuple(pick, fc.nat(100_000), fc.boolean()).map(([at, id, no]) => new Query(at, id, no)),
      ),
      ...weighted(
        2,
        pick.map((at) => new Leave(at)),
      ),
      ...weighted(
        2,
        pick.map((at) => new Join(at)),
      ),
      ...weighted(1, fc.constant(new Teardown())),
      ...weighted(
        1,
        pick.map((at) => new Deregister(at)),
      ),
      ...weighted(
        2,
        pick.map((at) => new KillMember(at)),
      ),
      ...weighted(1, fc.constant(new RestartManager())),
    ],
    // "max": sequences of every length up to maxCommands, not mostly short ones.
    { maxCommands, size: "max" },
  );
}
