/**
 * Header buttons for projectors: switch between the dark and light theme, large text, and
 * the presentation layout.
 */
import { useEffect, useLayoutEffect, useState } from "react";
import {
  applyPreferences,
  LAYOUT_KEY,
  LIGHT_SCHEME_QUERY,
  loadPreferences,
  type Preferences,
  storePreference,
  systemTheme,
  TEXT_SIZE_KEY,
  THEME_KEY,
} from "../model/preferences.ts";
import "./ThemeToggles.css";

export function ThemeToggles() {
  const [preferences, setPreferences] = useState<Preferences>(loadPreferences);
  // Before paint, so the page never flashes in the other theme.
  useLayoutEffect(() => applyPreferences(document.documentElement, preferences), [preferences]);
  const { theme, themeChosen, textSize, layout } = preferences;
  // Until a theme is chosen here, follow the system as it switches (e.g. at night).
  useEffect(() => {
    if (themeChosen) return;
    const scheme = window.matchMedia(LIGHT_SCHEME_QUERY);
    const follow = () => setPreferences((now) => ({ ...now, theme: systemTheme(scheme.matches) }));
    scheme.addEventListener("change", follow);
    return () => scheme.removeEventListener("change", follow);
  }, [themeChosen]);

  const other = theme === "dark" ? "light" : "dark";
  const switchTheme = () => {
    storePreference(THEME_KEY, other);
    setPreferences((now) => ({ ...now, theme: other, themeChosen: true }));
  };
  const large = textSize === "large";
  const switchTextSize = () => {
    const next = large ? "normal" : "large";
    storePreference(TEXT_SIZE_KEY, next);
    setPreferences((now) => ({ ...now, textSize: next }));
  };
  const presenting = layout === "presentation";
  const switchLayout = () => {
    const next = presenting ? "standard" : "presentation";
    storePreference(LAYOUT_KEY, next);
    setPreferences((now) => ({ ...now, layout: next }));
  };
  return (
    <div className="theme-toggles">
      {/* Icons keep the header on one row at 1280 px; the names say what they do. */}
      <button
        type="button"
        onClick={switchTheme}
        aria-label={other === "light" ? "Light theme" : "Dark theme"}
        title={`Show the ${other} theme`}
      >
        {other === "light" ? "☀" : "☾"}
      </button>
      <button
        type="button"
        aria-pressed={large}
        onClick={switchTextSize}
        aria-label="Large text"
        title="Larger text, for a projector"
      >
        A+
      </button>
      <button
        type="button"
        aria-pressed={presenting}
        onClick={switchLayout}
        aria-label="Presentation layout"
        title="The ring and the diagram side by side, for a lecture"
      >
        ◫
      </button>
    </div>
  );
}
