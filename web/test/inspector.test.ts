import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DaemonEvent, TimelineEntry } from "../src/api/types.ts";
import {
  CONSOLE_LINES,
  chainLine,
  inspectedNode,
  lookupLine,
  occupancyLine,
} from "../src/model/inspector.ts";
import { appendEntries, appendState, EMPTY_LOG } from "../src/model/log.ts";
import { viewAt } from "../src/model/view.ts";
import { daemonState, peerSnapshot } from "./support/fixtures.ts";

const entry = (
  seq: number,
  daemonId: string,
  clock: number,
  event: DaemonEvent,
): TimelineEntry => ({
  seq,
  daemonId,
  at: seq,
  clock,
  event,
});

const inRing = peerSnapshot("alpha", {
  id: 0,
  ringSize: 5,
  recordsHeld: 9_711,
  loss: 0.2,
  rightNeighbour: { name: "bravo", ip: "127.0.0.1", port: 5004 },
});

describe("inspectedNode", () => {
  const log = appendEntries(
    appendState(EMPTY_LOG, {
      daemons: [daemonState("manager", { kind: "manager" }), daemonState("peer-1", {})],
      dht: null,
    }),
    [
      entry(1, "peer-1", 3, { kind: "state", daemon: "peer", state: peerSnapshot("alpha") }),
      entry(2, "peer-1", 4, { kind: "console", line: "register alpha: SUCCESS" }),
      entry(3, "manager", 40, { kind: "console", line: "not alpha's" }),
      entry(4, "peer-1", 9, { kind: "state", daemon: "peer", state: inRing }),
      ...Array.from({ length: 20 }, (_, index) =>
        entry(5 + index, "peer-1", 10 + index, { kind: "console", line: `line ${index}` }),
      ),
    ],
  );

  it("is the peer as the log has it at the cursor: place, neighbour, clock, console", () => {
    const early = inspectedNode(viewAt(log, 3), log, "peer-1");
    assert.equal(early?.place, "not in a ring");
    assert.equal(early?.rightNeighbour, null);
    assert.equal(early?.clock, 4, "its own last event's clock, not the manager's");
    assert.deepEqual(early?.consoleLines, ["register alpha: SUCCESS"]);
    assert.equal(early?.loss, 0);
    assert.equal(early?.addresses, "127.0.0.1, m-port 50001, p-port 50002");

    const late = inspectedNode(viewAt(log, 24), log, "peer-1");
    assert.equal(late?.place, "node 0 of 5");
    assert.equal(late?.rightNeighbour, "bravo (127.0.0.1:5004)");
    assert.deepEqual(late?.rightNeighbourAddress, { ip: "127.0.0.1", port: 5004 });
    assert.equal(late?.recordsHeld, 9_711);
    assert.equal(late?.loss, 0.2);
    assert.equal(late?.clock, 29);
    assert.equal(late?.consoleLines.length, CONSOLE_LINES);
    assert.equal(late?.consoleLines.at(-1), "line 19");
  });

  it("is null for the manager or a daemon not drawn at the cursor", () => {
    assert.equal(inspectedNode(viewAt(log, 24), log, "manager"), null);
    assert.equal(inspectedNode(viewAt(log, 24), log, "peer-9"), null);
  });
});

describe("the daemon's answers in words", () => {
  const table = {
    tableSize: 97_073,
    records: 9_711,
    occupiedSlots: 9_487,
    chainLengths: [9_263, 224],
  };

  it("says how full the table is and its chains by length", () => {
    assert.equal(occupancyLine(table), "9,711 records in 9,487 of 97,073 slots");
    assert.equal(chainLine(table), "9,263 of 1 · 224 of 2");
    assert.equal(chainLine({ ...table, chainLengths: [0, 0, 3] }), "3 of 3");
    assert.equal(chainLine({ ...table, chainLengths: [] }), "no chains yet");
  });

  it("places a looked-up id by the hashing and says whether it is held", () => {
    const members = ["alpha", "bravo", "charlie", "delta", "echo"];
    assert.equal(
      lookupLine({ eventId: 5_536_849, held: false }, 97_073, members),
      `pos 5536849 mod 97073 = ${5_536_849 % 97_073}, owner ${5_536_849 % 97_073} mod 5 = ${(5_536_849 % 97_073) % 5} (${members[(5_536_849 % 97_073) % 5]}): not held here`,
    );
    assert.equal(lookupLine({ eventId: 7, held: true }, null, members), "event 7: held here");
    assert.equal(lookupLine({ eventId: 7, held: false }, 97_073, []), "event 7: not held here");
  });
});
