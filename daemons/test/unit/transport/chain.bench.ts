/**
 * Link throughput across processes, shaped like a DHT setup (PROTOCOL.md section 4): a
 * chain of `hops` processes on loopback; the first sends `records` records, packed 13 to a
 * store datagram of about 1,400 bytes; hop k keeps the records with event id mod hops = k
 * and repacks the rest for its right neighbour; a count barrier follows the stores.
 *
 *   npx tsx daemons/test/unit/transport/chain.bench.ts [hops] [records] [window] [rounds] [raw]
 *
 * For each round (the first in freshly started processes, later ones warmed up) it prints
 * the time from the first store until the barrier reaches the last hop, and the CPU time
 * each hop used. With `raw`, hops send bare datagrams without links (no seqs, acks or
 * retransmission), as a floor to compare the links against; loss there goes unnoticed.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { PeerBody, PeerMessage, StormRecord } from "../../../src/protocol/messages.ts";
import { Identity } from "../../../src/transport/identity.ts";
import { LinkEndpoint } from "../../../src/transport/link.ts";
import type { Address } from "../../../src/transport/udp.ts";
import { bindLoopback, fakeRecord, storeBody } from "./helpers.ts";

const RECORDS_PER_STORE = 13;
const RECORD_BYTES = 88;

type Round = { hopId: number; hops: number; records: number; rightNeighbour?: Address };
type FromHop = { port: number } | { counts: number[]; storesSent: number; cpuMs: number };

async function runHop(window: number, raw: boolean): Promise<void> {
  const endpoint = await bindLoopback();
  const identity = new Identity(`hop${process.pid}`);
  const link = new LinkEndpoint(endpoint, identity, { window });
  let deliver: (message: PeerMessage) => void = () => {};
  link.onMessage((message) => deliver(message));
  endpoint.onDatagram((message, from) => {
    identity.observe(message.clock);
    if (!raw) link.handle(message, from);
    else if (message.type === "store" || message.type === "count") deliver(message);
  });
  const send = (to: Address, body: PeerBody) => {
    if (raw) endpoint.send(identity.stamp({ ...body, seq: 0 }) as PeerMessage, to);
    else link.send(to, body).catch((error) => console.error(error));
  };
  const report = (message: FromHop) => process.send?.(message);

  process.on("message", ({ hopId, hops, records, rightNeighbour }: Round) => {
    const cpuAtStart = process.cpuUsage();
    const cpuMs = () => {
      const { user, system } = process.cpuUsage(cpuAtStart);
      return (user + system) / 1000;
    };
    let kept = 0;
    let storesSent = 0;
    let pack: StormRecord[] = [];
    const forward = (body: PeerBody) => {
      if (rightNeighbour !== undefined) send(rightNeighbour, body);
    };
    const flush = () => {
      if (pack.length === 0) return;
      forward(storeBody(pack));
      storesSent += 1;
      pack = [];
    };
    const place = (record: StormRecord) => {
      if (Number(record[0]) % hops === hopId) kept += 1;
      else pack.push(record);
      if (pack.length === RECORDS_PER_STORE) flush();
    };
    deliver = (message) => {
      if (message.type === "store") {
        message.records.forEach(place);
        return;
      }
      if (message.type !== "count") return;
      flush();
      const counts = [...message.counts, kept];
      forward({ type: "count", tableSize: records, counts });
      // The barrier passed this hop: its part of the round is done.
      report({ counts, storesSent, cpuMs: cpuMs() });
    };
    if (hopId === 0) {
      for (let eventId = 0; eventId < records; eventId++) place(fakeRecord(eventId, RECORD_BYTES));
      flush();
      forward({ type: "count", tableSize: records, counts: [kept] });
      // The leader's CPU would only be known once its link drained; it is not reported.
      report({ counts: [kept], storesSent, cpuMs: 0 });
    }
  });
  // Exit when the channel closes (gracefully, so --cpu-prof can write its profile).
  process.once("disconnect", () => process.exit(0));
  report({ port: endpoint.address().port });
}

async function runBenchmark(options: {
  hops: number;
  records: number;
  window: number;
  rounds: number;
  raw: boolean;
}): Promise<void> {
  const { hops, records, window, rounds, raw } = options;
  const file = fileURLToPath(import.meta.url);
  const children: ChildProcess[] = [];
  const nextReport = (child: ChildProcess) =>
    new Promise<FromHop>((resolve) => child.once("message", resolve));
  const ports = await Promise.all(
    Array.from({ length: hops }, async () => {
      const child = fork(file, ["hop", String(window), raw ? "raw" : "links"]);
      children.push(child);
      return ((await nextReport(child)) as { port: number }).port;
    }),
  );
  for (let round = 1; round <= rounds; round++) {
    const reports = children.map(nextReport);
    const started = performance.now();
    children.forEach((child, hopId) => {
      const nextPort = ports[hopId + 1];
      const rightNeighbour =
        nextPort === undefined ? undefined : { ip: "127.0.0.1", port: nextPort };
      child.send({ hopId, hops, records, rightNeighbour } satisfies Round);
    });
    const last = (await reports[hops - 1]) as { counts: number[]; cpuMs: number };
    const elapsedMs = performance.now() - started;
    const all = (await Promise.all(reports)) as { storesSent: number; cpuMs: number }[];
    const cpu = all.slice(1).map((hop) => hop.cpuMs.toFixed(0));
    console.log(
      `round ${round}: ${records} records, ${all[0]?.storesSent} stores from the leader, ` +
        `${hops} processes, ${raw ? "bare datagrams" : `links with window ${window}`}: ` +
        `barrier reached the last hop after ${elapsedMs.toFixed(0)} ms ` +
        `(counts ${last.counts.join(" ")}; CPU ms per hop after the leader ${cpu.join(" ")})`,
    );
  }
  for (const child of children) child.disconnect();
}

if (process.argv[2] === "hop") {
  await runHop(Number(process.argv[3]), process.argv[4] === "raw");
} else {
  const [hops = "5", records = "48534", window = "32", rounds = "1", mode] = process.argv.slice(2);
  await runBenchmark({
    hops: Number(hops),
    records: Number(records),
    window: Number(window),
    rounds: Number(rounds),
    raw: mode === "raw",
  });
}
