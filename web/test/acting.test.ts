import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { REPLAYING_SESSION, VIEWING_PAST, whyNotNow } from "../src/model/acting.ts";

describe("whyNotNow", () => {
  it("lets clicks act only live, never in the past or a recorded session", () => {
    assert.equal(whyNotNow({ replaying: false, pinned: null, newest: 9 }), null);
    assert.equal(
      whyNotNow({ replaying: false, pinned: 9, newest: 9 }),
      null,
      "paused at the newest",
    );
    assert.equal(whyNotNow({ replaying: false, pinned: 4, newest: 9 }), VIEWING_PAST);
    assert.equal(whyNotNow({ replaying: true, pinned: null, newest: 9 }), REPLAYING_SESSION);
  });
});
