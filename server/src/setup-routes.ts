/**
 * Routes that help the dashboard set up a DHT: which years the data folder holds, free
 * UDP ports for a peer's `register`, and downloading a missing year from NOAA.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { listYears } from "../../data/src/years.ts";
import type { Aggregator } from "./aggregator.ts";
import { errors } from "./errors.ts";
import type { FetchJobs } from "./fetch-jobs.ts";
import { JobRunningError } from "./fetch-jobs.ts";
import { freeUdpPorts, HostError } from "./free-ports.ts";
import {
  FetchJobsRoute,
  FIRST_YEAR,
  FreePortsRoute,
  LAST_YEAR,
  StartFetchRoute,
  YearsRoute,
} from "./setup-schemas.ts";

export interface SetupDeps {
  /** The peers' data folder, absolute. */
  dataDir: string;
  aggregator: Pick<Aggregator, "registeredPorts">;
  jobs: FetchJobs;
}

export function registerSetupRoutes(server: FastifyInstance, deps: SetupDeps): void {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const { dataDir, aggregator, jobs } = deps;

  app.get("/api/years", { schema: YearsRoute }, async () => ({
    dataDir,
    years: await listYears(dataDir),
  }));

  app.get("/api/free-ports", { schema: FreePortsRoute }, async (request) => {
    const { count, host } = request.query;
    try {
      return {
        host,
        ports: await freeUdpPorts(count, host, new Set(aggregator.registeredPorts())),
      };
    } catch (error) {
      if (error instanceof HostError) throw errors.badHost(error.message);
      throw error;
    }
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
}
