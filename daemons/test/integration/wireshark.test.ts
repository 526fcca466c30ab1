/**
 * The Wireshark dissector (tools/wireshark/stormring.lua) on a real capture: tcpdump
 * records the acceptance demo on loopback, on a block of ports no other dissector claims
 * (so the heuristic is what decodes them) and that only the demo uses, then tshark reads
 * the file with the dissector loaded. Every datagram must be decoded as stormring with no
 * malformed packet and no expert error, and the count of each message type must equal
 * what the daemons' own traces (`--trace verbose`: every datagram sent, retransmissions
 * included; bulk stores summarised per link) say they sent. Replies must pair with their
 * requests. Needs tshark and tcpdump (Debian packages; .ci/run installs them) and root to
 * capture; fails, never skips, without them.
 *
 * STORMRING_KEEP_CAPTURE=<file.pcap> keeps the capture (README's screenshot is made from one).
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { DEMO_PEERS, type DemoPlacement, runAcceptanceDemo } from "../../demo/acceptance.ts";
import { MANAGER_REQUEST_TYPES } from "../../src/protocol/messages.ts";
import { checkAcceptanceDemo } from "../support/demo-checks.ts";
import { TEST_DATA_DIR } from "../support/paths.ts";

const DISSECTOR = fileURLToPath(new URL("../../../tools/wireshark/stormring.lua", import.meta.url));
/** The manager's port, then two per peer. */
const PORTS_NEEDED = 1 + 2 * DEMO_PEERS.length;

function missingTools(): string[] {
  return ["tshark", "tcpdump"].filter(
    (tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0,
  );
}

/** The UDP ports some Wireshark dissector is registered on (tried before heuristics). */
function claimedPorts(): Set<number> {
  const decodes = execFileSync("tshark", ["-G", "decodes"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "ignore"],
  });
  const ports = new Set<number>();
  for (const line of decodes.split("\n")) {
    const [table, port] = line.split("\t");
    if (table === "udp.port") ports.add(Number(port));
  }
  return ports;
}

async function bindable(port: number): Promise<boolean> {
  const socket = createSocket("udp4");
  return new Promise((resolve) => {
    socket.once("error", () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(true)));
  });
}

/**
 * A block of consecutive free ports below Linux's ephemeral range (32768 on), so no socket
 * of another test lands in it by chance, with no port a dissector claims.
 */
async function portBlock(count: number): Promise<number> {
  const claimed = claimedPorts();
  const start = 21_000 + 20 * (process.pid % 400);
  for (let offset = 0; offset < 11_000; offset += count) {
    const base = 21_000 + ((start - 21_000 + offset) % 11_000);
    const ports = Array.from({ length: count }, (_, index) => base + index);
    if (ports.some((port) => claimed.has(port))) continue;
    const free = await Promise.all(ports.map(bindable));
    if (free.every(Boolean)) return base;
  }
  throw new Error("no free block of UDP ports between 21000 and 32000");
}

interface Capture {
  process: ChildProcess;
  /** What tcpdump printed on stderr, its closing statistics included once it exited. */
  stderr(): string;
}

async function startCapture(file: string, low: number, high: number): Promise<Capture> {
  const tcpdump = spawn(
    "tcpdump",
    // -B: a 32 MB kernel buffer, so bursts of stores are not dropped by the capture itself.
    [
      "-i",
      "lo",
      "-n",
      "-U",
      "-B",
      "32768",
      "-s",
      "0",
      "-w",
      file,
      `udp and portrange ${low}-${high}`,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${stderr}`)), 10_000);
    const listening = (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("listening on")) {
        clearTimeout(timer);
        tcpdump.stderr?.off("data", listening);
        resolve();
      }
    };
    tcpdump.stderr?.on("data", listening);
    tcpdump.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump exited with ${code}: ${stderr}`));
    });
  });
  tcpdump.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { process: tcpdump, stderr: () => stderr };
}

/** Resolves once `file` has kept its size for a second (at most 20 s). */
async function settled(file: string): Promise<void> {
  let size = -1;
  let stableSince = Date.now();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = statSync(file).size;
    if (now !== size) {
      size = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 1_000) return;
  }
}

