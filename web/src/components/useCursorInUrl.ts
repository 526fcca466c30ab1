/**
 * Keeps the page's address saying where the cursor is (`#t=<seq>` while pinned, nothing
 * live), so a copied link opens at that moment; and follows a `#t=` typed in by hand.
 * Written a moment after the cursor rests: browsers refuse a history change per frame.
 */
import { useEffect } from "react";
import { cursorInHash, hashForCursor } from "../model/page-url.ts";
import { seekOnceLoaded } from "../model/store.ts";

const SETTLE_MS = 250;

export function useCursorInUrl(pinned: number | null, playing: boolean): void {
  useEffect(() => {
    if (playing) return;
    const timer = setTimeout(() => {
      const hash = hashForCursor(pinned);
      if (hash === location.hash || (hash === "" && location.hash === "")) return;
      history.replaceState(null, "", `${location.pathname}${location.search}${hash}`);
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [pinned, playing]);
  useEffect(() => {
    const follow = () => seekOnceLoaded(cursorInHash(location.hash));
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);
}
