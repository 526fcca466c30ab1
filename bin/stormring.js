#!/usr/bin/env node
// `stormring`: the server and its dashboard over a manager and peers, as `npm start` runs
// it. Runs the TypeScript sources through tsx, so no build step is needed (the dashboard's
// web/dist is built when the package is packed).
import { register } from "tsx/esm/api";

register();
await import("../server/src/main.ts");
