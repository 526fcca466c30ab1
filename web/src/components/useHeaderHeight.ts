/**
 * Keeps `--header-height` on <html> equal to the sticky header's height, which wraps to
 * two rows on a narrow window or with large text, so what sits below it (the node
 * inspector's drawer) starts where the header ends.
 */
import { type RefObject, useLayoutEffect } from "react";

export function useHeaderHeight(header: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const element = header.current;
    if (element === null) return;
    const measure = () =>
      document.documentElement.style.setProperty("--header-height", `${element.offsetHeight}px`);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [header]);
}
