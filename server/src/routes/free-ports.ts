/**
 * `GET /api/free-ports`: UDP ports free now on an address of this machine, for a peer's
 * `register`, skipping every port the manager has registered (`../free-ports.ts` probes).
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { freeUdpPorts, HostError } from "../../../daemons/src/transport/free-ports.ts";
import type { Aggregator } from "../aggregator.ts";
import { errorRef, errors } from "../errors.ts";

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

export interface FreePortRoutesOptions {
  aggregator: Pick<Aggregator, "registeredPorts">;
}

export const freePortRoutes: FastifyPluginAsyncTypebox<FreePortRoutesOptions> = async (
  app,
  { aggregator },
) => {
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
};
