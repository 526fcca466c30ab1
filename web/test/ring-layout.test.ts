import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  circlePoint,
  clearestCurve,
  curveBetween,
  freeSlot,
  hopCurve,
  labelPoint,
  neighbourArrows,
  placeNodes,
  pointOnCurve,
  RING_GEOMETRY,
} from "../src/model/ring-layout.ts";
import type { DaemonAtCursor, PeerStatus, View } from "../src/model/view.ts";
import { peerAt } from "./support/fixtures.ts";

const RING = ["alpha", "epsilon", "gamma", "delta", "beta"];

function peer(
  id: string,
  name: string | null,
  status: PeerStatus,
  recordsHeld = 0,
): DaemonAtCursor {
  return peerAt(id, name, status, { recordsHeld });
}

function viewOf(daemons: DaemonAtCursor[], members: string[] | null): View {
  return {
    cursor: 1,
    daemons,
    manager: null,
    dht:
      members === null
        ? null
        : {
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

const DAEMONS = [
  peer("peer-1", "alpha", "Leader", 9711),
  peer("peer-2", "beta", "InDHT", 9714),
  peer("peer-3", "gamma", "InDHT", 9714),
  peer("peer-4", "delta", "InDHT", 9704),
  peer("peer-5", "epsilon", "InDHT", 9691),
  peer("peer-7", null, "unregistered"),
  peer("peer-8", "eta", "dead"),
  peer("peer-6", "zeta", "Free"),
];

describe("circlePoint", () => {
  it("puts node 0 at the top and goes clockwise", () => {
    const { centerX, centerY, radius } = RING_GEOMETRY;
    const top = circlePoint(0, 4);
    assert.ok(Math.abs(top.x - centerX) < 1e-9);
    assert.ok(Math.abs(top.y - (centerY - radius)) < 1e-9);
    const right = circlePoint(1, 4);
    assert.ok(Math.abs(right.x - (centerX + radius)) < 1e-9);
    assert.ok(Math.abs(right.y - centerY) < 1e-9);
  });
});

describe("freeSlot", () => {
  it("stacks peers down the first column, then spills into a second", () => {
    const [first, second] = RING_GEOMETRY.freeColumnX;
    assert.equal(freeSlot(0, 3).x, first);
    assert.equal(freeSlot(2, 3).x, first);
    assert.ok(freeSlot(1, 3).y > freeSlot(0, 3).y);
    assert.equal(freeSlot(6, 8).x, first);
    assert.equal(freeSlot(7, 8).x, second);
    assert.equal(freeSlot(7, 8).y, RING_GEOMETRY.freeTop);
  });

  it("keeps a long column inside the diagram", () => {
    for (let index = 0; index < 20; index++) {
      const slot = freeSlot(index, 20);
      assert.ok(slot.y <= RING_GEOMETRY.freeBottom + 1e-9, `slot ${index} at ${slot.y}`);
    }
  });
});

describe("placeNodes", () => {
  it("places members on the circle in id order and others beside it", () => {
    const nodes = placeNodes(viewOf(DAEMONS, RING));
    const inRing = nodes.filter((node) => node.id !== null);
    assert.deepEqual(
      inRing.map((node) => node.name),
      RING,
    );
    assert.deepEqual(
      inRing.map((node) => node.label),
      [
        "node 0 alpha (Leader)",
        "node 1 epsilon (InDHT)",
        "node 2 gamma (InDHT)",
        "node 3 delta (InDHT)",
        "node 4 beta (InDHT)",
      ],
    );
    assert.equal(inRing[0]?.leader, true);
    assert.equal(inRing[1]?.records, 9691);
    assert.deepEqual(circlePoint(2, 5), { x: inRing[2]?.x, y: inRing[2]?.y });
  });

  it("orders the free column Free, then unregistered, then dead", () => {
    const outside = placeNodes(viewOf(DAEMONS, RING)).filter((node) => node.id === null);
    assert.deepEqual(
      outside.map((node) => node.label),
      ["peer zeta (Free)", "peer peer-7 (unregistered)", "peer eta (dead)"],
    );
    assert.ok(outside.every((node) => node.x >= RING_GEOMETRY.freeColumnX[0]));
  });

  it("keys a peer by daemon id so it keeps its key moving in and out of the ring", () => {
    const before = placeNodes(viewOf(DAEMONS, null)).find((node) => node.name === "gamma");
    const after = placeNodes(viewOf(DAEMONS, RING)).find((node) => node.name === "gamma");
    assert.equal(before?.key, "peer-3");
    assert.equal(after?.key, "peer-3");
    assert.equal(before?.id, null);
    assert.equal(after?.id, 2);
  });

  it("puts every peer in the column when there is no DHT", () => {
    const nodes = placeNodes(viewOf(DAEMONS, null));
    assert.equal(nodes.length, DAEMONS.length);
    assert.ok(nodes.every((node) => node.id === null));
  });
});

describe("neighbourArrows", () => {
  it("points each member at id + 1 mod n", () => {
    const arrows = neighbourArrows(RING);
    assert.deepEqual(
      arrows.map((arrow) => arrow.key),
      ["alpha->epsilon", "epsilon->gamma", "gamma->delta", "delta->beta", "beta->alpha"],
    );
    assert.ok(arrows.every((arrow) => arrow.d.startsWith("M ") && arrow.d.includes(" A ")));
  });

  it("draws none for a ring of one", () => {
    assert.deepEqual(neighbourArrows(["alpha"]), []);
  });
});

describe("curveBetween", () => {
  it("bows left of the direction of travel and stops at the rims", () => {
    const curve = curveBetween({ x: 0, y: 0 }, { x: 200, y: 0 });
    assert.ok(curve !== null);
    // Travelling +x in SVG coordinates (y down), left is -y.
    assert.ok(pointOnCurve(curve, 0.5).y < 0);
    const back = curveBetween({ x: 200, y: 0 }, { x: 0, y: 0 });
    assert.ok(back !== null && pointOnCurve(back, 0.5).y > 0);
    assert.ok(curve.start.x > RING_GEOMETRY.nodeRadius);
    assert.ok(curve.end.x < 200 - RING_GEOMETRY.nodeRadius);
    const origin = pointOnCurve(curve, 0);
    assert.ok(Math.abs(origin.x - curve.start.x) < 0.1 && Math.abs(origin.y - curve.start.y) < 0.1);
  });

  it("gives no curve between coincident points", () => {
    assert.equal(curveBetween({ x: 5, y: 5 }, { x: 5, y: 5 }), null);
  });
});

describe("clearestCurve", () => {
  it("bows hop 0 around a node that lies near the straight line", () => {
    const from = { x: 34, y: 34 };
    const to = { x: 313, y: 148 };
    const inTheWay = { x: 185, y: 55 };
    const curve = clearestCurve(from, to, [inTheWay]);
    assert.ok(curve);
    for (const t of [0.25, 0.5, 0.75]) {
      const point = pointOnCurve(curve, t);
      const gap = Math.hypot(point.x - inTheWay.x, point.y - inTheWay.y);
      assert.ok(gap > RING_GEOMETRY.nodeRadius + 10, `at ${t}: ${gap}`);
    }
  });

  it("is null between two points at one place", () => {
    assert.equal(clearestCurve({ x: 1, y: 1 }, { x: 1, y: 1 }, []), null);
  });
});

describe("hopCurve", () => {
  const { centerX, centerY } = RING_GEOMETRY;
  const fromCentre = (point: { x: number; y: number }) =>
    Math.hypot(point.x - centerX, point.y - centerY);

  it("bows a hop to the right neighbour into the ring, off the neighbour arc", () => {
    const [node0, node1] = [circlePoint(0, 5), circlePoint(1, 5)];
    const forward = hopCurve(node0, node1);
    const back = hopCurve(node1, node0);
    assert.ok(forward !== null && back !== null);
    const middle = { x: (node0.x + node1.x) / 2, y: (node0.y + node1.y) / 2 };
    assert.ok(fromCentre(forward.control) < fromCentre(middle), "inside the chord");
    assert.ok(fromCentre(back.control) < fromCentre(middle), "the hop back too");
    assert.ok(fromCentre(forward.control) < fromCentre(back.control) - 5, "and apart from it");
  });

  it("leaves a hop from outside the ring as it was", () => {
    const outside = { x: 420, y: 60 };
    assert.deepEqual(
      hopCurve(outside, circlePoint(2, 5)),
      curveBetween(outside, circlePoint(2, 5)),
    );
  });
});

describe("labelPoint", () => {
  it("moves a label along its curve off a node it would sit on", () => {
    const curve = curveBetween({ x: 0, y: 100 }, { x: 400, y: 100 }, 0.0001);
    assert.ok(curve !== null);
    const onTop = pointOnCurve(curve, 0.65);
    const point = labelPoint(curve, [onTop]);
    assert.ok(point !== null);
    assert.ok(Math.hypot(point.x - onTop.x, point.y - onTop.y) >= RING_GEOMETRY.nodeRadius + 18);
    assert.deepEqual(labelPoint(curve, []), onTop);
    // Crowded all along: left out, when room is required.
    const crowd = [0.45, 0.55, 0.65, 0.75, 0.85].map((t) => pointOnCurve(curve, t));
    assert.equal(labelPoint(curve, crowd, undefined, 30), null);
    assert.ok(labelPoint(curve, crowd) !== null, "without a requirement, the roomiest");
  });
});