async function stopCapture({ process: tcpdump }: Capture): Promise<void> {
  if (tcpdump.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => tcpdump.once("close", () => resolve()));
  tcpdump.kill("SIGINT");
  await exited;
}

type Tally = Map<string, number>;
const bump = (tally: Tally, key: string, by = 1) => tally.set(key, (tally.get(key) ?? 0) + by);
const sorted = (tally: Tally) =>
  Object.fromEntries([...tally].sort(([a], [b]) => (a < b ? -1 : 1)));

/** What the daemons' traces say they sent: datagrams per type (acks are not traced). */
function traced(lines: string[]) {
  const sent: Tally = new Map();
  const retransmitted: Tally = new Map();
  let storeRecords = 0;
  for (const line of lines) {
    const match = /^\[[^\]]+\] -> \S+ {2}(\(retransmission\) )?(.*)$/.exec(line);
    if (match === null) continue;
    const [, again, description = ""] = match;
    const store = /^store: (\d+) records in (\d+) datagrams$/.exec(description);
    if (store !== null) {
      storeRecords += Number(store[1]);
      bump(sent, "store", Number(store[2]));
      continue;
    }
    const type = /^(SUCCESS|FAILURE)\b/.test(description)
      ? "reply"
      : (description.split(" ")[0] ?? "");
    bump(sent, type);
    if (again !== undefined) bump(retransmitted, type);
  }
  return { sent, retransmitted, storeRecords };
}

const FIELDS = [
  "frame.number",
  "stormring.type",
  "stormring.retransmission",
  "stormring.records",
  "stormring.request_in",
  "stormring.response_in",
  "stormring.status",
  "stormring.reason",
  "_ws.malformed",
  "_ws.expert.severity",
  "_ws.col.Protocol",
  "stormring.hmac",
] as const;

type Row = Record<(typeof FIELDS)[number], string>;

/** tshark's reading of the capture with the dissector: one row per frame. */
function dissected(file: string): { rows: Row[]; stderr: string } {
  const result = spawnSync(
    "tshark",
    [
      "-X",
      `lua_script:${DISSECTOR}`,
      "-r",
      file,
      "-2",
      "-T",
      "fields",
      "-E",
      "separator=/t",
      "-E",
      "occurrence=a",
      "-E",
      "aggregator=,",
      ...FIELDS.flatMap((field) => ["-e", field]),
    ],
    { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  assert.equal(result.status, 0, `tshark failed: ${result.stderr}`);
  const rows = result.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const values = line.split("\t");
      return Object.fromEntries(FIELDS.map((field, index) => [field, values[index] ?? ""])) as Row;
    });
  return { rows, stderr: result.stderr };
}

const work = mkdtempSync(join(tmpdir(), "stormring-wireshark-"));
after(() => rmSync(work, { recursive: true, force: true }));

