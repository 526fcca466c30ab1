/**
 * What the page's address holds: `#t=<seq>`, the moment the cursor is pinned at, so a link
 * opens there, and `?session=<url>`, a session file to replay instead of the live feed.
 */

/** The seq in `#t=<seq>`, or null. */
export function cursorInHash(hash: string): number | null {
  const match = /(?:^#|&)t=(\d+)(?:&|$)/.exec(hash);
  const seq = match === null ? Number.NaN : Number(match[1]);
  return Number.isSafeInteger(seq) ? seq : null;
}

/** `#t=<seq>` while the cursor is pinned; none while live. */
export function hashForCursor(pinned: number | null): string {
  return pinned === null ? "" : `#t=${pinned}`;
}

/** The session file to replay, from `?session=<url>`, or null. */
export function sessionInQuery(search: string): string | null {
  const url = new URLSearchParams(search).get("session");
  return url === null || url.trim() === "" ? null : url;
}
