/**
 * Readable messages for the user: every failed command, refused request or unreachable
 * server becomes one notice, shown for a few seconds (info) or a little longer (errors),
 * or until dismissed.
 */
import { useSyncExternalStore } from "react";

export interface Notice {
  id: number;
  kind: "error" | "info";
  title: string;
  lines: string[];
}

const INFO_MS = 6_000;
/** Errors stay longer, to be read, but go away: a lecture does not stop to dismiss them. */
const ERROR_MS = 15_000;
/** The most notices shown at once; older ones are dropped. */
const NOTICE_LIMIT = 5;

let notices: readonly Notice[] = [];
let lastId = 0;
const listeners = new Set<() => void>();

function publish(next: readonly Notice[]): void {
  notices = next;
  for (const listener of listeners) listener();
}

export function notify(kind: Notice["kind"], title: string, lines: string[] = []): void {
  lastId += 1;
  const notice = { id: lastId, kind, title, lines };
  publish([...notices, notice].slice(-NOTICE_LIMIT));
  setTimeout(() => dismiss(notice.id), kind === "info" ? INFO_MS : ERROR_MS);
}

export function dismiss(id: number): void {
  publish(notices.filter((notice) => notice.id !== id));
}

export function useNotices(): readonly Notice[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => notices,
  );
}
