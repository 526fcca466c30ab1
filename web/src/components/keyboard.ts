/**
 * Page-wide keyboard shortcuts, and when a key press is not theirs: text fields take every
 * key, buttons, links and summaries take Space, and an open dialog takes Escape.
 */
import { useEffect } from "react";

export function keyBelongsToTarget(event: KeyboardEvent): boolean {
  const { target } = event;
  if (!(target instanceof Element)) return false;
  if (target instanceof HTMLElement && target.isContentEditable) return true;
  if (["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)) return true;
  if (event.key === "Escape") return target.closest("dialog") !== null;
  return event.key === " " && target.closest('button, a, summary, [role="button"]') !== null;
}

/** Runs `keys[event.key]` for presses the focused element does not own (no modifiers). */
export function usePageKeys(keys: Readonly<Record<string, () => void>>, active = true): void {
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      if (keyBelongsToTarget(event) || event.ctrlKey || event.metaKey || event.altKey) return;
      const action = keys[event.key];
      if (action === undefined) return;
      event.preventDefault();
      action();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [keys, active]);
}
