import assert from "node:assert/strict";
import { test } from "node:test";
import {
  FAULTS_ENV,
  faultsFromEnvironment,
  parseFaults,
  RunTimeFaults,
  withFaults,
} from "../../../src/transport/faults.ts";
import type { Address } from "../../../src/transport/udp.ts";

test("parses the fault settings and fills in defaults", () => {
  assert.deepEqual(parseFaults("drop=0.05,dup=0.05,delay=0.05,delayMs=50"), {
    drop: 0.05,
    dup: 0.05,
    delay: 0.05,
    delayMs: 50,
  });
  assert.deepEqual(parseFaults(" drop=0.5 "), { drop: 0.5, dup: 0, delay: 0, delayMs: 50 });
});

test("rejects malformed settings with a message naming the part", () => {
  assert.throws(() => parseFaults("drop"), /"drop" is not key=value/);
  assert.throws(() => parseFaults("drop=lots"), /drop must be a number/);
  assert.throws(() => parseFaults("drop=1.5"), /drop is a probability in 0..1/);
  assert.throws(() => parseFaults("delayMs=-1"), /delayMs must be >= 0/);
  assert.throws(() => parseFaults("loss=0.1"), /unknown setting "loss"/);
});

test("off unless the environment variable is set", () => {
  assert.equal(faultsFromEnvironment({}), undefined);
  assert.equal(faultsFromEnvironment({ [FAULTS_ENV]: " " }), undefined);
  assert.equal(faultsFromEnvironment({ [FAULTS_ENV]: "dup=1" })?.dup, 1);
});

test("drops, duplicates and delays according to the random draws", async () => {
  const delivered: string[] = [];
  const to: Address = { ip: "127.0.0.1", port: 9 };
  const send = (bytes: Buffer) => delivered.push(bytes.toString());
  const settings = { drop: 0.5, dup: 0.5, delay: 0.5, delayMs: 5 };
  // Per send: drop?, then delay? (+ delay amount) for the copy, then dup? (+ the same again).
  const draws = [0.9, 0.9, 0.9, 0.1, 0.9, 0.9, 0.1, 0.9, 0.9, 0.1, 0.5, 0.9];
  const random = () => draws.shift() ?? 0.9;
  const faulty = withFaults(send, settings, random);
  faulty(Buffer.from("kept"), to);
  faulty(Buffer.from("dropped"), to);
  faulty(Buffer.from("twice"), to);
  faulty(Buffer.from("late"), to);
  assert.deepEqual(delivered, ["kept", "twice", "twice"]);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(delivered, ["kept", "twice", "twice", "late"]);
});

test("run-time loss is a share in 0..0.5, drawn per datagram", () => {
  const draws = [0.1, 0.3, 0.2];
  const faults = new RunTimeFaults(() => draws.shift() ?? 0.9);
  assert.equal(faults.loss, 0);
  assert.equal(faults.losesDatagram(), false, "no draw while the loss is 0");
  faults.setLoss(0.25);
  assert.deepEqual(
    [faults.losesDatagram(), faults.losesDatagram(), faults.losesDatagram()],
    [true, false, true],
  );
  for (const bad of [-0.1, 0.51, Number.NaN]) {
    assert.throws(() => faults.setLoss(bad), RangeError, String(bad));
  }
  assert.equal(faults.loss, 0.25, "a refused setting changes nothing");
});

test("drop next takes one message on that link, never a probe or an ack", () => {
  const faults = new RunTimeFaults();
  const bravo: Address = { ip: "127.0.0.1", port: 5004 };
  const charlie: Address = { ip: "127.0.0.1", port: 5006 };
  assert.equal(faults.takesNextMessage(bravo, "find-event"), false, "nothing asked for yet");
  faults.dropNextTo(bravo);
  assert.equal(faults.takesNextMessage(charlie, "find-event"), false, "another link");
  assert.equal(faults.takesNextMessage(bravo, "probe"), false);
  assert.equal(faults.takesNextMessage(bravo, "ack"), false);
  assert.equal(faults.takesNextMessage(bravo, "find-event"), true);
  assert.equal(faults.takesNextMessage(bravo, "find-event"), false, "only once");
});
