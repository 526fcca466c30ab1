/**
 * The data folder: `GET /api/years` (the years the peers can load) and
 * `POST`/`GET /api/data/fetch` (download a missing year from NOAA, `fetch-jobs.ts`).
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { listYears } from "../../../data/src/years.ts";
import { errorRef, errors } from "../errors.ts";
import { FetchJobs, JobRunningError } from "../fetch-jobs.ts";

/** NOAA's Storm Events start in 1950; the upper bound only catches typos. */
export const FIRST_YEAR = 1950;
export const LAST_YEAR = 2100;

export const YearsRoute = {
  summary: "The years the peers can load: details-YYYY.csv in their data folder",
  tags: ["data"],
  response: {
    200: Type.Object({
      dataDir: Type.String({ description: "the peers' --data-dir, as an absolute path" }),
      years: Type.Array(Type.String({ pattern: "^[0-9]{4}$" }), {
        description: "ascending; empty when the folder does not exist",
      }),
    }),
  },
};

export const FetchJobSchema = Type.Object({
  year: Type.String(),
  state: Type.Union([Type.Literal("running"), Type.Literal("done"), Type.Literal("failed")]),
  records: Type.Integer(),
  bytesRead: Type.Integer({ description: "of the gzip download" }),
  totalBytes: Type.Union([Type.Integer(), Type.Null()], {
    description: "null when the size is not known",
  }),
  error: Type.Union([Type.String(), Type.Null()]),
  file: Type.Union([Type.String(), Type.Null()], { description: "the file written, once done" }),
});

export const StartFetchRoute = {
  summary: "Start downloading a year from NOAA into the data folder (as npm run data -- fetch)",
  description:
    "The listing is $STORMRING_NOAA_BASE_URL, else NCEI's csvfiles. Poll GET /api/data/fetch.",
  tags: ["data"],
  body: Type.Object(
    {
      year: Type.String({
        pattern: "^[0-9]{4}$",
        description: `four digits, ${FIRST_YEAR} to ${LAST_YEAR}`,
      }),
    },
    { additionalProperties: false },
  ),
  response: { 202: Type.Object({ year: Type.String() }), 400: errorRef, 409: errorRef },
};

export const FetchJobsRoute = {
  summary: "The downloads started since the server started: the latest of each year",
  tags: ["data"],
  response: { 200: Type.Object({ jobs: Type.Array(FetchJobSchema) }) },
};

export interface DataRoutesOptions {
  /** The peers' data folder, absolute. */
  dataDir: string;
  /** Where fetches download from; default as `npm run data -- fetch`. */
  noaaBaseUrl?: string | undefined;
}

export const dataRoutes: FastifyPluginAsyncTypebox<DataRoutesOptions> = async (
  app,
  { dataDir, noaaBaseUrl },
) => {
  const jobs = new FetchJobs({ dataDir, baseUrl: noaaBaseUrl });

  app.get("/api/years", { schema: YearsRoute }, async () => ({
    dataDir,
    years: await listYears(dataDir),
  }));

  app.post("/api/data/fetch", { schema: StartFetchRoute }, async (request, reply) => {
    const { year } = request.body;
    if (Number(year) < FIRST_YEAR || Number(year) > LAST_YEAR) {
      throw errors.badYear(year, FIRST_YEAR, LAST_YEAR);
    }
    try {
      jobs.start(year);
    } catch (error) {
      if (error instanceof JobRunningError) throw errors.fetchRunning(year);
      throw error;
    }
    return reply.code(202).send({ year });
  });

  app.get("/api/data/fetch", { schema: FetchJobsRoute }, async () => ({ jobs: jobs.list() }));
};
