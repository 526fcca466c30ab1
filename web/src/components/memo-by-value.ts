/**
 * `React.memo` comparing props by value (their JSON): for charts whose props are rebuilt
 * on every live update but rarely change, recharts' re-render is the page's costliest.
 */
import { type FunctionComponent, memo } from "react";

export function memoByValue<Props extends object>(component: FunctionComponent<Props>) {
  return memo(component, (before, after) => JSON.stringify(before) === JSON.stringify(after));
}
