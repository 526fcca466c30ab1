/**
 * docker-compose.yml, checked without a Docker engine: `docker-compose config` (Debian's
 * docker-compose 1.x; .ci/run installs it) validates and normalises the file, and the
 * normalised YAML must describe the README's "Containers" set-up: a manager, peer1..peer6
 * and the dashboard on the one `ring` network, the daemons' control channels, the data
 * folder read-only at /data and the dashboard attached to all seven daemons.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
// `yaml` comes with @fastify/swagger (a production dependency); not a package of its own here.
import { parse } from "yaml";
import { REPO_ROOT } from "../../demo/processes.ts";

const PEERS = ["peer1", "peer2", "peer3", "peer4", "peer5", "peer6"];
const SERVICES = ["manager", ...PEERS, "dashboard"];
const DAEMONS = ["manager", ...PEERS];

interface Service {
  command?: string[];
  environment?: Record<string, string | null>;
  networks?: Record<string, unknown>;
  volumes?: (string | { source?: string; target?: string; read_only?: boolean })[];
  stdin_open?: boolean;
  tty?: boolean;
}
interface Config {
  services: Record<string, Service>;
  networks?: Record<string, { driver?: string }>;
}

function composeConfig(): Config {
  const run = spawnSync("docker-compose", ["-f", "docker-compose.yml", "config"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  if (run.error !== undefined) {
    const code = (run.error as NodeJS.ErrnoException).code;
    assert.fail(
      code === "ENOENT"
        ? "docker-compose is not installed: apt-get install -y docker-compose (see .ci/run)"
        : `docker-compose could not run: ${run.error.message}`,
    );
  }
  assert.equal(run.status, 0, `docker-compose config failed:\n${run.stderr}`);
  return parse(run.stdout) as Config;
}

const config = composeConfig();

function service(name: string): Service {
  const found = config.services[name];
  assert.ok(found, `no service ${name}`);
  return found;
}

test("exactly the services manager, peer1..peer6 and dashboard", () => {
  assert.deepEqual(Object.keys(config.services).sort(), [...SERVICES].sort());
});

test("every service is on the bridge network ring, and only on it", () => {
  assert.equal(config.networks?.ring?.driver, "bridge");
  for (const name of SERVICES) {
    assert.deepEqual(Object.keys(service(name).networks ?? {}), ["ring"], name);
  }
});

test("each daemon serves its control channel on 0.0.0.0:7000", () => {
  for (const name of DAEMONS) {
    const command = service(name).command ?? [];
    const flag = (option: string) => command[command.indexOf(option) + 1];
    assert.ok(command.includes("--control-port"), `${name}: ${command.join(" ")}`);
    assert.equal(flag("--control-port"), "7000", name);
    assert.equal(flag("--control-host"), "0.0.0.0", name);
    assert.ok(service(name).environment?.STORMRING_CONTROL_TOKEN, `${name}: no control token`);
  }
  // One datagram secret for the whole ring, and the manager's state kept in its container.
  const secrets = new Set(DAEMONS.map((name) => service(name).environment?.STORMRING_SECRET));
  assert.equal(secrets.size, 1);
  assert.ok([...secrets][0], "the daemons sign their datagrams");
  assert.ok(service("manager").command?.includes("--state-file"));
  assert.ok(service("manager").command?.includes("bin/dht-manager.js"));
  for (const name of PEERS) {
    const peer = service(name);
    assert.ok(peer.command?.includes("bin/dht-peer.js"), name);
    assert.equal(peer.stdin_open, true, `${name}: stdin_open`);
    assert.equal(peer.tty, true, `${name}: tty`);
  }
});

test("the data folder is mounted read-only at /data in every service", () => {
  for (const name of SERVICES) {
    const mounts = (service(name).volumes ?? []).map((volume) =>
      typeof volume === "string"
        ? { target: volume.split(":")[1], readOnly: volume.split(":")[2] === "ro" }
        : { target: volume.target, readOnly: volume.read_only === true },
    );
    const data = mounts.find((mount) => mount.target === "/data");
    assert.ok(data, `${name}: no volume at /data`);
    assert.ok(data.readOnly, `${name}: /data is not read-only`);
  }
});

test("the dashboard attaches to all seven daemons with the daemons' token", () => {
  const dashboard = service("dashboard");
  const environment = dashboard.environment ?? {};
  const remote = (environment.STORMRING_REMOTE_DAEMONS ?? "").split(",");
  assert.deepEqual(remote, [
    "manager=ws://manager:7000",
    ...PEERS.map((peer) => `peer=ws://${peer}:7000`),
  ]);
  assert.equal(
    environment.STORMRING_CONTROL_TOKEN,
    service("manager").environment?.STORMRING_CONTROL_TOKEN,
  );
  assert.ok(dashboard.command?.includes("0.0.0.0"), "the dashboard must listen on 0.0.0.0");
});

test("README's Containers section names the same services", () => {
  const readme = readFileSync(`${REPO_ROOT}README.md`, "utf8");
  const section = /^## Containers\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1];
  assert.ok(section, 'README.md has no "## Containers" section');
  for (const name of SERVICES) {
    assert.match(section, new RegExp(`\\b${name}\\b`), `README's Containers section: ${name}`);
  }
  const peersNamed = new Set(section.match(/\bpeer\d+\b/g) ?? []);
  assert.deepEqual([...peersNamed].sort(), PEERS, "README names peers the file does not have");
});
