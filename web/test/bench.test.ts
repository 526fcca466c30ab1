import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BenchFile } from "../src/api/types.ts";
import { benchGroups, benchTitle, benchUrl } from "../src/model/bench.ts";

const file = (name: string): BenchFile => ({
  name,
  kind: name.endsWith(".svg") ? "svg" : "json",
  bytes: 1,
  modified: "2026-12-08T00:00:00.000Z",
});

describe("benchGroups", () => {
  it("groups results by benchmark, plots first: scale, replication, then others", () => {
    const groups = benchGroups(
      [
        "dashboard.json",
        "latency-vs-k.svg",
        "replication-reads.svg",
        "replication.json",
        "scale-time-vs-n.svg",
        "scale-rss-vs-share.svg",
        "scale.json",
        "start.json",
      ].map(file),
    );
    assert.deepEqual(
      groups.map((group) => [
        group.name,
        group.plots.map((plot) => plot.title),
        group.data.map((data) => data.file),
      ]),
      [
        ["scale", ["time vs n", "rss vs share"], ["scale.json"]],
        ["replication", ["reads"], ["replication.json"]],
        ["latency", ["vs k"], []],
        ["dashboard", [], ["dashboard.json"]],
        ["start", [], ["start.json"]],
      ],
    );
  });

  it("shows whatever the listing returns, and nothing for an empty one", () => {
    assert.deepEqual(benchGroups([]), []);
    const [only] = benchGroups([file("replication-throughput-vs-k.svg")]);
    assert.equal(only?.plots[0]?.url, "/api/bench/replication-throughput-vs-k.svg");
  });
});

describe("benchTitle and benchUrl", () => {
  it("titles a result by the words after its benchmark's", () => {
    assert.equal(benchTitle("scale-time-vs-records.svg"), "time vs records");
    assert.equal(benchTitle("scale.json"), "results");
  });

  it("asks the API for the file by its encoded name", () => {
    assert.equal(benchUrl("scale.json"), "/api/bench/scale.json");
    assert.equal(benchUrl("a b.svg"), "/api/bench/a%20b.svg");
  });
});
