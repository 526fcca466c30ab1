import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { whyNoYear, yearToPick } from "../src/model/years.ts";

const loaded = { dataDir: "data", years: ["1950", "1996", "2007"] };

describe("years of the data folder", () => {
  it("picks a year just fetched, else the one chosen, else the newest", () => {
    assert.equal(yearToPick(loaded, "1950", "1996"), "1996");
    assert.equal(yearToPick(loaded, "1950", null), "1950");
    assert.equal(yearToPick(loaded, "1950", "2008"), "1950");
    assert.equal(yearToPick(loaded, "", null), "2007");
    assert.equal(yearToPick({ dataDir: "data", years: [] }, "1996", null), "");
  });

  it("holds setup-dht back while the years load or when there is none", () => {
    assert.equal(whyNoYear(null), "loading the years the data folder holds");
    assert.equal(
      whyNoYear({ dataDir: "/srv/data", years: [] }),
      "no year's data in /srv/data: fetch one below",
    );
    assert.equal(whyNoYear(loaded), null);
  });
});
