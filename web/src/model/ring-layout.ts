/**
 * Where the ring diagram draws things: DHT members on a circle in id order (node 0 at the
 * top, ids growing clockwise), every other peer in a column beside it, the arcs from each
 * member to its right neighbour and the curved arrows of query hops. Coordinates are in
 * the SVG's viewBox units.
 */
import { daemonNamed, membersOf, type PeerStatus, type View } from "./view.ts";

export const RING_GEOMETRY = {
  width: 640,
  height: 380,
  centerX: 185,
  centerY: 190,
  radius: 135,
  nodeRadius: 20,
  /**
   * The free column(s) beside the circle; labels sit right of these nodes, so the columns
   * are a disc and a label ("peer-12", "unregistered") apart.
   */
  freeColumnX: [372, 510],
  freeTop: 56,
  freeBottom: 356,
  freeSpacing: 50,
} as const;

/** The manager, drawn in the corner above the circle: hop 0 starts there. */
export const MANAGER_PLACE = { x: 36, y: 44 } as const;

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode extends Point {
  /** The daemon id when known: stable while the peer moves between column and circle. */
  key: string;
  /** The peer daemon drawn, or null for a member no daemon of the page has registered. */
  daemonId: string | null;
  name: string;
  /** Node id in the ring; null in the free column. */
  id: number | null;
  status: PeerStatus;
  leader: boolean;
  /** Records held, for ring members. */
  records: number | null;
  label: string;
}

/** Point `index` of `count` evenly spaced on the circle, index 0 at the top. */
export function circlePoint(index: number, count: number): Point {
  const { centerX, centerY, radius } = RING_GEOMETRY;
  const angle = angleOf(index, count);
  return { x: centerX + radius * Math.cos(angle), y: centerY + radius * Math.sin(angle) };
}

function angleOf(index: number, count: number): number {
  return -Math.PI / 2 + (2 * Math.PI * index) / Math.max(1, count);
}

/** Slot `index` of `count` in the free column, spilling into a second one when full. */
export function freeSlot(index: number, count: number): Point {
  const { freeColumnX, freeTop, freeBottom, freeSpacing } = RING_GEOMETRY;
  const fitting = Math.floor((freeBottom - freeTop) / freeSpacing) + 1;
  const perColumn = Math.max(fitting, Math.ceil(count / freeColumnX.length));
  const spacing = Math.min(freeSpacing, (freeBottom - freeTop) / (perColumn - 1));
  const column = Math.min(freeColumnX.length - 1, Math.floor(index / perColumn));
  return { x: freeColumnX[column] ?? freeColumnX[0], y: freeTop + (index % perColumn) * spacing };
}

const FREE_ORDER: Record<PeerStatus, number> = {
  Free: 0,
  Leader: 1,
  InDHT: 1,
  unregistered: 2,
  Dead: 3,
  dead: 3,
  gone: 4,
};

/** Every peer daemon and DHT member with its place: members on the circle, others beside. */
export function placeNodes(view: View): PlacedNode[] {
  const members = membersOf(view);
  const leader = view.dht?.leader ?? null;
  const ring = members.map(({ id, name, records }): PlacedNode => {
    const daemon = daemonNamed(view, name);
    const status = daemon?.status ?? (name === leader ? "Leader" : "InDHT");
    return {
      ...circlePoint(id, members.length),
      key: daemon?.id ?? `member:${name}`,
      daemonId: daemon?.id ?? null,
      name,
      id,
      status,
      leader: name === leader,
      records,
      label: `node ${id} ${name} (${status})`,
    };
  });
  const inRing = new Set(members.map((member) => member.name));
  const outside = view.daemons
    .filter(
      (daemon) => daemon.kind === "peer" && !(daemon.name !== null && inRing.has(daemon.name)),
    )
    .sort((left, right) => FREE_ORDER[left.status] - FREE_ORDER[right.status]);
  const free = outside.map((daemon, index): PlacedNode => {
    const name = daemon.name ?? daemon.id;
    return {
      ...freeSlot(index, outside.length),
      key: daemon.id,
      daemonId: daemon.id,
      name,
      id: null,
      status: daemon.status,
      leader: false,
      records: null,
      label: `peer ${name} (${daemon.status})`,
    };
  });
  return [...ring, ...free];
}

export interface NeighbourArrow {
  key: string;
  from: string;
  to: string;
  d: string;
}

/** Arcs along the circle from each member to its right neighbour (id + 1 mod n). */
export function neighbourArrows(members: readonly string[]): NeighbourArrow[] {
  const count = members.length;
  if (count < 2) return [];
  const { centerX, centerY, radius, nodeRadius } = RING_GEOMETRY;
  const trim = (nodeRadius + 5) / radius;
  const at = (angle: number) =>
    `${round(centerX + radius * Math.cos(angle))} ${round(centerY + radius * Math.sin(angle))}`;
  return members.map((from, id) => {
    const to = members[(id + 1) % count] ?? from;
    const start = angleOf(id, count) + trim;
    const end = angleOf(id + 1, count) - trim;
    return {
      key: `${from}->${to}`,
      from,
      to,
      d: `M ${at(start)} A ${radius} ${radius} 0 0 1 ${at(end)}`,
    };
  });
}

export interface Curve {
  d: string;
  start: Point;
  control: Point;
  end: Point;
}

