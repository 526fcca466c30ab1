/**
 * `npm run build` (and so `npm install`, through `prepare`): compiles the three commands
 * into one ES module each in dist/, which bin/*.js run; tsx runs the sources only in
 * development and tests.
 *
 * The daemons' bundles include their dependencies (typebox, ws, csv-parse): node then
 * reads one file instead of resolving hundreds at every start, which is most of a
 * daemon's start time and a good part of its idle memory (`npm run bench:start`).
 * better-sqlite3 stays outside (a native addon, found in node_modules at run time). The
 * server's bundle leaves every package outside: Fastify's plugins and logger find files
 * of their own packages at run time, and the server starts once per session anyway.
 */
import { type BuildOptions, build } from "esbuild";

const common: BuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outdir: "dist",
  // Stack traces name the TypeScript files and lines; their text stays out of the package.
  sourcemap: true,
  sourcesContent: false,
  logLevel: "warning",
};

await Promise.all([
  build({
    ...common,
    entryPoints: {
      "dht-manager": "daemons/src/cli/manager.ts",
      "dht-peer": "daemons/src/cli/peer.ts",
    },
    // ws's optional native helpers, tried in a try/catch, and the addon itself.
    external: ["better-sqlite3", "bufferutil", "utf-8-validate"],
    // ws and csv-parse are CommonJS: their require() of node's modules needs a real one.
    banner: {
      js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);",
    },
  }),
  build({ ...common, entryPoints: { stormring: "server/src/main.ts" }, packages: "external" }),
]);
