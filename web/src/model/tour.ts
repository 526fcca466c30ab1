/**
 * Lecture mode: the acceptance demo (PROTOCOL.md section 9, daemons/demo/acceptance.ts)
 * as seven numbered steps, each with a caption of what it shows and the real command it
 * runs, worked out from `/api/state` when the step runs: who registers, who leads, who
 * queries (the peer left outside), who leaves (node 2, as the demo has it), who joins
 * (the outsider) and who tears down (whoever leads by then).
 */
import type { ApiState, DaemonState, ManagerSnapshot } from "../api/types.ts";
import {
  DEMO_QUERIES,
  DEMO_RING_SIZE,
  type DemoRingPlan,
  demoYear,
  planDemoRing,
} from "./demo-ring.ts";

export interface TourStep {
  title: string;
  caption: string;
}

export const TOUR_STEPS: readonly TourStep[] = [
  {
    title: "register",
    caption:
      "Six peers register with the manager (register <name> <ip> <m-port> <p-port>); it records each as Free.",
  },
  {
    title: "setup-dht",
    caption:
      "The leader asks for a DHT of five: it gives each member its id and right neighbour (set-id), then passes the year's records round the ring; each keeps those with pos mod 5 = its id.",
  },
  {
    title: "a found query",
    caption:
      "The sixth peer asks the manager for a member, then the walk goes from member to random unvisited member until the owner answers with the record.",
  },
  {
    title: "a missing query",
    caption:
      "An id the year does not have: the walk goes on until it reaches the node that would own it (pos mod 5), which looks in its table and answers not found.",
  },
  {
    title: "leave-dht",
    caption:
      "Node 2 leaves: the ring is torn down and rebuilt without it, renumbered from its right neighbour, which leads now; the records are spread over four.",
  },
  {
    title: "join-dht",
    caption:
      "The sixth peer joins: the leader rebuilds the ring with it as the last node, and the records are spread over five again.",
  },
  {
    title: "teardown-dht",
    caption: "The leader deletes the DHT: every member drops its table and is Free again.",
  },
];

/** Who the steps name, remembered as they run: the peer left outside, the one that left. */
export interface TourCast {
  outsider: string | null;
  leaver: string | null;
}

export type TourCommand =
  | { kind: "register"; plan: DemoRingPlan }
  | { kind: "command"; daemonId: string; line: string };

/** What step `index` runs now, or why it cannot. */
export function tourCommand(
  index: number,
  state: ApiState,
  years: readonly string[],
  cast: TourCast,
): TourCommand | { blocked: string } {
  const peers = state.daemons.filter((daemon) => daemon.kind === "peer" && daemon.alive);
  const free = registryOrder(state).filter((daemon) => daemon.state === "Free");
  const byName = (name: string | null) => peers.find((daemon) => daemon.name === name);
  const run = (daemon: DaemonState | undefined, line: string) =>
    daemon === undefined
      ? { blocked: `no running peer for "${line}"` }
      : { kind: "command" as const, daemonId: daemon.id, line };
  const { dht } = state;
  switch (index) {
    case 0: {
      const plan = planDemoRing(state, years);
      return "blocked" in plan ? plan : { kind: "register", plan };
    }
    case 1: {
      const leader = free[0];
      if (dht !== null) return { blocked: "a DHT exists already" };
      return run(leader, `setup-dht ${leader?.name} ${DEMO_RING_SIZE} ${demoYear(years)}`);
    }
    case 2:
    case 3: {
      const outsider = byName(cast.outsider) ?? free[0];
      const eventId = index === 2 ? DEMO_QUERIES[0] : DEMO_QUERIES.at(-1);
      return run(outsider, `query-dht ${outsider?.name} ${eventId}`);
    }
    case 4: {
      const leaver = dht?.members[2] ?? null;
      return run(byName(leaver), `leave-dht ${leaver}`);
    }
    case 5: {
      const joiner = byName(cast.outsider) ?? free.find((daemon) => daemon.name !== cast.leaver);
      return run(joiner, `join-dht ${joiner?.name}`);
    }
    case 6:
      return run(byName(dht?.leader ?? null), `teardown-dht ${dht?.leader}`);
    default:
      return { blocked: "the lecture has no more steps" };
  }
}

/** The running peers in the order the manager registered them (the demo's leader first). */
function registryOrder(state: ApiState): DaemonState[] {
  const manager = state.daemons.find((daemon) => daemon.kind === "manager");
  const registry = (manager?.snapshot as ManagerSnapshot | null | undefined)?.peers ?? [];
  const rank = new Map(registry.map((peer, index) => [peer.name, index]));
  return state.daemons
    .filter((daemon) => daemon.kind === "peer" && daemon.alive && daemon.name !== undefined)
    .sort((left, right) => (rank.get(left.name ?? "") ?? 99) - (rank.get(right.name ?? "") ?? 99));
}

/** Where the tour stands: steps run so far (with the log's span of each), the one shown. */
export interface TourProgress {
  /** `ran[k]`: the seqs before and after step k ran. */
  ran: { startSeq: number; endSeq: number }[];
  /** The step shown, -1 before the first. */
  shown: number;
}

export type TourMove =
  | { kind: "run"; index: number }
  | { kind: "show"; index: number; seq: number }
  | { kind: "none" };

/** What Next does: show a step run already (after Previous), else run the next one. */
export function nextMove({ ran, shown }: TourProgress): TourMove {
  const index = shown + 1;
  if (index >= TOUR_STEPS.length) return { kind: "none" };
  const span = ran[index];
  return span === undefined ? { kind: "run", index } : { kind: "show", index, seq: span.endSeq };
}

/** What Previous does: show the step before as it ended (before the first: the start). */
export function previousMove({ ran, shown }: TourProgress): TourMove {
  if (shown < 0) return { kind: "none" };
  const index = shown - 1;
  const seq = index < 0 ? (ran[0]?.startSeq ?? 0) : (ran[index]?.endSeq ?? 0);
  return { kind: "show", index, seq };
}
