import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CommandResult } from "../src/api/types.ts";
import {
  addressLine,
  exitLine,
  holdsCopies,
  missingYearOf,
  peerLabel,
  recordsLine,
} from "../src/model/peer-card.ts";
import { peerAt, peerSnapshot } from "./support/fixtures.ts";

describe("peer card", () => {
  it("names a card by daemon id, registered name and status", () => {
    assert.equal(peerLabel(peerAt("peer-1", "alpha", "Free")), "peer-1: alpha, Free");
    assert.equal(
      peerLabel(peerAt("peer-2", null, "unregistered")),
      "peer-2: unregistered, unregistered",
    );
  });

  it("shows the registered addresses, or why there are none", () => {
    assert.equal(
      addressLine(peerAt("peer-1", "alpha", "Free")),
      "127.0.0.1  m-port 50001  p-port 50002",
    );
    assert.equal(
      addressLine(peerAt("peer-2", null, "unregistered")),
      "not registered with the manager",
    );
    assert.equal(addressLine(peerAt("peer-3", null, "dead")), "not running");
  });

  it("says a crash is a crash: the signal, or the exit code that was not 0", () => {
    const dead = peerAt("peer-1", "alpha", "dead");
    const lastOutput = ["[supervisor] exited on SIGKILL"];
    assert.equal(
      exitLine({ ...dead, ended: "crashed", signal: "SIGKILL", lastOutput }),
      "crashed (SIGKILL)",
    );
    assert.equal(exitLine({ ...dead, ended: "crashed", exitCode: 1 }), "crashed (exit code 1)");
    assert.equal(
      exitLine({ ...dead, ended: "exited", exitCode: 0 }),
      "deregistered and exited (code 0)",
    );
  });

  it("says how a dead peer ended: the supervisor's last line, else that it exited", () => {
    const dead = peerAt("peer-1", "alpha", "dead");
    assert.equal(exitLine(dead), "its process has exited");
    const lastOutput = ["[supervisor] peer-1 started", "hello", "[supervisor] peer-1 exited (1)"];
    assert.equal(exitLine({ ...dead, lastOutput }), "[supervisor] peer-1 exited (1)");
    assert.equal(exitLine({ ...dead, remote: true, lastOutput }), "its control channel has closed");
  });

  it("says how many records a member holds, and on a replicated ring which are copies", () => {
    assert.equal(recordsLine(peerSnapshot("alpha", { recordsHeld: 9_707 })), "9,707 records");
    const replicated = peerSnapshot("alpha", {
      recordsHeld: 19_414,
      copiesHeld: 9_700,
      replication: { replicas: 2, consistency: "chain" },
    });
    assert.equal(recordsLine(replicated), "19,414 records (9,714 primary, 9,700 copies)");
    assert.equal(holdsCopies(replicated), true);
    // Set up with replicas=2 but not stored yet: still said, with no copies.
    const empty = { replicas: 2, consistency: "eventual" } as const;
    assert.equal(
      recordsLine(peerSnapshot("alpha", { replication: empty })),
      "0 records (0 primary, 0 copies)",
    );
    const single = { replicas: 1, consistency: "eventual" } as const;
    const plain = peerSnapshot("alpha", { recordsHeld: 5, replication: single });
    assert.equal(recordsLine(plain), "5 records");
    assert.equal(holdsCopies(plain), false);
  });

  it("finds the year a command failed for lack of", () => {
    const failed = (failure: CommandResult["failure"]): CommandResult => ({
      ok: false,
      lines: [],
      failure,
    });
    assert.equal(missingYearOf(failed({ reason: "MISSING_YEAR", year: "2007" })), "2007");
    assert.equal(missingYearOf(failed({ reason: "REFUSED" })), null);
    assert.equal(missingYearOf({ ok: true, lines: [] }), null);
    assert.equal(missingYearOf(undefined), null);
  });
});
