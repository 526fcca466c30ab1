/**
 * The peer's console commands (PROTOCOL.md section 2): every form parses to its command,
 * and every mistake gives a message naming the wrong word and the command's usage.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Command,
  HELP_LINES,
  type ParseResult,
  parseCommand,
} from "../../../src/peer/command-line.ts";

function commandOf(line: string): Command {
  const result = parseCommand(line);
  assert.ok(result.ok, `${JSON.stringify(line)}: ${result.ok ? "" : result.error}`);
  return result.command;
}

function errorOf(line: string): string {
  const result: ParseResult = parseCommand(line);
  assert.equal(result.ok, false, `${JSON.stringify(line)} parsed as ${JSON.stringify(result)}`);
  return result.ok ? "" : result.error;
}

test("register parses name, address and both ports", () => {
  assert.deepEqual(commandOf("register alice 127.0.0.1 5001 5002"), {
    kind: "register",
    name: "alice",
    ip: "127.0.0.1",
    mport: 5001,
    pport: 5002,
  });
  assert.deepEqual(commandOf("  register   bob\t10.0.0.255 1 65535  "), {
    kind: "register",
    name: "bob",
    ip: "10.0.0.255",
    mport: 1,
    pport: 65_535,
  });
});

test("setup-dht parses name, ring size and year", () => {
  assert.deepEqual(commandOf("setup-dht alpha 5 1996"), {
    kind: "setup-dht",
    name: "alpha",
    ringSize: 5,
    year: "1996",
    replication: null,
  });
  // n < 3 is the manager's to refuse (N_TOO_SMALL), not the console's.
  assert.deepEqual(commandOf("setup-dht alpha 1 0001"), {
    kind: "setup-dht",
    name: "alpha",
    ringSize: 1,
    year: "0001",
    replication: null,
  });
});

test("query-dht parses with or without an event id", () => {
  assert.deepEqual(commandOf("query-dht foxtrot"), {
    kind: "query-dht",
    name: "foxtrot",
    eventId: null,
  });
  assert.deepEqual(commandOf("query-dht foxtrot 5536849"), {
    kind: "query-dht",
    name: "foxtrot",
    eventId: 5_536_849,
  });
  assert.deepEqual(commandOf("query-dht f 0"), { kind: "query-dht", name: "f", eventId: 0 });
  assert.deepEqual(commandOf(`query-dht f ${Number.MAX_SAFE_INTEGER}`), {
    kind: "query-dht",
    name: "f",
    eventId: Number.MAX_SAFE_INTEGER,
  });
});

test("the one-name commands parse", () => {
  const kinds = [
    "leave-dht",
    "join-dht",
    "deregister",
    "teardown-dht",
    "dht-complete",
    "teardown-complete",
  ] as const;
  for (const kind of kinds) {
    assert.deepEqual(commandOf(`${kind} delta`), { kind, name: "delta" });
  }
});

test("dht-rebuilt parses the name and the new leader", () => {
  assert.deepEqual(commandOf("dht-rebuilt echo delta"), {
    kind: "dht-rebuilt",
    name: "echo",
    leader: "delta",
  });
});

test("setup-dht takes replicas= and consistency=, each once, in either order", () => {
  assert.deepEqual(commandOf("setup-dht a 5 1996 consistency=eventual replicas=3"), {
    kind: "setup-dht",
    name: "a",
    ringSize: 5,
    year: "1996",
    replication: { replicas: 3, consistency: "eventual" },
  });
  assert.deepEqual(
    (commandOf("setup-dht a 5 1996 replicas=2") as { replication: unknown }).replication,
    { replicas: 2, consistency: "chain" },
  );
  assert.match(errorOf("setup-dht a 5 1996 replicas=x"), /^replicas "x" is not a whole number/);
  assert.match(errorOf("setup-dht a 5 1996 consistency=weak"), /neither chain nor eventual/);
  assert.match(errorOf("setup-dht a 5 1996 replicas=2 replicas=3"), /replicas= is given twice/);
  assert.match(errorOf("setup-dht a 5 1996 copies=2"), /"copies=2" is not an option/);
});

test("insert-event takes the rest of the line as one CSV row of 14 checked fields", () => {
  const fields = ["77", "a b", "c,d", ...Array.from({ length: 11 }, (_, i) => `f${i}`)];
  const line = fields.map((field) => (field.includes(",") ? `"${field}"` : field)).join(",");
  assert.deepEqual(commandOf(`insert-event  w   ${line}`), {
    kind: "insert-event",
    name: "w",
    record: fields,
  });
  assert.match(errorOf("insert-event w 1,2,3"), /bad fields: expected 14 fields, found 3/);
  assert.match(errorOf(`insert-event w x${line}`), /bad fields: event id "x77"/);
  assert.match(errorOf("insert-event w"), /insert-event takes a name and 14 fields/);
  assert.deepEqual(commandOf("delete-event w 12"), {
    kind: "delete-event",
    name: "w",
    eventId: 12,
  });
  assert.match(errorOf("delete-event w twelve"), /event id "twelve" is not a whole number/);
});

test("status and help take no arguments", () => {
  assert.deepEqual(commandOf("status"), { kind: "status" });
  assert.deepEqual(commandOf(" help "), { kind: "help" });
  assert.equal(errorOf("status now"), "status takes no arguments (usage: status)");
  assert.equal(errorOf("help me"), "help takes no arguments (usage: help)");
});

test("help lists the usage of every command", () => {
  assert.equal(HELP_LINES[0], "commands:");
  for (const usage of [
    "register <name> <ipv4> <m-port> <p-port>",
    "setup-dht <name> <n> <YYYY> [replicas=<k>] [consistency=chain|eventual]",
    "query-dht <name> [<event-id>]",
    "insert-event <name> <14 fields, comma-separated as in details-YYYY.csv>",
    "delete-event <name> <event-id>",
    "leave-dht <name>",
    "join-dht <name>",
    "deregister <name>",
    "teardown-dht <name>",
    "dht-rebuilt <name> <new-leader>",
  ]) {
    assert.ok(HELP_LINES.includes(`  ${usage}`), usage);
  }
});

test("an empty line is an empty command", () => {
  assert.equal(errorOf(""), "empty command");
  assert.equal(errorOf("   \t "), "empty command");
});

test("an unknown command is named, with a pointer to help", () => {
  assert.equal(errorOf("frobnicate"), 'unknown command "frobnicate" (type help for the list)');
  assert.equal(
    errorOf("frobnicate a b c"),
    'unknown command "frobnicate" (type help for the list)',
  );
  // Commands are case-sensitive, and Object.prototype names are not commands.
  assert.match(errorOf("REGISTER a 1.2.3.4 1 2"), /^unknown command "REGISTER"/);
  for (const line of ["constructor", "toString x", "__proto__", "hasOwnProperty alice"]) {
    const verb = line.split(" ")[0];
    assert.equal(errorOf(line), `unknown command "${verb}" (type help for the list)`, line);
  }
});

test("a wrong number of arguments names the command and its usage", () => {
  const cases: [string, string][] = [
    [
      "register alice 127.0.0.1 5001",
      "register takes 4 arguments (usage: register <name> <ipv4> <m-port> <p-port>)",
    ],
    [
      "register alice 127.0.0.1 5001 5002 5003",
      "register takes 4 arguments (usage: register <name> <ipv4> <m-port> <p-port>)",
    ],
    [
      "setup-dht alpha 5",
      "setup-dht takes 3 arguments and up to 2 options (usage: setup-dht <name> <n> <YYYY> [replicas=<k>] [consistency=chain|eventual])",
    ],
    [
      "setup-dht alpha 5 1996 x y z",
      "setup-dht takes 3 arguments and up to 2 options (usage: setup-dht <name> <n> <YYYY> [replicas=<k>] [consistency=chain|eventual])",
    ],
    [
      "query-dht",
      "query-dht takes a name and optionally an event id (usage: query-dht <name> [<event-id>])",
    ],
    [
      "query-dht a 1 2",
      "query-dht takes a name and optionally an event id (usage: query-dht <name> [<event-id>])",
    ],
    ["dht-rebuilt echo", "dht-rebuilt takes 2 arguments (usage: dht-rebuilt <name> <new-leader>)"],
    ["leave-dht", "leave-dht takes 1 argument (usage: leave-dht <name>)"],
    ["join-dht a b", "join-dht takes 1 argument (usage: join-dht <name>)"],
    ["deregister", "deregister takes 1 argument (usage: deregister <name>)"],
    ["teardown-dht a b", "teardown-dht takes 1 argument (usage: teardown-dht <name>)"],
    ["dht-complete", "dht-complete takes 1 argument (usage: dht-complete <name>)"],
    ["teardown-complete", "teardown-complete takes 1 argument (usage: teardown-complete <name>)"],
  ];
  for (const [line, error] of cases) assert.equal(errorOf(line), error, line);
});

test("register refuses an address that is not IPv4, naming it", () => {
  for (const ip of [
    "1.2.3",
    "1.2.3.4.5",
    "256.1.1.1",
    "localhost",
    "01.1.1.1",
    "1.2.3.-4",
    "1.2.3.4.",
  ]) {
    assert.equal(
      errorOf(`register bob ${ip} 5 6`),
      `"${ip}" is not an IPv4 address (usage: register <name> <ipv4> <m-port> <p-port>)`,
    );
  }
});

test("register refuses a bad m-port or p-port, naming which", () => {
  for (const port of ["0", "65536", "port", "50.1", "-5", "1e3"]) {
    assert.equal(
      errorOf(`register bob 127.0.0.1 ${port} 6000`),
      `m-port "${port}" is not a port from 1 to 65535 (usage: register <name> <ipv4> <m-port> <p-port>)`,
    );
    assert.equal(
      errorOf(`register bob 127.0.0.1 6000 ${port}`),
      `p-port "${port}" is not a port from 1 to 65535 (usage: register <name> <ipv4> <m-port> <p-port>)`,
    );
  }
});

test("setup-dht refuses a ring size that is not a whole number", () => {
  for (const n of ["x", "-3", "3.5", "three"]) {
    assert.equal(
      errorOf(`setup-dht alpha ${n} 1996`),
      `n "${n}" is not a whole number (usage: setup-dht <name> <n> <YYYY> [replicas=<k>] [consistency=chain|eventual])`,
    );
  }
});

test("setup-dht refuses a ring size above 4096, the largest ring there can be", () => {
  for (const n of ["4097", "10000", "99999999999999999999", "100000000000000000000000000000"]) {
    assert.equal(
      errorOf(`setup-dht alpha ${n} 1996`),
      `n "${n}" is more than 4096, the largest ring there can be (usage: setup-dht <name> <n> <YYYY> [replicas=<k>] [consistency=chain|eventual])`,
    );
  }
  assert.equal(commandOf("setup-dht alpha 4096 1996").kind, "setup-dht");
  assert.deepEqual(commandOf("setup-dht alpha 0004096 1996"), {
    kind: "setup-dht",
    name: "alpha",
    ringSize: 4096,
    year: "1996",
    replication: null,
  });
});

test("setup-dht sends n below 3 on, for the manager to refuse with N_TOO_SMALL", () => {
  for (const n of [0, 1, 2]) {
    assert.deepEqual(commandOf(`setup-dht alpha ${n} 1996`), {
      kind: "setup-dht",
      name: "alpha",
      ringSize: n,
      year: "1996",
      replication: null,
    });
  }
});

test("register's ports are range-checked at both ends", () => {
  assert.deepEqual(commandOf("register bob 127.0.0.1 1 65535"), {
    kind: "register",
    name: "bob",
    ip: "127.0.0.1",
    mport: 1,
    pport: 65_535,
  });
  for (const port of ["0", "65536", "99999999999999999999"]) {
    assert.match(errorOf(`register bob 127.0.0.1 ${port} 6000`), /is not a port from 1 to 65535/);
    assert.match(errorOf(`register bob 127.0.0.1 6000 ${port}`), /is not a port from 1 to 65535/);
  }
});

test("setup-dht refuses a year that is not four digits", () => {
  for (const year of ["96", "19960", "199x", "year", "-996"]) {
    assert.equal(
      errorOf(`setup-dht alpha 3 ${year}`),
      `year "${year}" is not four digits (usage: setup-dht <name> <n> <YYYY> [replicas=<k>] [consistency=chain|eventual])`,
    );
  }
});

test("query-dht refuses an event id that is not a whole number a double holds exactly", () => {
  for (const eventId of ["abc", "-1", "12.5", "1e6", "0x10", "9007199254740993"]) {
    assert.equal(
      errorOf(`query-dht foxtrot ${eventId}`),
      `event id "${eventId}" is not a whole number (usage: query-dht <name> [<event-id>])`,
    );
  }
});

test("a name too long for any datagram is refused before anything is sent", () => {
  const longName = "a".repeat(65);
  assert.deepEqual(parseCommand(`deregister ${longName}`), {
    ok: false,
    error: "name is longer than 64 characters",
  });
  assert.deepEqual(parseCommand(`dht-rebuilt alice ${longName}`), {
    ok: false,
    error: "leader is longer than 64 characters",
  });
});
