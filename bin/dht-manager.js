#!/usr/bin/env node
// `dht-manager`: the manager daemon (compiled into dist/ by `npm run build`).
import { runCompiled } from "./run-compiled.js";

await runCompiled("dht-manager");
