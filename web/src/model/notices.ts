/**
 * Readable messages for the user: every failed command, refused request or unreachable
 * server becomes one notice, shown until dismissed (errors) or for a few seconds (info).
 */
import { useSyncExternalStore } from "react";

export interface Notice {
  id: number;
  kind: "error" | "info";
  title: string;
  lines: string[];
}

const INFO_MS = 6_000;
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
  if (kind === "info") setTimeout(() => dismiss(notice.id), INFO_MS);
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
