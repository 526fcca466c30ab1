#!/usr/bin/env node
// `dht-peer`: a peer daemon (compiled into dist/ by `npm run build`).
import { runCompiled } from "./run-compiled.js";

await runCompiled("dht-peer");
