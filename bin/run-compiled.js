// Runs one of the bundles that `npm run build` (and so `npm install`) writes to dist/.
// A checkout whose dist/ was never built gets a message saying so, not a module trace.
// Source maps are off by default (reading them slows every start); with
// NODE_OPTIONS=--enable-source-maps, stack traces name the TypeScript files and lines.
import { fileURLToPath } from "node:url";

/** @param {string} name a bundle in dist/, e.g. "dht-peer" */
export async function runCompiled(name) {
  const bundle = new URL(`../dist/${name}.js`, import.meta.url);
  try {
    await import(bundle.href);
  } catch (error) {
    // Only the bundle itself missing; a module missing inside it is a different fault.
    if (error?.code === "ERR_MODULE_NOT_FOUND" && error.url === bundle.href) {
      process.stderr.write(`${fileURLToPath(bundle)} is missing: run \`npm run build\` first\n`);
      process.exit(1);
    }
    throw error;
  }
}
