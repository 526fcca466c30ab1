/**
 * Whether a key press belongs to the focused element, so page shortcuts must leave it
 * alone: text fields take every key, and buttons, links and summaries take Space.
 */
export function keyBelongsToTarget(event: KeyboardEvent): boolean {
  const { target } = event;
  if (!(target instanceof Element)) return false;
  if (target instanceof HTMLElement && target.isContentEditable) return true;
  if (["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)) return true;
  return event.key === " " && target.closest('button, a, summary, [role="button"]') !== null;
}
