/** Fetches a year the data folder does not hold yet, from NOAA through the server. */
import { useState } from "react";
import { notify } from "../../model/notices.ts";
import { FetchYearProgress } from "./FetchYearProgress.tsx";
import { Field } from "./Field.tsx";
import type { YearFetch } from "./useYearFetch.ts";
import "./PeerForm.css";

const FOUR_DIGITS = /^\d{4}$/;

export function FetchYearFieldset({ name, yearFetch }: { name: string; yearFetch: YearFetch }) {
  const [wanted, setWanted] = useState("");
  const fetchWanted = () => {
    if (FOUR_DIGITS.test(wanted)) yearFetch.start(wanted);
    else notify("error", "Not a year", [`"${wanted}" is not four digits`]);
  };
  return (
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
  );
}
