/**
 * The committed benchmark results (`GET /api/bench`): each benchmark's plots as the
 * benchmark drew them, and links to the numbers behind them. Read once when opened;
 * Refresh reads the listing again (another run may be writing new plots). A panel over
 * the page, as the node inspector is; Esc or Close closes it.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { api } from "../../api/client.ts";
import type { BenchFile } from "../../api/types.ts";
import { describeError } from "../../model/actions.ts";
import { benchGroups } from "../../model/bench.ts";
import { usePageKeys } from "../keyboard.ts";
import "./BenchmarksView.css";

type Listing = { files: BenchFile[] } | { error: string } | null;

export function BenchmarksView({ onClose }: { onClose: () => void }) {
  const [listing, setListing] = useState<Listing>(null);
  const load = useCallback(() => {
    setListing(null);
    api.bench().then(
      (body) => setListing(body),
      (error: unknown) => setListing({ error: describeError(error) }),
    );
  }, []);
  useEffect(() => load(), [load]);
  usePageKeys(useMemo(() => ({ Escape: onClose }), [onClose]));
  const groups = listing !== null && "files" in listing ? benchGroups(listing.files) : [];
  return (
    <section id="benchmarks" className="drawer benchmarks" aria-label="Benchmarks">
      <header className="benchmarks-head">
        <h2>Benchmarks</h2>
        <span className="muted">committed results of npm run bench and bench:scale</span>
        <button type="button" onClick={load}>
          Refresh
        </button>
        <button type="button" aria-label="Close benchmarks" onClick={onClose}>
          ×
        </button>
      </header>
      {listing === null ? (
        <p className="muted">Reading bench/results…</p>
      ) : "error" in listing ? (
        <p className="benchmarks-error" role="alert">
          Could not list the results: {listing.error}
        </p>
      ) : groups.length === 0 ? (
        <p className="muted">No results: bench/results holds no plots (run npm run bench:scale).</p>
      ) : (
        groups.map((group) => (
          <section key={group.name} className="benchmarks-group" aria-label={group.name}>
            <h3>{group.name}</h3>
            {group.plots.length > 0 && (
              <div className="benchmarks-plots">
                {group.plots.map((plot) => (
                  <figure key={plot.file}>
                    <a href={plot.url} target="_blank" rel="noreferrer">
                      <img src={plot.url} alt={`${group.name}: ${plot.title}`} loading="lazy" />
                    </a>
                    <figcaption className="mono">{plot.file}</figcaption>
                  </figure>
                ))}
              </div>
            )}
            {group.data.length > 0 && (
              <p className="benchmarks-data">
                numbers:{" "}
                {group.data.map((data, index) => (
                  <span key={data.file}>
                    {index > 0 && ", "}
                    <a className="mono" href={data.url} target="_blank" rel="noreferrer">
                      {data.file}
                    </a>
                  </span>
                ))}
              </p>
            )}
          </section>
        ))
      )}
    </section>
  );
}
