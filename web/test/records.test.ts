import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Dht } from "../src/api/types.ts";
import { recordsAxisTop, recordsPicture } from "../src/model/records.ts";
import type { DaemonAtCursor, StoreProgressAtCursor, View } from "../src/model/view.ts";
import { peerAt } from "./support/fixtures.ts";

function peer(name: string, recordsHeld: number): DaemonAtCursor {
  return peerAt(`peer-${name}`, name, "InDHT", { recordsHeld });
}

function viewOf(
  phase: Dht["phase"] | null,
  progress: StoreProgressAtCursor | null,
  held: [string, number][] = [
    ["alpha", 10],
    ["beta", 12],
    ["gamma", 8],
  ],
): View {
  const dht: Dht | null =
    phase === null
      ? null
      : {
          leader: "alpha",
          members: held.map(([name]) => name),
          year: "1996",
          ringSize: held.length,
          phase,
        };
  return {
    cursor: 1,
    daemons: held.map(([name, records]) => peer(name, records)),
    manager: null,
    dht,
    progress,
    yearRecords: progress?.total ?? null,
  };
}

describe("recordsPicture", () => {
  it("labels members 'id name' with the records each holds", () => {
    const picture = recordsPicture(viewOf("ready", null));
    assert.deepEqual(
      picture.members.map((member) => [member.label, member.records]),
      [
        ["0 alpha", 10],
        ["1 beta", 12],
        ["2 gamma", 8],
      ],
    );
  });

  it("expects l/n, l being the year's records, else the sum held", () => {
    const done = { daemonId: "peer-alpha", stored: 33, total: 33 };
    assert.equal(recordsPicture(viewOf("ready", done)).expectedShare, 11);
    assert.equal(recordsPicture(viewOf("ready", null)).expectedShare, 10);
    assert.equal(recordsPicture(viewOf(null, null, [])).expectedShare, null);
  });

  it("measures how far the emptiest and fullest members are from l/n", () => {
    const spread = recordsPicture(viewOf("ready", null)).spread;
    assert.ok(spread);
    assert.ok(Math.abs(spread.lowest - -0.2) < 1e-9);
    assert.ok(Math.abs(spread.highest - 0.2) < 1e-9);
    assert.equal(recordsPicture(viewOf(null, null, [])).spread, null);
  });

  it("reports a build storing records until it has stored them all", () => {
    const half = { daemonId: "peer-alpha", stored: 15, total: 33 };
    const done = { daemonId: "peer-alpha", stored: 33, total: 33 };
    assert.deepEqual(recordsPicture(viewOf("building", half)).storing, { stored: 15, total: 33 });
    assert.deepEqual(recordsPicture(viewOf("building", null)).storing, {
      stored: null,
      total: null,
    });
    assert.deepEqual(recordsPicture(viewOf("rebuilding", done)).storing, {
      stored: 33,
      total: 33,
    });
    assert.equal(recordsPicture(viewOf("ready", done)).storing, null);
    assert.equal(recordsPicture(viewOf(null, null)).storing, null);
  });

  it("gives no spread while records are still being stored", () => {
    const storing = recordsPicture(
      viewOf("building", { daemonId: "peer-alpha", stored: 10, total: 30 }),
    );
    assert.equal(storing.spread, null);
    const built = recordsPicture(
      viewOf("ready", { daemonId: "peer-alpha", stored: 30, total: 30 }),
    );
    assert.deepEqual(built.spread, { lowest: 8 / 10 - 1, highest: 12 / 10 - 1 });
  });

  it("splits a replicated ring's records into primaries and copies, l/n of the primaries", () => {
    const replicated = viewOf("ready", null, [
      ["alpha", 20],
      ["beta", 24],
      ["gamma", 16],
    ]);
    const copies = new Map([
      ["alpha", 8],
      ["beta", 10],
      ["gamma", 12],
    ]);
    const daemons = replicated.daemons.map((daemon) =>
      daemon.snapshot === null
        ? daemon
        : {
            ...daemon,
            snapshot: { ...daemon.snapshot, copiesHeld: copies.get(daemon.name ?? "") ?? 0 },
          },
    );
    const picture = recordsPicture({ ...replicated, daemons });
    assert.equal(picture.replicated, true);
    assert.deepEqual(
      picture.members.map(({ records, primary, copies }) => [records, primary, copies]),
      [
        [20, 12, 8],
        [24, 14, 10],
        [16, 4, 12],
      ],
    );
    // Without a build's total, l is what the primaries add up to: 30, so l/n = 10.
    assert.equal(picture.yearRecords, 30);
    assert.equal(picture.expectedShare, 10);
    assert.deepEqual(picture.spread, { lowest: 4 / 10 - 1, highest: 14 / 10 - 1 });
    assert.equal(recordsPicture(viewOf("ready", null)).replicated, false);
  });

  it("tops the axis 15% above the tallest bar, rounded to its second digit", () => {
    assert.equal(recordsAxisTop(9_707), 12_000);
    assert.equal(recordsAxisTop(48_534), 56_000);
    assert.equal(recordsAxisTop(12), 14);
    assert.equal(recordsAxisTop(0), 0);
  });
});
