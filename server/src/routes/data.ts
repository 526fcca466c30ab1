/**
 * The data folder: `GET /api/years` (the years the peers can load),
 * `GET /api/years/:year/sample-ids` (ids to query it with, found and missing) and
 * `POST`/`GET /api/data/fetch` (download a missing year from NOAA, `fetch-jobs.ts`).
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { MissingDataError } from "../../../daemons/src/data/csv-loader.ts";
import { YearCache } from "../../../daemons/src/data/year-cache.ts";
import { eventIdOfLine } from "../../../daemons/src/protocol/record-line.ts";
import { listYears } from "../../../data/src/years.ts";
import { errorRef, errors } from "../errors.ts";
import { FetchJobs, JobRunningError } from "../fetch-jobs.ts";
import { sampleIds } from "../sample-ids.ts";

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

const DEFAULT_SAMPLE = 32;
const MOST_SAMPLED = 1_000;

export const SampleIdsRoute = {
  summary: "Event ids to query a year with: some its records have, some none has",
  description:
    "`found` are ids of records of details-YYYY.csv, drawn at random; `missing` are ids between its least and greatest that no record has. Each call draws afresh. A year the data folder does not hold: 404 MISSING_YEAR.",
  tags: ["data"],
  params: Type.Object({ year: Type.String({ pattern: "^[0-9]{4}$" }) }),
  querystring: Type.Object(
    {
      count: Type.Optional(
        Type.Integer({
          minimum: 1,
          maximum: MOST_SAMPLED,
          default: DEFAULT_SAMPLE,
          description: "how many of each, at most",
        }),
      ),
    },
    { additionalProperties: false },
  ),
  response: {
    200: Type.Object({
      year: Type.String(),
      records: Type.Integer({ description: "l: the records the year holds" }),
      found: Type.Array(Type.Integer()),
      missing: Type.Array(Type.Integer()),
    }),
    400: errorRef,
    404: errorRef,
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
  // The last year read, kept while its file is unchanged, as a peer keeps it.
  const yearCache = new YearCache(dataDir);

  app.get("/api/years", { schema: YearsRoute }, async () => ({
    dataDir,
    years: await listYears(dataDir),
  }));

  app.get("/api/years/:year/sample-ids", { schema: SampleIdsRoute }, async (request) => {
    const { year } = request.params;
    let records: Awaited<ReturnType<YearCache["load"]>>["records"];
    try {
      ({ records } = await yearCache.load(year));
    } catch (error) {
      if (error instanceof MissingDataError) throw errors.missingYear(error.message);
      throw error;
    }
    const count = request.query.count ?? DEFAULT_SAMPLE;
    return { year, records: records.length, ...sampleIds(records.map(eventIdOfLine), count) };
  });

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
