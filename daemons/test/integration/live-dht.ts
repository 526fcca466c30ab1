/**
 * A live DHT of 1996 for the hostile-input tests: a manager and four peers with control
 * channels, three of them members (alpha leads), the fourth free to ask the queries; an
 * outsider's UDP socket; and the views a test compares before and after its barrage.
 */
import assert from "node:assert/strict";
import { createSocket, type Socket } from "node:dgram";
import { type Daemon, freePorts, startManager, startPeer } from "../../demo/processes.ts";
import type { PeerSnapshot } from "../../src/peer/snapshot.ts";
import type { PeerTuple } from "../../src/protocol/messages.ts";
import { countsFor, eventIdsOf } from "../support/independent.ts";
import { TEST_DATA_DIR } from "../support/paths.ts";
import { ControlClient, controlUrl } from "./control-client.ts";

const PEERS = ["alpha", "bravo", "charlie", "delta"];
const eventIds1996 = eventIdsOf(`${TEST_DATA_DIR}details-1996.csv`);

export interface LiveDht {
  manager: Daemon;
  managerPort: number;
  /** The ring's members by node id. */
  members: string[];
  /** The free peer that asks the queries. */
  asker: string;
  outsider: Socket;
  peer(name: string): Daemon;
  /** The manager and every peer. */
  daemons(): Daemon[];
  /** A peer's p-port tuple, and its m-port. */
  tuple(name: string): PeerTuple & { mport: number };
  sendRaw(to: { port: number }, bytes: Buffer): Promise<void>;
  /** Each member's ring view and record count, read from its control channel. */
  memberViews(): Promise<Map<string, Partial<PeerSnapshot>>>;
  /** The demo's four queries answer as the data says, and each member holds its share. */
  checkQueriesAndCounts(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLiveDht(
  options: { managerArgs?: string[]; nodeArgs?: string[] } = {},
): Promise<LiveDht> {
  const nodeArgs = options.nodeArgs ?? [];
  const { manager, port: managerPort } = await startManager({
    args: options.managerArgs ?? [],
    nodeArgs,
  });
  const daemons = new Map<string, Daemon>();
  const controlUrls = new Map<string, string>();
  const tuples = new Map<string, PeerTuple & { mport: number }>();
  const peer = (name: string): Daemon => {
    const daemon = daemons.get(name);
    assert.ok(daemon, name);
    return daemon;
  };
  for (const name of PEERS) {
    const daemon = startPeer(name, managerPort, TEST_DATA_DIR, {
      args: ["--control-port", "0"],
      nodeArgs,
    });
    daemons.set(name, daemon);
    controlUrls.set(name, await controlUrl(daemon));
    const [mport = 0, pport = 0] = await freePorts(2);
    const lines = await daemon.run(`register ${name} 127.0.0.1 ${mport} ${pport}`, /^register /);
    assert.match(lines.at(-1) ?? "", /SUCCESS$/);
    tuples.set(name, { name, ip: "127.0.0.1", port: pport, mport });
  }
  const setup = await peer("alpha").run("setup-dht alpha 3 1996", /^dht-complete alpha: /, 30_000);
  assert.equal(setup.at(-1), "dht-complete alpha: SUCCESS", setup.join("\n"));
  const members: string[] = [];
  for (const line of setup) {
    const member = /^node \d+ \((\w+)\): \d+ records$/.exec(line)?.[1];
    if (member !== undefined) members.push(member);
  }
  const asker = PEERS.find((name) => !members.includes(name)) ?? "";
  const outsider = createSocket("udp4");
  await new Promise<void>((resolve) => outsider.bind(0, "127.0.0.1", resolve));

  const memberViews = async () => {
    const views = new Map<string, Partial<PeerSnapshot>>();
    for (const name of members) {
      const client = await ControlClient.connect(controlUrls.get(name) ?? "");
      const frame = await client.waitFor((each) => each.type === "snapshot");
      client.close();
      if (frame.type !== "snapshot" || frame.daemon !== "peer") continue;
      const { recordsHeld, id, ringSize, rightNeighbour, tuples, phase } =
        frame.state as PeerSnapshot;
      views.set(name, { recordsHeld, id, ringSize, rightNeighbour, tuples, phase });
    }
    return views;
  };
  return {
    manager,
    managerPort,
    members,
    asker,
    outsider,
    peer,
    daemons: () => [manager, ...daemons.values()],
    tuple: (name) => {
      const found = tuples.get(name);
      assert.ok(found, name);
      return found;
    },
    sendRaw: (to, bytes) =>
      new Promise((resolve) => outsider.send(bytes, to.port, "127.0.0.1", () => resolve())),
    memberViews,
    checkQueriesAndCounts: async () => {
      const ask = (eventId: number) =>
        peer(asker).run(`query-dht ${asker} ${eventId}`, /^id-seq: /);
      const shelby = await ask(5536849);
      assert.ok(shelby.includes("event id: 5536849"), shelby.join("\n"));
      assert.ok(shelby.includes("state: ALABAMA"), "the real record, not a forged one");
      assert.ok((await ask(2402920)).includes("Storm event 2402920 not found in the DHT."));
      assert.ok((await ask(5539287)).includes("cz name: NORTHERN GREENLEE"));
      assert.ok((await ask(55770111)).includes("Storm event 55770111 not found in the DHT."));
      const views = await memberViews();
      const expected = countsFor(eventIds1996, 3);
      for (const name of members) {
        const view = views.get(name);
        assert.equal(view?.recordsHeld, expected[view?.id ?? -1], `${name} holds its share`);
      }
    },
    stop: async () => {
      outsider.close();
      await Promise.all([manager, ...daemons.values()].map((daemon) => daemon.stop()));
    },
  };
}
