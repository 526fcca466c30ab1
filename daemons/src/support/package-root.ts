/**
 * The package's root folder, where its package.json is. It is found by walking up from
 * this module rather than by a fixed number of `../`, because the same code runs from the
 * TypeScript sources (daemons/src/support/) and from the bundles in dist/, at different
 * depths; `data/`, `web/dist/` and `bin/` are found from it.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function packageRootAbove(start: string): string {
  let folder = start;
  while (!existsSync(join(folder, "package.json"))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json in ${start} or above it`);
    folder = parent;
  }
  return folder;
}

export const PACKAGE_ROOT = packageRootAbove(dirname(fileURLToPath(import.meta.url)));
