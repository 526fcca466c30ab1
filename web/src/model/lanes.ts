/**
 * The time-space diagram's lanes, in the ring's order rather than in the order names
 * were first seen: the manager, the members by node id, the other running peers, then the
 * departed (gone, dead, or named only by old messages), which are kept but collapsed.
 */
import type { View } from "./view.ts";

export interface LaneOrder {
  /** Lanes to draw in this order (any other name a message carries goes after them). */
  names: string[];
  /** Departed lanes among them: drawn narrow. */
  departed: string[];
}

export function laneOrder(view: View): LaneOrder {
  const members = view.dht?.members ?? [];
  const registered = view.daemons.filter(
    (daemon) => daemon.kind === "peer" && daemon.name !== null && daemon.status !== "unregistered",
  );
  const departedNames = registered
    .filter((daemon) => daemon.status === "dead" || daemon.status === "gone")
    .map((daemon) => daemon.name ?? "");
  const departed = new Set(departedNames);
  const running = registered
    .map((daemon) => daemon.name ?? "")
    .filter((name) => !departed.has(name) && !members.includes(name));
  // A dead member is still in the ring until the repair: it keeps its place there.
  const names = [
    ...members,
    ...running,
    ...departedNames.filter((name) => !members.includes(name)),
  ];
  return { names, departed: departedNames.filter((name) => !members.includes(name)) };
}

/** How much of a normal lane's width a collapsed one takes. */
export const COLLAPSED_SHARE = 0.35;

/**
 * Each lane's x, the outer ones `margin` in from the edges: a gap next to a collapsed lane
 * is COLLAPSED_SHARE of a normal one.
 */
export function laneXs(collapsed: readonly boolean[], width: number, margin: number): number[] {
  if (collapsed.length <= 1) return [width / 2];
  const gaps = collapsed
    .slice(1)
    .map((narrow, index) => (narrow || collapsed[index] === true ? COLLAPSED_SHARE : 1));
  const step = (width - 2 * margin) / gaps.reduce((sum, gap) => sum + gap, 0);
  const xs = [margin];
  for (const gap of gaps) xs.push((xs.at(-1) ?? margin) + gap * step);
  return xs;
}
