import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { labelBox, placeLabels } from "../src/model/arrow-labels.ts";
import { COLLAPSED_SHARE, laneOrder, laneXs } from "../src/model/lanes.ts";
import type { View } from "../src/model/view.ts";
import { peerAt } from "./support/fixtures.ts";

function viewOf(members: string[], daemons: View["daemons"]): View {
  return {
    cursor: 0,
    daemons,
    manager: null,
    dht: {
      leader: members[0] ?? "",
      members,
      year: "1996",
      ringSize: members.length,
      phase: "ready",
    },
    progress: null,
    yearRecords: null,
  };
}

describe("laneOrder", () => {
  it("follows the ring, then the running peers, then the departed", () => {
    const view = viewOf(
      ["gamma", "alpha", "beta"],
      [
        peerAt("peer-1", "alpha", "InDHT"),
        peerAt("peer-2", "beta", "InDHT"),
        peerAt("peer-3", "gamma", "Leader"),
        peerAt("peer-4", "delta", "gone"),
        peerAt("peer-5", "epsilon", "Free"),
        peerAt("peer-6", null, "unregistered"),
        peerAt("peer-7", "zeta", "dead"),
      ],
    );
    assert.deepEqual(laneOrder(view), {
      names: ["gamma", "alpha", "beta", "epsilon", "delta", "zeta"],
      departed: ["delta", "zeta"],
    });
  });
});

describe("laneXs", () => {
  it("spaces lanes evenly, gaps beside a collapsed lane narrower", () => {
    assert.deepEqual(laneXs([false, false, false], 300, 50), [50, 150, 250]);
    const xs = laneXs([false, false, true], 300, 50);
    const step = 200 / (1 + COLLAPSED_SHARE);
    assert.deepEqual(xs, [50, 50 + step, 250]);
    assert.deepEqual(laneXs([false], 300, 50), [150]);
  });
});

describe("placeLabels", () => {
  it("keeps each label clear of those placed before and of the obstacles", () => {
    const at = (key: string, x: number, y: number) => ({
      key,
      ...labelBox(x, y, "find-event", 6, 12),
    });
    const accepted = placeLabels(
      [at("a", 100, 20), at("b", 110, 25), at("c", 100, 40), at("d", 300, 20)],
      [{ x: 280, y: 10, width: 50, height: 20 }],
    );
    assert.deepEqual([...accepted], ["a", "c"]);
  });
});
