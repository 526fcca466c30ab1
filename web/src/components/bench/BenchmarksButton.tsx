/**
 * The header's `Benchmarks` button: opens the committed benchmark plots over the page.
 * The view is loaded only when first opened (its own chunk), as few visitors open it.
 */
import { lazy, Suspense, useState } from "react";

const BenchmarksView = lazy(() =>
  import("./BenchmarksView.tsx").then((module) => ({ default: module.BenchmarksView })),
);

export function BenchmarksButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={open ? "benchmarks" : undefined}
        title="the benchmark results committed in bench/results"
        onClick={() => setOpen((shown) => !shown)}
      >
        Benchmarks
      </button>
      {open && (
        <Suspense fallback={null}>
          <BenchmarksView onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
