/**
 * The one rule for when a click may act on the daemons: only live. While the cursor is
 * pinned in the past, or a recorded session is replayed (there are no daemons behind it),
 * every command, query, fault and demo button says why not.
 */

export const VIEWING_PAST = "viewing the past: go live first";
export const REPLAYING_SESSION = "replaying a recorded session: there are no daemons to act on";

/** Why nothing may act now, or null. `newest`: the log's last seq. */
export function whyNotNow(state: {
  replaying: boolean;
  pinned: number | null;
  newest: number;
}): string | null {
  if (state.replaying) return REPLAYING_SESSION;
  if (state.pinned !== null && state.pinned < state.newest) return VIEWING_PAST;
  return null;
}
