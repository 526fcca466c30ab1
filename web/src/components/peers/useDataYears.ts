/**
 * The years the data folder holds and the one the setup-dht form has chosen, reloaded
 * after each fetch job ends so a fetched year can be picked at once.
 */
import { useEffect, useState } from "react";
import { api } from "../../api/client.ts";
import { describeError } from "../../model/actions.ts";
import { notify } from "../../model/notices.ts";
import { type DataYears, yearToPick } from "../../model/years.ts";
import type { YearFetch } from "./useYearFetch.ts";

export function useDataYears({ finished, job }: YearFetch) {
  const [years, setYears] = useState<DataYears | null>(null);
  const [year, setYear] = useState("");
  const fetched = job?.state === "done" ? job.year : null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads after each fetch job ends, so a fetched year can be picked at once
  useEffect(() => {
    let current = true;
    api.years().then(
      (loaded) => {
        if (!current) return;
        setYears(loaded);
        setYear((chosen) => yearToPick(loaded, chosen, fetched));
      },
      (error: unknown) => notify("error", "Could not list the years", [describeError(error)]),
    );
    return () => {
      current = false;
    };
  }, [finished]);

  return { years, year, setYear };
}
