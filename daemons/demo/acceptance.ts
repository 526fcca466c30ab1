/**
 * The assignment's acceptance demo (PROTOCOL.md section 9), played through the daemons'
 * consoles: register six peers, build a DHT of five with 1996, four queries from the
 * sixth peer, a leave and a query by the leaver, a join and a query by the other outside
 * peer, teardown, and everyone deregistering. It records what each step printed, so
 * `npm run demo` can show it and the tests can check it.
 */
import {
  type Daemon,
  type DaemonOptions,
  type Placement,
  register,
  startManager,
  startPeer,
} from "./processes.ts";

export const DEMO_PEERS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
export const DEMO_QUERIES = [5536849, 2402920, 5539287, 55770111];

export interface RingReport {
  /** Member names by node id. */
  names: string[];
  counts: number[];
  lines: string[];
}

export interface DemoRecord {
  setup: RingReport;
  /** From sending setup-dht to the leader printing its total line (includes the process pipes). */
  setupMs: number;
  outsider: string;
  queries: { eventId: number; lines: string[] }[];
  leaver: string;
  leave: { lines: string[]; ring: RingReport; query: string[] };
  join: { lines: string[]; ring: RingReport; query: string[] };
  teardown: string[];
  exitCodes: (number | null)[];
}

const SLOW_STEP_MS = 60_000;

/** Where each daemon runs (default: all on loopback, on free ports, unwrapped). */
export interface DemoPlacement {
  manager: Placement & { wrap?: string[] };
  peer: (name: string, index: number) => Placement & { wrap?: string[] };
}

/** The `node <id> (<name>): <count> records` lines a leader prints, in id order. */
export function ringReport(lines: string[]): RingReport {
  const names: string[] = [];
  const counts: number[] = [];
  for (const line of lines) {
    const match = /^node (\d+) \((\w+)\): (\d+) records$/.exec(line);
    if (match) {
      names[Number(match[1])] = match[2] as string;
      counts[Number(match[1])] = Number(match[3]);
    }
  }
  return { names, counts, lines };
}

/** Runs a leave or join on `peer`; returns its lines and what `leader` printed for the rebuild. */
async function churn(peer: Daemon, line: string, leader: Daemon) {
  leader.mark();
  const leaderStart = leader.lines.length;
  const lines = await peer.run(
    line,
    /^dht-rebuilt \w+ \w+: (SUCCESS|FAILURE)|: FAILURE/,
    SLOW_STEP_MS,
  );
  await leader.waitFor(/^total: \d+ records on \d+ nodes$/, SLOW_STEP_MS);
  return { lines, ring: ringReport(leader.lines.slice(leaderStart)) };
}

export async function runAcceptanceDemo(
  dataDir: string,
  options: DaemonOptions = {},
  placement?: DemoPlacement,
): Promise<DemoRecord> {
  const loopback: Placement = { host: "127.0.0.1" };
  const at = ({ wrap, ...where }: Placement & { wrap?: string[] }) => ({
    options: wrap ? { ...options, wrap } : options,
    where,
  });
  const managerAt = at(placement?.manager ?? loopback);
  const peersAt = new Map(
    DEMO_PEERS.map((name, index) => [name, at(placement?.peer(name, index) ?? loopback)]),
  );
  const { manager, port } = await startManager(managerAt.options, managerAt.where);
  const peers = new Map(
    [...peersAt].map(([name, { options }]) => [
      name,
      startPeer(name, port, dataDir, options, managerAt.where.host),
    ]),
  );
  const peer = (name: string) => peers.get(name) as Daemon;
  try {
    for (const [name, { where }] of peersAt) await register(peer(name), name, where);
    const [leaderName = ""] = DEMO_PEERS;
    const setupLines = await peer(leaderName).run(
      `setup-dht ${leaderName} 5 1996`,
      /^dht-complete \w+: |: FAILURE|refused/,
      SLOW_STEP_MS,
    );
    const setup = ringReport(setupLines);
    const leader = peer(leaderName);
    const totalIndex = leader.lines.findLastIndex((line) => line.startsWith("total: "));
    const setupMs = (leader.times[totalIndex] ?? Number.NaN) - leader.lastSentAt;
    const outsider = DEMO_PEERS.find((name) => !setup.names.includes(name)) ?? "";

    const queries = [];
    for (const eventId of DEMO_QUERIES) {
      queries.push({ eventId, lines: await query(peer(outsider), outsider, eventId) });
    }

    // A member that is not the leader leaves; its right neighbour leads the new ring.
    const leaver = setup.names[2] ?? "";
    const newLeader = setup.names[3] ?? "";
    const left = await churn(peer(leaver), `leave-dht ${leaver}`, peer(newLeader));
    const leaverQuery = await query(peer(leaver), leaver, DEMO_QUERIES[0] as number);

    // The sixth peer joins; the leaver, now outside, queries the ring of five.
    const joined = await churn(peer(outsider), `join-dht ${outsider}`, peer(newLeader));
    const joinQuery = await query(peer(leaver), leaver, DEMO_QUERIES[2] as number);

    const teardown = await peer(newLeader).run(
      `teardown-dht ${newLeader}`,
      /^teardown-complete \w+: |: FAILURE/,
      SLOW_STEP_MS,
    );
    const exitCodes = [];
    for (const name of DEMO_PEERS) {
      await peer(name).run(`deregister ${name}`, /^deregister \w+: /);
      exitCodes.push(await peer(name).exited);
    }
    return {
      setup,
      setupMs,
      outsider,
      queries,
      leaver,
      leave: { ...left, query: leaverQuery },
      join: { ...joined, query: joinQuery },
      teardown,
      exitCodes,
    };
  } finally {
    await Promise.all([...peers.values(), manager].map((daemon) => daemon.stop()));
  }
}

function query(peer: Daemon, name: string, eventId: number): Promise<string[]> {
  return peer.run(`query-dht ${name} ${eventId}`, /^id-seq: |gave up|: FAILURE/, SLOW_STEP_MS);
}
