/**
 * The committed benchmark results, read-only: `GET /api/bench` lists the plots (SVG) and
 * the numbers (JSON) in `bench/results/`, and `GET /api/bench/:file` serves one of them.
 * Only a plain file of that folder whose name passes `BENCH_FILE` is ever read: the name
 * is checked against the pattern and against the folder's own listing (no other path can
 * be spelt), and a link or a folder of that name is refused, so nothing outside the
 * folder can be reached. Anything else is 404 NOT_FOUND.
 */
import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, Type } from "@sinclair/typebox";
import { errorRef, errors } from "../errors.ts";

/** Lower-case words joined by hyphens, then .svg or .json: `scale-time-vs-n.svg`. */
export const BENCH_FILE = /^[a-z0-9]+(?:-[a-z0-9]+)*\.(svg|json)$/;

const CONTENT_TYPES = { svg: "image/svg+xml", json: "application/json; charset=utf-8" } as const;

const BenchFileSchema = Type.Object({
  name: Type.String({ pattern: BENCH_FILE.source }),
  kind: Type.Union([Type.Literal("svg"), Type.Literal("json")]),
  bytes: Type.Integer(),
  modified: Type.String({ description: "ISO 8601, when the file was last written" }),
});

export const BenchListRoute = {
  summary: "The committed benchmark results: plots (svg) and their numbers (json)",
  description:
    "Files of bench/results whose names are lower-case words joined by hyphens, ending .svg or .json, by name. Empty when the folder does not exist (an installed package has none).",
  tags: ["bench"],
  response: { 200: Type.Object({ files: Type.Array(BenchFileSchema) }) },
};

export const BenchFileRoute = {
  summary: "One benchmark result, as it was committed",
  description: "Only a name GET /api/bench lists; anything else is 404 NOT_FOUND.",
  tags: ["bench"],
  params: Type.Object({ file: Type.String({ maxLength: 200 }) }),
  response: { 404: errorRef },
};

export interface BenchRoutesOptions {
  /** The folder of results, absolute. */
  benchDir: string;
}

export type BenchFile = Static<typeof BenchFileSchema>;

/** The result files of `benchDir`: plain files with allowed names, by name. */
export async function listBench(benchDir: string): Promise<BenchFile[]> {
  let names: string[];
  try {
    names = await readdir(benchDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files: BenchFile[] = [];
  for (const name of names.sort()) {
    const kind = BENCH_FILE.exec(name)?.[1];
    if (kind !== "svg" && kind !== "json") continue;
    const stats = await lstat(join(benchDir, name)).catch(() => null);
    // A link could point anywhere: only the folder's own plain files are results.
    if (stats === null || !stats.isFile()) continue;
    files.push({ name, kind, bytes: stats.size, modified: stats.mtime.toISOString() });
  }
  return files;
}

export const benchRoutes: FastifyPluginAsyncTypebox<BenchRoutesOptions> = async (
  app,
  { benchDir },
) => {
  app.get("/api/bench", { schema: BenchListRoute }, async (_request, reply) => {
    // Another run may be writing new plots: never served from a cache.
    reply.header("cache-control", "no-cache");
    return { files: await listBench(benchDir) };
  });

  app.get("/api/bench/:file", { schema: BenchFileRoute }, async (request, reply) => {
    const { file } = request.params;
    const listed = BENCH_FILE.test(file)
      ? (await listBench(benchDir)).find((each) => each.name === file)
      : undefined;
    if (listed === undefined) throw errors.notFound(request.method, request.url);
    const body = await readFile(join(benchDir, listed.name));
    return (
      reply
        .type(CONTENT_TYPES[listed.kind])
        .header("cache-control", "no-cache")
        .header("x-content-type-options", "nosniff")
        // A plot opened on its own runs nothing: an SVG may carry script.
        .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'")
        .send(body)
    );
  });
};
