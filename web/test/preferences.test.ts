import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  LAYOUT_KEY,
  parseLayout,
  parseTextSize,
  parseTheme,
  preferencesFrom,
  systemTheme,
  TEXT_SIZE_KEY,
  THEME_KEY,
} from "../src/model/preferences.ts";

function storageOf(items: Record<string, string>): Pick<Storage, "getItem"> {
  return { getItem: (key) => items[key] ?? null };
}

describe("parseTheme", () => {
  it("accepts the two themes", () => {
    assert.equal(parseTheme("dark"), "dark");
    assert.equal(parseTheme("light"), "light");
  });

  it("reads anything else as no choice", () => {
    for (const stored of [null, "", "Light", "sepia", "true"])
      assert.equal(parseTheme(stored), null);
  });
});

describe("parseTextSize", () => {
  it("reads large, and anything else as normal", () => {
    assert.equal(parseTextSize("large"), "large");
    for (const stored of [null, "", "normal", "huge", "LARGE"]) {
      assert.equal(parseTextSize(stored), "normal");
    }
  });
});

describe("systemTheme", () => {
  it("follows prefers-color-scheme, dark unless light is asked for", () => {
    assert.equal(systemTheme(true), "light");
    assert.equal(systemTheme(false), "dark");
  });
});

describe("preferencesFrom", () => {
  it("takes the system theme and normal text when nothing is stored", () => {
    assert.deepEqual(preferencesFrom(storageOf({}), true), {
      theme: "light",
      themeChosen: false,
      textSize: "normal",
      layout: "standard",
    });
    assert.equal(preferencesFrom(null, false).theme, "dark");
  });

  it("prefers a stored theme over the system's", () => {
    const stored = storageOf({ [THEME_KEY]: "dark", [TEXT_SIZE_KEY]: "large" });
    assert.deepEqual(preferencesFrom(stored, true), {
      theme: "dark",
      themeChosen: true,
      textSize: "large",
      layout: "standard",
    });
  });

  it("ignores an invalid stored theme", () => {
    const stored = storageOf({ [THEME_KEY]: "blue" });
    assert.deepEqual(preferencesFrom(stored, false), {
      theme: "dark",
      themeChosen: false,
      textSize: "normal",
      layout: "standard",
    });
  });

  it("falls back to the defaults when storage throws", () => {
    const blocked: Pick<Storage, "getItem"> = {
      getItem: () => {
        throw new Error("SecurityError");
      },
    };
    assert.deepEqual(preferencesFrom(blocked, true), {
      theme: "light",
      themeChosen: false,
      textSize: "normal",
      layout: "standard",
    });
  });
});

describe("the presentation layout", () => {
  it("is remembered, and anything unknown reads as standard", () => {
    assert.equal(parseLayout("presentation"), "presentation");
    assert.equal(parseLayout(null), "standard");
    assert.equal(parseLayout("wide"), "standard");
    assert.equal(
      preferencesFrom(storageOf({ [LAYOUT_KEY]: "presentation" }), false).layout,
      "presentation",
    );
  });
});
