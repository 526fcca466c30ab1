/**
 * `/api/live` on real daemons: a peer process that dies is pushed to browsers as dead,
 * whether its control channel closed before or after the supervisor saw it exit.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import WebSocket from "ws";
import { type Launched, launch } from "../src/launch.ts";
import type { LiveMessage } from "../src/live.ts";
import { TEST_DATA_DIR } from "./support/processes.ts";

let server: Launched;

before(async () => {
  server = await launch({
    port: 0,
    host: "127.0.0.1",
    peers: 1,
    dataDir: TEST_DATA_DIR,
    remote: [],
  });
});

after(() => server?.close());

test("a killed peer reaches live clients as not alive, with how it exited", async () => {
  const socket = new WebSocket(`${server.url.replace("http", "ws")}/api/live`);
  const states: LiveMessage[] = [];
  socket.on("message", (data) => states.push(JSON.parse(data.toString()) as LiveMessage));
  await new Promise((resolve) => socket.once("open", resolve));
  const peer = server.supervisor.get("peer-1");
  assert.ok(peer?.pid, "peer-1 runs");
  process.kill(peer.pid, "SIGKILL");
  const dead = await new Promise<LiveMessage>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no live state showed peer-1 dead")), 10_000);
    const check = () => {
      const found = states.find(
        (message) =>
          message.type === "state" &&
          message.state.daemons.some((daemon) => daemon.id === "peer-1" && !daemon.alive),
      );
      if (found === undefined) return;
      clearTimeout(timer);
      socket.off("message", check);
      resolve(found);
    };
    socket.on("message", check);
    check();
  });
  const shown = dead.type === "state" ? dead.state.daemons.find(({ id }) => id === "peer-1") : null;
  assert.ok(
    shown?.lastOutput.includes("[supervisor] exited on SIGKILL"),
    shown?.lastOutput.join("\n"),
  );
  socket.close();
});
