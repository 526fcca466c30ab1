#!/usr/bin/env node
// `stormring`: the server and its dashboard over a manager and peers, as `npm start`
// runs it (compiled into dist/ by `npm run build`).
import { runCompiled } from "./run-compiled.js";

await runCompiled("stormring");