test("tshark with the Lua dissector decodes every datagram of the demo, as the traces count them", {
  timeout: 240_000,
}, async (t) => {
  const missing = missingTools();
  if (missing.length > 0) {
    throw new Error(`the Wireshark test needs ${missing.join(" and ")} (.ci/run installs them)`);
  }
  const base = await portBlock(PORTS_NEEDED);
  const placement: DemoPlacement = {
    manager: { host: "127.0.0.1", port: base },
    peer: (_name, index) => ({ host: "127.0.0.1", port: base + 1 + 2 * index }),
  };
  const file = join(work, "demo.pcap");
  const lines: string[] = [];
  const tcpdump = await startCapture(file, base, base + PORTS_NEEDED - 1);
  try {
    const demo = await runAcceptanceDemo(
      TEST_DATA_DIR,
      {
        args: ["--trace", "verbose"],
        // Signed, as npm start and the compose file run them: the tag must not hide a thing.
        env: { ...process.env, STORMRING_SECRET: "wireshark-test" },
        echo: (_label, line) => lines.push(line),
      },
      placement,
    );
    checkAcceptanceDemo(demo);
    // tcpdump stops reading at SIGINT, leaving what it has not read yet in the kernel's
    // buffer: wait until the file has stopped growing (it lags on a busy machine).
    await settled(file);
  } finally {
    await stopCapture(tcpdump);
  }
  if (process.env.STORMRING_KEEP_CAPTURE) copyFileSync(file, process.env.STORMRING_KEEP_CAPTURE);
  const statistics = tcpdump.stderr();
  t.diagnostic(statistics.trim().split("\n").slice(-3).join("; "));
  assert.match(statistics, /\b0 packets dropped by kernel/, "tcpdump kept every datagram");
  assert.deepEqual(
    lines.filter((line) => /dropped a datagram/.test(line)),
    [],
    "no daemon dropped a datagram",
  );

  const { rows, stderr } = dissected(file);
  assert.doesNotMatch(stderr, /lua|error/i, "tshark loaded the dissector without complaint");
  assert.ok(rows.length > 1000, `a whole demo captured (${rows.length} frames)`);

  // Every datagram is stormring, none malformed, no expert error or warning.
  const undecoded = rows.filter((row) => row["stormring.type"] === "");
  assert.deepEqual(
    undecoded.map((row) => row["frame.number"]),
    [],
    "frames not decoded",
  );
  for (const row of rows) {
    assert.equal(row["_ws.col.Protocol"], "STORMRING");
    assert.match(row["stormring.hmac"], /^[0-9a-f]{64}$/, `frame ${row["frame.number"]}'s tag`);
  }
  const malformed = rows.filter((row) => row["_ws.malformed"] !== "");
  assert.deepEqual(
    malformed.map((row) => row["frame.number"]),
    [],
    "malformed frames",
  );
  const severe = rows.filter((row) => /error|warn/i.test(row["_ws.expert.severity"]));
  assert.deepEqual(
    severe.map((row) => `${row["frame.number"]}: ${row["_ws.expert.severity"]}`),
    [],
    "expert errors or warnings",
  );

  // Per type, what tshark saw equals what the daemons sent.
  const { sent, retransmitted, storeRecords } = traced(lines);
  const seen: Tally = new Map();
  const seenAgain: Tally = new Map();
  let firstStoreRecords = 0;
  let storesAgain = 0;
  for (const row of rows) {
    const type = row["stormring.type"];
    const again = row["stormring.retransmission"] !== "";
    // The trace counts a store once (its retransmissions are not in the summary).
    if (type === "store") {
      if (again) {
        storesAgain += 1;
        continue;
      }
      firstStoreRecords += Number(row["stormring.records"]);
    }
    if (type === "ack") continue;
    bump(seen, type);
    if (again) bump(seenAgain, type);
  }
  t.diagnostic(`${rows.length} frames; per type (acks aside): ${JSON.stringify(sorted(seen))}`);
  t.diagnostic(
    `retransmissions: ${JSON.stringify(sorted(seenAgain))} and ${storesAgain} stores; ` +
      `records in stores: ${storeRecords}`,
  );
  assert.deepEqual(sorted(seen), sorted(sent), "datagrams per type: tshark vs the traces");
  assert.deepEqual(sorted(seenAgain), sorted(retransmitted), "retransmissions per type");
  assert.equal(firstStoreRecords, storeRecords, "records carried by stores");
  // Three builds of 1996 (setup, the rebuilds after leave and join) store 48,534 each,
  // the leader keeping its own share.
  assert.ok(storeRecords > 48_534, `stores carry the records (${storeRecords})`);
  assert.ok(
    rows.some((row) => row["stormring.type"] === "ack"),
    "link acknowledgements decoded",
  );

  // Replies pair with their requests, both ways.
  const frames = new Map(rows.map((row) => [row["frame.number"], row]));
  for (const row of rows) {
    if (row["stormring.type"] !== "reply") continue;
    const request = frames.get(row["stormring.request_in"]);
    assert.ok(request, `reply in frame ${row["frame.number"]} names its request`);
    assert.notEqual(request["stormring.type"], "reply");
    if (row["stormring.retransmission"] === "") {
      assert.equal(request["stormring.response_in"], row["frame.number"]);
    }
  }
  const requestTypes = new Set<string>(MANAGER_REQUEST_TYPES);
  const unanswered = rows.filter(
    (row) =>
      requestTypes.has(row["stormring.type"]) &&
      row["stormring.retransmission"] === "" &&
      row["stormring.response_in"] === "",
  );
  assert.deepEqual(
    unanswered.map((row) => `${row["frame.number"]} ${row["stormring.type"]}`),
    [],
    "requests with no reply",
  );
});
