/**
 * Downloads of NOAA years into the peers' data folder, started from the dashboard when a
 * `setup-dht` names a year that is missing. Each runs `fetchYear` (as `npm run data --
 * fetch` does) in the background; the jobs list shows their progress and how they ended.
 */
import { fetchYear, resolveBaseUrl } from "../../data/src/fetch.ts";
import { messageOf } from "./errors.ts";

export interface FetchJob {
  year: string;
  state: "running" | "done" | "failed";
  records: number;
  bytesRead: number;
  /** The download's size when the server sent a Content-Length. */
  totalBytes: number | null;
  error: string | null;
  /** The `details-YYYY.csv` written, once done. */
  file: string | null;
}

export interface FetchJobsOptions {
  dataDir: string;
  /** The NOAA csvfiles listing; default as the CLI: $STORMRING_NOAA_BASE_URL, else NCEI's. */
  baseUrl?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/** Thrown when that year is already being fetched; the route answers 409. */
export class JobRunningError extends Error {
  override name = "JobRunningError";
}

export class FetchJobs {
  /** The latest job of each year, in the order they were started. */
  private readonly jobs = new Map<string, FetchJob>();

  constructor(private readonly options: FetchJobsOptions) {}

  /** Starts fetching `year` (four digits); a finished job of that year is replaced. */
  start(year: string): FetchJob {
    if (this.jobs.get(year)?.state === "running") {
      throw new JobRunningError(`${year} is already being fetched`);
    }
    const job: FetchJob = {
      year,
      state: "running",
      records: 0,
      bytesRead: 0,
      totalBytes: null,
      error: null,
      file: null,
    };
    this.jobs.delete(year);
    this.jobs.set(year, job);
    // Not awaited: the route answers 202 at once; the job records how it ends.
    void this.run(job);
    return { ...job };
  }

  list(): FetchJob[] {
    return [...this.jobs.values()].map((job) => ({ ...job }));
  }

  private async run(job: FetchJob): Promise<void> {
    try {
      // Resolved per job, so a changed environment applies to the next download.
      const baseUrl = resolveBaseUrl(this.options.baseUrl, this.options.env ?? process.env);
      const result = await fetchYear(job.year, {
        outDir: this.options.dataDir,
        baseUrl,
        onProgress: (progress) => {
          job.records = progress.records;
          job.bytesRead = progress.bytesRead;
          job.totalBytes = progress.totalBytes ?? null;
        },
      });
      job.records = result.records;
      job.bytesRead = result.bytesRead;
      job.file = result.file;
      job.state = "done";
    } catch (error) {
      job.error = messageOf(error);
      job.state = "failed";
    }
  }
}
