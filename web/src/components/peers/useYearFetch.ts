/**
 * Downloading a missing year into the peers' data folder: starts the server's fetch job
 * and polls the jobs list every second until that year's job ends.
 */
import { useEffect, useState } from "react";
import { api } from "../../api/client.ts";
import type { FetchJob } from "../../api/types.ts";
import { describeError } from "../../model/actions.ts";
import { notify } from "../../model/notices.ts";

const POLL_MS = 1_000;

export interface YearFetch {
  /** The year being fetched now, null when none is. */
  year: string | null;
  /** The latest job seen (running, or how the last one ended). */
  job: FetchJob | null;
  /** Counts ended jobs, so a year list can reload after each. */
  finished: number;
  start(year: string): void;
}

export function useYearFetch(): YearFetch {
  const [year, setYear] = useState<string | null>(null);
  const [job, setJob] = useState<FetchJob | null>(null);
  const [finished, setFinished] = useState(0);

  useEffect(() => {
    if (year === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const end = () => {
      stopped = true;
      setYear(null);
      setFinished((count) => count + 1);
    };
    const poll = async () => {
      try {
        const { jobs } = await api.fetchJobs();
        if (stopped) return;
        const current = jobs.find((candidate) => candidate.year === year) ?? null;
        setJob(current);
        if (current?.state === "running") {
          timer = setTimeout(poll, POLL_MS);
          return;
        }
        if (current?.state === "failed") {
          notify("error", `Fetching ${year} failed`, [current.error ?? "no reason given"]);
        } else if (current?.state === "done") {
          notify("info", `Fetched ${year}`, [`${current.records} records in ${current.file}`]);
        }
        end();
      } catch (error) {
        if (stopped) return;
        notify("error", `Could not follow the fetch of ${year}`, [describeError(error)]);
        end();
      }
    };
    void poll();
    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    };
  }, [year]);

  const start = (wanted: string) => {
    api.fetchYear(wanted).then(
      () => {
        setJob(null);
        setYear(wanted);
      },
      (error: unknown) => notify("error", `Could not fetch ${wanted}`, [describeError(error)]),
    );
  };
  return { year, job, finished, start };
}
