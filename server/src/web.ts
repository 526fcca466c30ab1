/**
 * `/`: the built dashboard (`web/dist`) if it exists when the app is built, else a
 * placeholder page linking to the JSON API (a server started before `npm run build:web`
 * keeps the placeholder until it is restarted; `npm start` builds the dashboard first).
 */
import { existsSync } from "node:fs";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

export const PLACEHOLDER_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>stormring</title></head>
<body>
<h1>stormring</h1>
<p>The dashboard is not built: <code>npm run build:web</code>, then restart the server.
Meanwhile the server speaks JSON:</p>
<ul>
<li><a href="/api/state">/api/state</a>: every daemon and the DHT</li>
<li><a href="/docs">/docs</a>: the API's documentation (OpenAPI)</li>
</ul>
</body>
</html>
`;

export async function registerWeb(app: FastifyInstance, webRoot: string): Promise<void> {
  if (existsSync(webRoot)) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: "index.html" });
    return;
  }
  app.get("/", { schema: { hide: true } }, async (_request, reply) =>
    reply.type("text/html; charset=utf-8").send(PLACEHOLDER_HTML),
  );
}
