/** The TypeBox schemas of the routes that help set up a DHT: years, free ports, fetching. */
import { Type } from "@sinclair/typebox";

const errorRef = Type.Ref("ApiError");

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

export const FreePortsRoute = {
  summary: "Distinct UDP ports free now on an address of this machine (for register)",
  description:
    "Ports a registered peer uses (its m-port and p-port, from the manager) are never offered.",
  tags: ["data"],
  querystring: Type.Object({
    count: Type.Integer({ minimum: 1, maximum: 16, default: 2 }),
    host: Type.String({
      default: "127.0.0.1",
      maxLength: 64,
      description: "an IPv4 address of the machine the server runs on",
    }),
  }),
  response: {
    200: Type.Object({ host: Type.String(), ports: Type.Array(Type.Integer()) }),
    400: errorRef,
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
