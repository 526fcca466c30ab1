/**
 * A lecture's two requests of a peer beyond its console, over its control channel:
 * `GET /api/daemons/:id/inspection` (the counters, table and Lamport clock a node
 * inspector shows, and whether it holds an event id) and `POST /api/daemons/:id/faults`
 * (a loss on every datagram it sends, or its next message to one address dropped).
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { MAX_RUN_TIME_LOSS } from "../../../daemons/src/transport/faults.ts";
import type { Aggregator } from "../aggregator.ts";
import { errorRef, errors, messageOf } from "../errors.ts";
import { CommandTimeoutError } from "../pending-commands.ts";
import type { Supervisor } from "../supervisor.ts";
import { checkReachable } from "./daemons.ts";

const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });
const Count = Type.Integer({ minimum: 0 });

export const InspectionSchema = Type.Object({
  clock: Type.Integer({ description: "the peer's Lamport clock now" }),
  counters: Type.Object(
    {
      sent: Count,
      received: Count,
      retransmitted: Count,
      duplicatesDropped: Count,
      malformedDropped: Count,
      refusedDropped: Count,
    },
    { description: "messages since the peer started (acks not counted)" },
  ),
  table: Type.Union([
    Type.Object({
      tableSize: Type.Integer(),
      records: Count,
      occupiedSlots: Count,
      chainLengths: Type.Array(Count, {
        description: "chainLengths[k]: slots holding a chain of k + 1 records",
      }),
    }),
    Type.Null(),
  ]),
  lookup: Type.Union([Type.Object({ eventId: Count, held: Type.Boolean() }), Type.Null()]),
});

export const InspectionRoute = {
  summary: "What a node inspector shows that only the peer knows",
  description:
    "Its counters, Lamport clock and table occupancy now, and with `eventId` whether its table holds that event. The manager: 409 NOT_A_PEER; a paused peer does not answer: 504.",
  tags: ["daemons"],
  params: IdParams,
  querystring: Type.Object(
    { eventId: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })) },
    { additionalProperties: false },
  ),
  response: {
    200: InspectionSchema,
    400: errorRef,
    404: errorRef,
    409: errorRef,
    502: errorRef,
    504: errorRef,
  },
};

export const FaultsRoute = {
  summary: "Set a peer's faults at run time",
  description: `\`loss\` (0 to ${MAX_RUN_TIME_LOSS}): the share of every datagram it sends that is dropped, until set again (its snapshot's \`loss\`). \`dropNext\`: the next message it sends on its link to that address (not a probe) is dropped once, and retransmitted as after any loss.`,
  tags: ["daemons"],
  params: IdParams,
  body: Type.Object(
    {
      loss: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_RUN_TIME_LOSS })),
      dropNext: Type.Optional(
        Type.Object(
          {
            ip: Type.String({ format: "ipv4" }),
            port: Type.Integer({ minimum: 1, maximum: 65_535, description: "its p-port" }),
          },
          { additionalProperties: false },
        ),
      ),
    },
    { additionalProperties: false, minProperties: 1 },
  ),
  response: {
    200: Type.Object({ ok: Type.Boolean(), lines: Type.Array(Type.String()) }),
    400: errorRef,
    404: errorRef,
    409: errorRef,
    502: errorRef,
    504: errorRef,
  },
};

export interface DaemonControlRoutesOptions {
  supervisor: Pick<Supervisor, "get">;
  aggregator: Pick<Aggregator, "views" | "inspect" | "faults">;
}

export const daemonControlRoutes: FastifyPluginAsyncTypebox<DaemonControlRoutesOptions> = async (
  app,
  { supervisor, aggregator },
) => {
  app.get("/api/daemons/:id/inspection", { schema: InspectionRoute }, async (request) => {
    const { id } = request.params;
    checkPeer(id);
    const { eventId } = request.query;
    return ask(id, "inspect", () => aggregator.inspect(id, eventId ?? null));
  });

  app.post("/api/daemons/:id/faults", { schema: FaultsRoute }, async (request) => {
    const { id } = request.params;
    checkPeer(id);
    const { loss, dropNext } = request.body;
    const change = {
      ...(loss === undefined ? {} : { loss }),
      ...(dropNext === undefined ? {} : { dropNext }),
    };
    return ask(id, "faults", () => aggregator.faults(id, change));
  });

  /** 404, 409 as for a command; 409 NOT_A_PEER for the manager, which has neither. */
  function checkPeer(id: string): void {
    checkReachable(supervisor, aggregator, id);
    const view = aggregator.views().find((each) => each.id === id);
    if (view?.kind !== "peer") throw errors.notAPeer(id);
  }

  async function ask<T>(id: string, what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof CommandTimeoutError) {
        throw errors.commandTimeout(id, what, error.timeoutMs);
      }
      checkReachable(supervisor, aggregator, id);
      throw errors.commandFailed(id, messageOf(error), error);
    }
  }
};
