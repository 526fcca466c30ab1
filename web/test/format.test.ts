import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatCount, formatDeviation, formatOneDecimal } from "../src/model/format.ts";

describe("format", () => {
  it("writes counts whole, with thousands separators", () => {
    assert.equal(formatCount(48_534), "48,534");
    assert.equal(formatCount(9706.8), "9,707");
  });

  it("writes a deviation as a signed percentage with one decimal", () => {
    assert.equal(formatDeviation(-0.002), "−0.2%");
    assert.equal(formatDeviation(0.0014), "+0.1%");
    assert.equal(formatDeviation(0), "+0.0%");
  });

  it("writes at most one decimal, none when whole", () => {
    assert.equal(formatOneDecimal(2.625), "2.6");
    assert.equal(formatOneDecimal(3), "3");
    assert.equal(formatOneDecimal(2.96), "3");
  });
});
