import { useEffect, useState } from "react";
import { type Lingering, withLeaving } from "../../model/ring-replay.ts";

/**
 * Keeps items that left `current` for `fadeMs` more, marked as leaving, so they can fade
 * out. `current` must be memoised: a new array means the items changed.
 */
export function useLeaving<T extends { key: string }>(
  current: readonly T[],
  fadeMs: number,
): Lingering<T>[] {
  const [shown, setShown] = useState(() => ({
    source: current,
    list: withLeaving<T>([], current),
  }));
  let { list } = shown;
  if (shown.source !== current) {
    list = withLeaving(shown.list, current);
    setShown({ source: current, list });
  }
  useEffect(() => {
    if (!list.some((entry) => entry.leaving)) return;
    const timer = setTimeout(
      () => setShown((now) => ({ ...now, list: now.list.filter((entry) => !entry.leaving) })),
      fadeMs,
    );
    return () => clearTimeout(timer);
  }, [list, fadeMs]);
  return list;
}
