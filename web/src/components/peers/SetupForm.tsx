/**
 * The `setup-dht` form of a Free peer: the ring size, a year the data folder holds (with
 * a way to fetch a year that is not there yet), and how many copies of each record the
 * ring keeps and how writes reach them; one copy and chain send the assignment's line.
 */
import { type FormEvent, useState } from "react";
import { defaultRingSize, MIN_RING_SIZE } from "../../model/commands.ts";
import {
  CONSISTENCY_MODELS,
  type Consistency,
  replicasProblem,
  setupDhtLine,
} from "../../model/setup-dht.ts";
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
  const [replicas, setReplicas] = useState("1");
  const [consistency, setConsistency] = useState<Consistency>("chain");
  const { years, year, setYear } = useDataYears(yearFetch);
  const badReplicas = replicasProblem(replicas, ringSize);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const line = setupDhtLine({ name, ringSize, year, replicas, consistency });
    if (line !== null) onSend(line);
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
        <Field label="Replicas">
          {(id) => (
            <input
              id={id}
              type="number"
              min={1}
              max={ringSize}
              required
              aria-invalid={badReplicas !== null}
              title="k: each record is kept on k nodes, its primary and the k - 1 to its right"
              value={replicas}
              onChange={(event) => setReplicas(event.target.value)}
            />
          )}
        </Field>
        <Field label="Consistency">
          {(id) => (
            <select
              id={id}
              value={consistency}
              title="chain: writes go down the copies, reads end at the tail; eventual: reads at any copy"
              onChange={(event) => setConsistency(event.target.value as Consistency)}
            >
              {CONSISTENCY_MODELS.map((model) => (
                <option key={model} value={model}>
                  {model}
                </option>
              ))}
            </select>
          )}
        </Field>
        <FormActions
          command="setup-dht"
          blocked={blocked ?? whyNoYear(years) ?? badReplicas}
          onCancel={onCancel}
        />
      </form>
      {/* Outside the form, so its "Year to fetch" is not one more "Year" field of it. */}
      <FetchYearFieldset name={name} yearFetch={yearFetch} />
    </div>
  );
}
