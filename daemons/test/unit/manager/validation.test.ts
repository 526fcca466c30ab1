import assert from "node:assert/strict";
import { test } from "node:test";
import {
  isFourDigitYear,
  isValidIpv4,
  isValidPeerName,
  isValidPort,
  sourceIpv4,
} from "../../../src/manager/validation.ts";

test("peer names are 1 to 15 ASCII letters", () => {
  assert.ok(isValidPeerName("a"));
  assert.ok(isValidPeerName("abcdefghijklmnO"));
  for (const name of ["", "abcdefghijklmnop", "a1", "a b", "é", "a_b"]) {
    assert.ok(!isValidPeerName(name), name);
  }
});

test("IPv4 addresses are four decimal octets 0-255 without leading zeros", () => {
  for (const ip of ["0.0.0.0", "127.0.0.1", "192.168.10.255", "255.255.255.255"]) {
    assert.ok(isValidIpv4(ip), ip);
  }
  for (const ip of ["256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4 ", "+1.2.3.4"]) {
    assert.ok(!isValidIpv4(ip), ip);
  }
  for (const ip of ["1..3.4", "0x7f.0.0.1", "1.2.3.1000", "localhost", ""]) {
    assert.ok(!isValidIpv4(ip), ip);
  }
});

test("ports are integers 1..65535", () => {
  assert.ok(isValidPort(1));
  assert.ok(isValidPort(65_535));
  for (const port of [0, 65_536, -1, 1.5, Number.NaN]) assert.ok(!isValidPort(port), `${port}`);
});

test("years are four ASCII digits", () => {
  assert.ok(isFourDigitYear("1996"));
  for (const year of ["996", "19960", "199a", "١٩٩٦", " 1996"]) {
    assert.ok(!isFourDigitYear(year), year);
  }
});

test("an IPv4-mapped IPv6 source address is read as the IPv4 address", () => {
  assert.equal(sourceIpv4("::ffff:10.0.0.1"), "10.0.0.1");
  assert.equal(sourceIpv4("10.0.0.1"), "10.0.0.1");
  assert.equal(sourceIpv4("::1"), "::1");
});
