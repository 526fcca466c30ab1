/**
 * The merged timeline and its live feed: `GET /api/timeline` pages through it,
 * `GET /api/live` (a WebSocket, `live.ts`) pushes the state and new entries.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Aggregator } from "../aggregator.ts";
import { ApiError, errorRef, errors } from "../errors.ts";
import { sameOrigin } from "../host-check.ts";
import { LiveHub, type UpdateSource } from "../live.ts";
import type { ApiState } from "../state.ts";

export const TimelineEntrySchema = Type.Object({
  seq: Type.Integer(),
  daemonId: Type.String(),
  at: Type.Number({ description: "epoch ms" }),
  clock: Type.Integer({ description: "the daemon's Lamport clock" }),
  event: Type.Unknown({ description: "a DaemonEvent (daemons/src/control/events.ts)" }),
});

export const TimelineRoute = {
  summary: "Page through the merged timeline of every daemon's events",
  tags: ["timeline"],
  querystring: Type.Object({
    after: Type.Integer({ minimum: 0, default: 0, description: "entries with seq above this" }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
  }),
  response: {
    200: Type.Object({
      entries: Type.Array(TimelineEntrySchema),
      next: Type.Integer({ description: "pass as `after` for the next page" }),
    }),
    400: errorRef,
  },
};

export const LiveRoute = {
  summary: "WebSocket: pushes {type:'state', state} and {type:'timeline', entries}",
  description:
    "At most about 20 messages a second. `?after=<seq>` first sends the timeline entries after seq. Same origin only: a connection with an Origin other than the server's own (its Host) is refused with 403 FORBIDDEN_ORIGIN.",
  tags: ["live"],
  querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) }),
  response: { 403: errorRef, 426: errorRef },
};

export interface TimelineRoutesOptions {
  aggregator: Pick<Aggregator, "timeline"> & UpdateSource;
  /** The state `GET /api/live` pushes. */
  state: () => ApiState;
}

export const timelineRoutes: FastifyPluginAsyncTypebox<TimelineRoutesOptions> = async (
  app,
  { aggregator, state },
) => {
  const live = new LiveHub(aggregator, state);
  app.addHook("onClose", async () => live.close());

  app.get("/api/timeline", { schema: TimelineRoute }, async (request) => {
    const { after, limit } = request.query;
    return aggregator.timeline(after, limit);
  });

  // wsHandler with a plain handler (rather than `websocket: true`) keeps the route in the docs.
  app.route({
    method: "GET",
    url: "/api/live",
    schema: LiveRoute,
    // Browsers send an Origin with every WebSocket; another site's page must not read the
    // timeline through a visitor's browser. No Origin: not a browser, which the Host
    // check already covers.
    onRequest: async (request) => {
      const { origin, host } = request.headers;
      if (origin !== undefined && !sameOrigin(origin, host)) throw errors.forbiddenOrigin(origin);
    },
    handler: async (_request, reply) => {
      const error = new ApiError(
        "UPGRADE_REQUIRED",
        "/api/live is a WebSocket; connect with ws://",
      );
      return reply.code(426).send(error.toBody());
    },
    wsHandler: (socket, request) => live.add(socket, request.query.after),
  });
};
