/**
 * Display preferences for projecting the dashboard: a light or dark theme, large text, and
 * the presentation layout (ring and diagram side by side). All are remembered in
 * localStorage; without a stored theme the system's
 * `prefers-color-scheme` decides, and keeps deciding as it changes.
 */
export type Theme = "dark" | "light";
export type TextSize = "normal" | "large";
export type Layout = "standard" | "presentation";

export interface Preferences {
  theme: Theme;
  /** Whether the theme was chosen here (stored) rather than taken from the system. */
  themeChosen: boolean;
  textSize: TextSize;
  layout: Layout;
}

export const THEME_KEY = "stormring.theme";
export const TEXT_SIZE_KEY = "stormring.text-size";
export const LAYOUT_KEY = "stormring.layout";
export const LIGHT_SCHEME_QUERY = "(prefers-color-scheme: light)";

/** A stored theme, or null when nothing (or something unknown) is stored. */
export function parseTheme(stored: string | null): Theme | null {
  return stored === "dark" || stored === "light" ? stored : null;
}

/** A stored text size; anything unknown reads as normal. */
export function parseTextSize(stored: string | null): TextSize {
  return stored === "large" ? "large" : "normal";
}

/** A stored layout; anything unknown reads as standard. */
export function parseLayout(stored: string | null): Layout {
  return stored === "presentation" ? "presentation" : "standard";
}

/** The theme the system asks for; dark unless it prefers light (dark is the design default). */
export function systemTheme(prefersLight: boolean): Theme {
  return prefersLight ? "light" : "dark";
}

/** The preferences from what is stored, falling back to the system theme. */
export function preferencesFrom(
  storage: Pick<Storage, "getItem"> | null,
  prefersLight: boolean,
): Preferences {
  const stored = parseTheme(readItem(storage, THEME_KEY));
  return {
    theme: stored ?? systemTheme(prefersLight),
    themeChosen: stored !== null,
    textSize: parseTextSize(readItem(storage, TEXT_SIZE_KEY)),
    layout: parseLayout(readItem(storage, LAYOUT_KEY)),
  };
}

// Storage may be unavailable (privacy modes throw on access); the defaults then apply.
function readItem(storage: Pick<Storage, "getItem"> | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Browser side: the preferences of this page now. */
export function loadPreferences(): Preferences {
  return preferencesFrom(browserStorage(), window.matchMedia(LIGHT_SCHEME_QUERY).matches);
}

/** Browser side: remembers one preference; failures (full or blocked storage) only cost memory. */
export function storePreference(
  key: typeof THEME_KEY | typeof TEXT_SIZE_KEY | typeof LAYOUT_KEY,
  value: string,
) {
  try {
    browserStorage()?.setItem(key, value);
  } catch {
    // Not remembered; the page still shows the choice.
  }
}

/** Browser side: the attributes styles.css keys its tokens on. */
export function applyPreferences(root: HTMLElement, preferences: Preferences) {
  root.dataset.theme = preferences.theme;
  root.dataset.textSize = preferences.textSize;
  root.dataset.layout = preferences.layout;
}

function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
