/** The control channel's command-line options of both daemons. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type ArgsResult, parseManagerArgs, parsePeerArgs } from "../../../src/cli/args.ts";

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

test("no --control-port: no control channel", () => {
  assert.equal("control" in runArgs(parseManagerArgs(["5000"], noEnv)), false);
  assert.equal("control" in runArgs(parsePeerArgs(["127.0.0.1", "5000"], noEnv)), false);
});

test("--control-port alone: loopback, no token, no browser origins", () => {
  const expected = { port: 8080, host: "127.0.0.1", token: null, origins: [] };
  assert.deepEqual(
    runArgs(parseManagerArgs(["5000", "--control-port", "8080"], noEnv)).control,
    expected,
  );
  assert.deepEqual(
    runArgs(parsePeerArgs(["127.0.0.1", "5000", "--control-port", "8080"], noEnv)).control,
    expected,
  );
  assert.equal(runArgs(parseManagerArgs(["5000", "--control-port", "0"], noEnv)).control?.port, 0);
});

test("every control option, and the token from the environment", () => {
  const args = runArgs(
    parsePeerArgs(
      [
        "127.0.0.1",
        "5000",
        "--control-port=9000",
        "--control-host",
        "0.0.0.0",
        "--control-token",
        "flag",
        "--control-origins",
        "http://localhost:3000, https://dash.example",
      ],
      { STORMRING_CONTROL_TOKEN: "env" },
    ),
  );
  assert.deepEqual(args.control, {
    port: 9000,
    host: "0.0.0.0",
    token: "flag",
    origins: ["http://localhost:3000", "https://dash.example"],
  });
  const fromEnv = parseManagerArgs(["5000", "--control-port", "1"], {
    STORMRING_CONTROL_TOKEN: "env",
  });
  assert.equal(runArgs(fromEnv).control?.token, "env");
  const empty = parseManagerArgs(["5000", "--control-port", "1"], { STORMRING_CONTROL_TOKEN: "" });
  assert.equal(runArgs(empty).control?.token, null);
});

test("wrong control options are named", () => {
  assert.equal(
    errorOf(parseManagerArgs(["5000", "--control-port", "70000"], noEnv)),
    '--control-port "70000" is not a port from 0 to 65535',
  );
  assert.equal(
    errorOf(parseManagerArgs(["5000", "--control-port", "x"], noEnv)),
    '--control-port "x" is not a port from 0 to 65535',
  );
  assert.equal(
    errorOf(
      parseManagerArgs(["5000", "--control-port", "1", "--control-host", "localhost"], noEnv),
    ),
    '--control-host "localhost" is not an IPv4 address',
  );
  assert.equal(
    errorOf(parseManagerArgs(["5000", "--control-token", "t"], noEnv)),
    "--control-token needs --control-port",
  );
  assert.match(
    errorOf(
      parsePeerArgs(["127.0.0.1", "5000", "--control-port", "1", "--control-origins", "*"], noEnv),
    ),
    /--control-origins "\*" is not an origin/,
  );
});
