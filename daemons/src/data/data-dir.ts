/**
 * The project's own data folder, which ships the course's years as `details-YYYY.csv.gz`.
 * It is found from this file's place in the package, not from the working directory, so
 * `npm start` from anywhere and the installed `dht-peer`/`stormring` commands all find it.
 */
import { join, sep } from "node:path";
import { PACKAGE_ROOT } from "../support/package-root.ts";

/** `<package>/data/`, ending in a path separator. */
export const DEFAULT_DATA_DIR = join(PACKAGE_ROOT, "data") + sep;

/** The data folder: the option if given, else `$DHT_DATA_DIR` if set, else the shipped one. */
export function dataDirFrom(option: string | undefined, env: NodeJS.ProcessEnv): string {
  return option ?? (env.DHT_DATA_DIR || DEFAULT_DATA_DIR);
}