/** The point at `t` (0 at the start, 1 at the end) along a curve. */
export function pointOnCurve({ start, control, end }: Curve, t: number): Point {
  const along = (a: number, b: number, c: number) =>
    round((1 - t) * (1 - t) * a + 2 * (1 - t) * t * b + t * t * c);
  return { x: along(start.x, control.x, end.x), y: along(start.y, control.y, end.y) };
}

/**
 * A curved arrow from one node to another, bowed to the left of the direction of travel
 * (to the right for a negative `bendFactor`) so a hop and a hop back do not overlap; its
 * ends stop at the nodes' rims.
 */
export function curveBetween(from: Point, to: Point, bendFactor = 0.22): Curve | null {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy);
  if (length < 1) return null;
  // A negative factor bows to the right instead.
  const bend = Math.sign(bendFactor) * Math.min(70, length * Math.abs(bendFactor));
  const control = {
    x: (from.x + to.x) / 2 + (dy / length) * bend,
    y: (from.y + to.y) / 2 - (dx / length) * bend,
  };
  const rim = RING_GEOMETRY.nodeRadius;
  const start = towards(from, control, rim + 2);
  const end = towards(to, control, rim + 6);
  const d = `M ${round(start.x)} ${round(start.y)} Q ${round(control.x)} ${round(control.y)} ${round(end.x)} ${round(end.y)}`;
  return { d, start, control, end };
}

/**
 * A hop's curve: bowed left of its direction (so a hop and a hop back differ), except that
 * between two members one bowing out of the circle would run along the ring's own
 * neighbour arcs, so it bows further in instead (further than a hop back does).
 */
export function hopCurve(from: Point, to: Point): Curve | null {
  const curve = curveBetween(from, to);
  if (curve === null || !onCircle(from) || !onCircle(to)) return curve;
  const { centerX, centerY } = RING_GEOMETRY;
  const fromCentre = (point: Point) => Math.hypot(point.x - centerX, point.y - centerY);
  const middle = { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 };
  return fromCentre(curve.control) > fromCentre(middle) ? curveBetween(from, to, -0.45) : curve;
}

function onCircle(point: Point): boolean {
  const { centerX, centerY, radius } = RING_GEOMETRY;
  return Math.abs(Math.hypot(point.x - centerX, point.y - centerY) - radius) < 1;
}

/**
 * Of a few bends either way, the curve from `from` to `to` that keeps farthest from the
 * `obstacles` (points it must not run over: other nodes, their labels) and inside the
 * diagram: hop 0 crosses the ring from the manager's corner.
 */
export function clearestCurve(from: Point, to: Point, obstacles: readonly Point[]): Curve | null {
  const { width, height, nodeRadius } = RING_GEOMETRY;
  /** Room left around a point of the curve: to the nearest obstacle's rim, or edge. */
  const roomAt = (point: Point) =>
    Math.min(
      point.x - BADGE_ROOM,
      point.y - BADGE_ROOM,
      width - point.x - BADGE_ROOM,
      height - point.y - BADGE_ROOM,
      ...obstacles.map((node) => Math.hypot(node.x - point.x, node.y - point.y) - nodeRadius),
    );
  let best: { curve: Curve; room: number } | null = null;
  for (const bend of [0.25, -0.25, 0.45, -0.45, 0.1, -0.1]) {
    const curve = curveBetween(from, to, bend);
    if (curve === null) return null;
    const room = Math.min(
      ...[0.2, 0.35, 0.5, 0.65, 0.8].map((t) => roomAt(pointOnCurve(curve, t))),
    );
    if (best === null || room > best.room + 1) best = { curve, room };
  }
  return best?.curve ?? null;
}

/** Where along its curve the answer's verdict goes: past the middle, a hop's badge before it. */
export const VERDICT_AT = [0.65, 0.55, 0.75, 0.45, 0.85] as const;
export const BADGE_AT = [0.4, 0.3, 0.5, 0.22, 0.6] as const;

/**
 * Where along a curve a label clears the `spots` (nodes, their labels, badges placed
 * already) best: the first of the points `at` that is clear enough, else the one with the
 * most room, or null if even that has less than `required` (the label is then left out,
 * rather than drawn over another). Verdicts past the middle and badges before it keep
 * crossing chords apart.
 */
export function labelPoint(
  curve: Curve,
  spots: readonly Point[],
  at: readonly number[] = VERDICT_AT,
  required = 0,
): Point | null {
  const { nodeRadius } = RING_GEOMETRY;
  let best = pointOnCurve(curve, at[0] ?? 0.5);
  let bestRoom = Number.NEGATIVE_INFINITY;
  for (const t of at) {
    const point = pointOnCurve(curve, t);
    const room = Math.min(...spots.map((spot) => Math.hypot(spot.x - point.x, spot.y - point.y)));
    if (room >= nodeRadius + 18) return point;
    if (room > bestRoom) [best, bestRoom] = [point, room];
  }
  return bestRoom >= required ? best : null;
}

/** What a hop's numbered badge needs between a curve and the diagram's edge. */
const BADGE_ROOM = 12;

function towards(point: Point, target: Point, distance: number): Point {
  const length = Math.hypot(target.x - point.x, target.y - point.y) || 1;
  return {
    x: point.x + ((target.x - point.x) / length) * distance,
    y: point.y + ((target.y - point.y) / length) * distance,
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
