import type { Daemon } from "../../demo/processes.ts";

/**
 * Asks `eventId` from the free peer `asker` and returns what it printed. Right after a
 * repair's counts the manager (until the reporter's dht-rebuilt) or a member may still be
 * BUSY: asked again then, as the refusal says.
 */
export async function askWhenReady(
  asker: Daemon,
  name: string,
  eventId: number,
): Promise<string[]> {
  let lines: string[] = [];
  for (let attempt = 0; attempt < 10; attempt += 1) {
    lines = await asker.run(
      `query-dht ${name} ${eventId}`,
      /^id-seq: |refused|gave up|failed|FAILURE/,
    );
    const busy = lines.some(
      (line) => line.includes("FAILURE BUSY") || line.includes("refused (BUSY)"),
    );
    if (!busy) return lines;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return lines;
}
