/** How the benches time a console command: from writing it to stdin to a line it prints. */
import type { Daemon } from "../../daemons/demo/processes.ts";

/**
 * Milliseconds from the last command written to `daemon` to the first line at or after
 * index `from` matching `pattern`, by the times the lines arrived on its stdout (so both
 * pipes are included, alike for every process timed this way).
 */
export function sinceCommand(daemon: Daemon, from: number, pattern: RegExp): number {
  const index = daemon.lines.findIndex((line, i) => i >= from && pattern.test(line));
  if (index < 0) throw new Error(`${daemon.label}: no line matching ${pattern}`);
  return (daemon.times[index] as number) - daemon.lastSentAt;
}
