import { fileURLToPath } from "node:url";

/** The real storm data beside the repository (read-only; never copied into it). */
export const SHARED_DATA = fileURLToPath(new URL("../../../../shared/data/", import.meta.url));
