/**
 * Command-line parsing of both daemons: the valid forms, --help, and a clear error naming
 * the wrong argument for every kind of mistake. The environment is passed explicitly, so
 * the tests do not depend on the DHT_DATA_DIR of the shell that runs them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type ArgsResult,
  type ManagerArgs,
  type PeerArgs,
  parseDuration,
  parseManagerArgs,
  parsePeerArgs,
} from "../../../src/cli/args.ts";
import { DEFAULT_DATA_DIR } from "../../../src/data/data-dir.ts";

const noEnv: NodeJS.ProcessEnv = {};

function runArgs<T>(result: ArgsResult<T>): T {
  assert.equal(result.kind, "run", JSON.stringify(result));
  if (result.kind !== "run") throw new Error("unreachable");
  return result.args;
}

function errorOf<T>(result: ArgsResult<T>): string {
  assert.equal(result.kind, "error", JSON.stringify(result));
  return result.kind === "error" ? result.error : "";
}

// ---- dht-manager ----

test("manager: a port alone gives the defaults", () => {
  const args: ManagerArgs = runArgs(parseManagerArgs(["5000"], noEnv));
  assert.deepEqual(args, {
    port: 5000,
    host: "0.0.0.0",
    trace: "messages",
    waitTimeoutMs: 30_000,
    stateFile: "./stormring-manager.db",
    secret: null,
  });
});

test("manager: every option, before or after the port", () => {
  const expected: ManagerArgs = {
    port: 65_535,
    host: "127.0.0.1",
    trace: "verbose",
    waitTimeoutMs: 500,
    stateFile: "/tmp/m.db",
    secret: "s3cret",
  };
  const options = [
    "--host",
    "127.0.0.1",
    "--trace",
    "verbose",
    "--wait-timeout",
    "500ms",
    "--state-file",
    "/tmp/m.db",
    "--secret",
    "s3cret",
  ];
  assert.deepEqual(runArgs(parseManagerArgs(["65535", ...options], noEnv)), expected);
  assert.deepEqual(runArgs(parseManagerArgs([...options, "65535"], noEnv)), expected);
  assert.deepEqual(runArgs(parseManagerArgs(["--trace=quiet", "1"], noEnv)).trace, "quiet");
  assert.equal(runArgs(parseManagerArgs(["1"], noEnv)).port, 1);
});

test("--secret beats STORMRING_SECRET; an empty one is none", () => {
  const env = { STORMRING_SECRET: "from-env" };
  assert.equal(runArgs(parseManagerArgs(["5000"], env)).secret, "from-env");
  assert.equal(
    runArgs(parsePeerArgs(["127.0.0.1", "5000", "--secret", "mine"], env)).secret,
    "mine",
  );
  assert.equal(
    runArgs(parsePeerArgs(["127.0.0.1", "5000"], { STORMRING_SECRET: "" })).secret,
    null,
  );
});

test("manager: --help wins over everything else", () => {
  assert.deepEqual(parseManagerArgs(["--help"], noEnv), { kind: "help" });
  assert.deepEqual(parseManagerArgs(["5000", "--help"], noEnv), { kind: "help" });
  assert.deepEqual(parseManagerArgs(["--help", "not-a-port", "extra"], noEnv), { kind: "help" });
});

test("manager: missing or extra positionals are refused with the count", () => {
  assert.equal(errorOf(parseManagerArgs([], noEnv)), "expected 1 argument (the port), got 0");
  assert.equal(
    errorOf(parseManagerArgs(["5000", "5001"], noEnv)),
    "expected 1 argument (the port), got 2",
  );
});

test("manager: a bad port is refused, naming it", () => {
  for (const port of ["0", "65536", "99999", "abc", "50.5", "5e3", "0x10", ""]) {
    assert.equal(
      errorOf(parseManagerArgs([port], noEnv)),
      `port "${port}" is not a port from 1 to 65535`,
      `port ${JSON.stringify(port)}`,
    );
  }
  // A negative number looks like an option to the parser; it is refused all the same.
  assert.match(errorOf(parseManagerArgs(["-1"], noEnv)), /-1/);
});

test("manager: a bad --host is refused, naming it", () => {
  for (const host of ["1.2.3", "256.0.0.1", "localhost", "::1", "1.2.3.4.5", ""]) {
    assert.equal(
      errorOf(parseManagerArgs(["5000", "--host", host], noEnv)),
      `--host "${host}" is not an IPv4 address`,
    );
  }
});

test("manager: a bad or missing --trace value is refused", () => {
  assert.equal(
    errorOf(parseManagerArgs(["5000", "--trace", "loud"], noEnv)),
    '--trace "loud" is not one of quiet, messages, verbose',
  );
  assert.match(errorOf(parseManagerArgs(["5000", "--trace"], noEnv)), /--trace/);
});

test("manager: an unknown option is refused, naming it", () => {
  assert.match(errorOf(parseManagerArgs(["5000", "--verbose"], noEnv)), /--verbose/);
  assert.match(errorOf(parseManagerArgs(["5000", "--max-datagram", "600"], noEnv)), /max-datagram/);
});

test("manager: --data-dir is refused, since the manager reads no data", () => {
  assert.match(errorOf(parseManagerArgs(["5000", "--data-dir", "mine"], noEnv)), /--data-dir/);
});

test("peer: --data-dir beats DHT_DATA_DIR, which beats the shipped data/", () => {
  const env = { DHT_DATA_DIR: "/srv/storms" };
  const peer = (...extra: string[]) => ["127.0.0.1", "5000", ...extra];
  assert.equal(runArgs(parsePeerArgs(peer(), noEnv)).dataDir, DEFAULT_DATA_DIR);
  assert.equal(runArgs(parsePeerArgs(peer(), env)).dataDir, "/srv/storms");
  assert.equal(runArgs(parsePeerArgs(peer("--data-dir", "mine"), env)).dataDir, "mine");
});

// ---- dht-peer ----

test("peer: manager ip and port alone give the defaults", () => {
  const args: PeerArgs = runArgs(parsePeerArgs(["127.0.0.1", "5000"], noEnv));
  assert.deepEqual(args, {
    managerIp: "127.0.0.1",
    managerPort: 5000,
    maxDatagram: 1400,
    dataDir: DEFAULT_DATA_DIR,
    trace: "messages",
    probeIntervalMs: 1_000,
    deadAfterMs: 3_000,
    commandTimeoutMs: 35_000,
    secret: null,
  });
});

test("peer: every option", () => {
  const args = runArgs(
    parsePeerArgs(
      [
        "--max-datagram",
        "512",
        "10.0.0.254",
        "--trace",
        "quiet",
        "40000",
        "--data-dir",
        "d",
        "--probe-interval",
        "250",
        "--dead-after",
        "2.5s",
        "--command-timeout",
        "300s",
      ],
      noEnv,
    ),
  );
  assert.deepEqual(args, {
    managerIp: "10.0.0.254",
    managerPort: 40_000,
    maxDatagram: 512,
    dataDir: "d",
    trace: "quiet",
    probeIntervalMs: 250,
    deadAfterMs: 2_500,
    commandTimeoutMs: 300_000,
    secret: null,
  });
  const largest = ["0.0.0.0", "1", "--max-datagram", "16384"];
  assert.equal(runArgs(parsePeerArgs(largest, noEnv)).maxDatagram, 16_384);
});

test("peer: --help wins over everything else", () => {
  assert.deepEqual(parsePeerArgs(["--help"], noEnv), { kind: "help" });
  assert.deepEqual(parsePeerArgs(["127.0.0.1", "5000", "--help"], noEnv), { kind: "help" });
  assert.deepEqual(parsePeerArgs(["--help", "bad"], noEnv), { kind: "help" });
});

test("peer: missing or extra positionals are refused with the count", () => {
  const expected = (count: number) => `expected 2 arguments (manager ip and port), got ${count}`;
  assert.equal(errorOf(parsePeerArgs([], noEnv)), expected(0));
  assert.equal(errorOf(parsePeerArgs(["127.0.0.1"], noEnv)), expected(1));
  assert.equal(errorOf(parsePeerArgs(["127.0.0.1", "5000", "5001"], noEnv)), expected(3));
});

test("peer: a bad manager ip is refused, naming it", () => {
  for (const ip of ["1.2.3", "300.1.1.1", "localhost", "01.2.3.4", "a.b.c.d"]) {
    assert.equal(
      errorOf(parsePeerArgs([ip, "5000"], noEnv)),
      `manager ip "${ip}" is not an IPv4 address`,
    );
  }
});

test("peer: a bad manager port is refused, naming it", () => {
  for (const port of ["0", "65536", "port", "12.5"]) {
    assert.equal(
      errorOf(parsePeerArgs(["127.0.0.1", port], noEnv)),
      `manager port "${port}" is not a port from 1 to 65535`,
    );
  }
});

test("peer: a bad --max-datagram is refused, naming it", () => {
  for (const size of ["511", "16385", "0", "big", "1e3", "1400.5", ""]) {
    assert.equal(
      errorOf(parsePeerArgs(["127.0.0.1", "5000", "--max-datagram", size], noEnv)),
      `--max-datagram "${size}" is not a size from 512 to 16384 bytes`,
    );
  }
});

test("peer: a bad --trace is refused", () => {
  assert.equal(
    errorOf(parsePeerArgs(["127.0.0.1", "5000", "--trace", "everything"], noEnv)),
    '--trace "everything" is not one of quiet, messages, verbose',
  );
});

test("peer: an unknown option is refused, naming it", () => {
  assert.match(errorOf(parsePeerArgs(["127.0.0.1", "5000", "--host", "x"], noEnv)), /--host/);
});

test("peer: --data-dir beats DHT_DATA_DIR, which beats the shipped data/", () => {
  const env = { DHT_DATA_DIR: "../shared/data" };
  const base = ["127.0.0.1", "5000"];
  assert.equal(runArgs(parsePeerArgs(base, noEnv)).dataDir, DEFAULT_DATA_DIR);
  assert.equal(runArgs(parsePeerArgs(base, env)).dataDir, "../shared/data");
  assert.equal(runArgs(parsePeerArgs([...base, "--data-dir", "/x"], env)).dataDir, "/x");
});

test("durations take ms or s, and name the option when wrong", () => {
  assert.equal(parseDuration("500ms", "x"), 500);
  assert.equal(parseDuration("3s", "x"), 3_000);
  assert.equal(parseDuration("1.5s", "x"), 1_500);
  assert.equal(parseDuration("40", "x"), 40);
  for (const bad of ["", "0", "-1s", "3 s", "1h", "s", "99999s"]) {
    assert.throws(() => parseDuration(bad, "dead-after"), /--dead-after ".*" is not a duration/);
  }
  assert.match(
    errorOf(parsePeerArgs(["127.0.0.1", "5000", "--dead-after", "soon"], noEnv)),
    /--dead-after "soon"/,
  );
});
