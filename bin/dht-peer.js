#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so no build step is needed.
import { register } from "tsx/esm/api";

register();
await import("../daemons/src/cli/peer.ts");
