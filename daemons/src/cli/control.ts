/** Starts a daemon's control channel from its command-line settings, if it asked for one. */

import { ControlServer, type ControlSource } from "../control/server.ts";
import type { ControlArgs } from "./args.ts";

export async function launchControl(
  args: ControlArgs | undefined,
  source: ControlSource,
  out: (line: string) => void,
): Promise<ControlServer | null> {
  if (args === undefined) return null;
  const server = await ControlServer.start({ ...args, source });
  out(`control channel on ${server.url}`);
  return server;
}
