/**
 * What users should see of the manager's registry and the DHT, kept apart from the
 * daemons: the model that the model-based runs compare the real system with after every
 * step. It is written from the assignment's rules (who may do what, who leads a rebuilt
 * ring, when a ring is too small to keep), not from the daemons' code.
 */
import { MIN_RING_SIZE } from "../../src/protocol/messages.ts";

export type Standing = "Free" | "Leader" | "InDHT" | "Dead";

export interface RingModel {
  /** Every name the manager holds, with its standing derived from `ring`. */
  readonly registered: Map<string, "Alive" | "Dead">;
  /** Members by node id (node 0 leads), or null while no DHT exists. */
  ring: string[] | null;
}

export function emptyModel(): RingModel {
  return { registered: new Map(), ring: null };
}

export function standingOf(model: RingModel, name: string): Standing | "unregistered" {
  const life = model.registered.get(name);
  if (life === undefined) return "unregistered";
  if (life === "Dead") return "Dead";
  const at = model.ring?.indexOf(name) ?? -1;
  if (at === 0) return "Leader";
  return at > 0 ? "InDHT" : "Free";
}

/** Registered live peers outside the DHT, the ones that may query, set up or join. */
export function freePeers(model: RingModel): string[] {
  return [...model.registered.keys()].filter((name) => standingOf(model, name) === "Free");
}

/** The reason the manager must give for refusing `setup-dht <leader> <n>`, if any. */
export function setupRefusal(model: RingModel, leader: string, ringSize: number): string | null {
  if (ringSize < MIN_RING_SIZE) return "N_TOO_SMALL";
  if (standingOf(model, leader) !== "Free") return "NOT_FREE";
  if (model.ring !== null) return "DHT_EXISTS";
  if (freePeers(model).length < ringSize) return "TOO_FEW_PEERS";
  return null;
}

/** The ring with `gone` taken out, renumbered from its right neighbour (the new leader). */
function withoutMember(ring: readonly string[], gone: string): string[] {
  const at = ring.indexOf(gone);
  return [...ring.slice(at + 1), ...ring.slice(0, at)];
}

export function afterLeave(model: RingModel, leaver: string): void {
  model.ring = withoutMember(model.ring ?? [], leaver);
}

/** A joiner becomes node n of the ring; the leader stays. */
export function afterJoin(model: RingModel, joiner: string): void {
  model.ring = [...(model.ring ?? []), joiner];
}

/**
 * A member killed: the survivors rebuild without it, led by its right neighbour, unless
 * fewer than the minimum ring size survive, when the DHT is torn down and all are Free.
 */
export function afterMemberDied(model: RingModel, dead: string): void {
  const survivors = withoutMember(model.ring ?? [], dead);
  model.ring = survivors.length >= MIN_RING_SIZE ? survivors : null;
  model.registered.set(dead, "Dead");
}
