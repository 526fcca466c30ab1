/**
 * The `setup-dht` form of a Free peer: the ring size and a year the data folder holds,
 * with a way to fetch a year that is not there yet.
 */
import { type FormEvent, useEffect, useState } from "react";
import { api } from "../../api/client.ts";
import { describeError } from "../../model/actions.ts";
import { defaultRingSize, MIN_RING_SIZE } from "../../model/commands.ts";
import { notify } from "../../model/notices.ts";
import { FetchYearProgress } from "./FetchYearProgress.tsx";
import { Field } from "./Field.tsx";
import type { YearFetch } from "./useYearFetch.ts";
import "./PeerForm.css";
import { FormActions } from "./FormActions.tsx";

const FOUR_DIGITS = /^\d{4}$/;

export function SetupForm({
  name,
  freePeers,
  yearFetch,
  blocked,
  onSend,
  onCancel,
}: {
  name: string;
  freePeers: number;
  yearFetch: YearFetch;
  /** Why setup-dht cannot be sent now, if it cannot. */
  blocked: string | null;
  onSend: (line: string) => void;
  onCancel: () => void;
}) {
  const [ringSize, setRingSize] = useState(String(defaultRingSize(freePeers)));
  const [years, setYears] = useState<{ dataDir: string; years: string[] } | null>(null);
  const [year, setYear] = useState("");
  const [wanted, setWanted] = useState("");

  const { finished, job } = yearFetch;
  const fetched = job?.state === "done" ? job.year : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads after each fetch job ends, so a fetched year can be picked at once
  useEffect(() => {
    let current = true;
    api.years().then(
      (loaded) => {
        if (!current) return;
        setYears(loaded);
        // A year just fetched is the one the user wants, so it is picked for them.
        setYear((chosen) =>
          fetched !== null && loaded.years.includes(fetched)
            ? fetched
            : loaded.years.includes(chosen)
              ? chosen
              : (loaded.years.at(-1) ?? ""),
        );
      },
      (error: unknown) => notify("error", "Could not list the years", [describeError(error)]),
    );
    return () => {
      current = false;
    };
  }, [finished]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSend(`setup-dht ${name} ${ringSize} ${year}`);
  };
  const fetchWanted = () => {
    if (FOUR_DIGITS.test(wanted)) yearFetch.start(wanted);
    else notify("error", "Not a year", [`"${wanted}" is not four digits`]);
  };
  const cannotSend =
    blocked ??
    (years === null
      ? "loading the years the data folder holds"
      : years.years.length === 0
        ? `no year's data in ${years.dataDir}: fetch one below`
        : null);

  return (
    <div className="setup-dht">
      <form className="peer-form" aria-label={`setup-dht ${name}`} onSubmit={submit}>
        <Field label="Ring size n">
          {(id) => (
            <input
              id={id}
              type="number"
              min={MIN_RING_SIZE}
              max={freePeers}
              required
              value={ringSize}
              onChange={(event) => setRingSize(event.target.value)}
            />
          )}
        </Field>
        <Field label="Year">
          {(id) => (
            <select id={id} value={year} onChange={(event) => setYear(event.target.value)} required>
              {years?.years.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          )}
        </Field>
        <FormActions command="setup-dht" blocked={cannotSend} onCancel={onCancel} />
      </form>
      {/* Outside the form, so its "Year to fetch" is not one more "Year" field of it. */}
      <fieldset className="peer-form peer-form-fetch" aria-label={`fetch a year for ${name}`}>
        <Field label="Year to fetch">
          {(id) => (
            <input
              id={id}
              value={wanted}
              onChange={(event) => setWanted(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter") fetchWanted();
              }}
              inputMode="numeric"
              placeholder="YYYY"
              className="peer-year-input"
            />
          )}
        </Field>
        <button type="button" onClick={fetchWanted} disabled={yearFetch.year !== null}>
          Fetch year
        </button>
        <FetchYearProgress yearFetch={yearFetch} />
      </fieldset>
    </div>
  );
}
