/** `/`: the built dashboard (`web/dist`) if there is one, else a placeholder page. */
import { existsSync } from "node:fs";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

export const PLACEHOLDER_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>stormring</title></head>
<body>
<h1>stormring</h1>
<p>The dashboard comes later. Until then the server speaks JSON:</p>
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
