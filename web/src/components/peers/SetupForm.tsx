/**
 * The `setup-dht` form of a Free peer: the ring size and a year the data folder holds,
 * with a way to fetch a year that is not there yet.
 */
import { type FormEvent, useState } from "react";
import { defaultRingSize, MIN_RING_SIZE } from "../../model/commands.ts";
import { whyNoYear } from "../../model/years.ts";
import { FetchYearFieldset } from "./FetchYearFieldset.tsx";
import { Field } from "./Field.tsx";
import { FormActions } from "./FormActions.tsx";
import { useDataYears } from "./useDataYears.ts";
import type { YearFetch } from "./useYearFetch.ts";
import "./PeerForm.css";

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
  const { years, year, setYear } = useDataYears(yearFetch);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSend(`setup-dht ${name} ${ringSize} ${year}`);
  };

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
        <FormActions
          command="setup-dht"
          blocked={blocked ?? whyNoYear(years)}
          onCancel={onCancel}
        />
      </form>
      {/* Outside the form, so its "Year to fetch" is not one more "Year" field of it. */}
      <FetchYearFieldset name={name} yearFetch={yearFetch} />
    </div>
  );
}
