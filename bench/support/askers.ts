/**
 * The two ways a person or a program asks stormring a query: a peer's console (stdin to
 * its `id-seq:` line) and its control channel (a WebSocket command frame to its result
 * frame). Both include the manager round trip for a member, the walk, and the asking
 * peer's printing of the answer; the control channel also the peer building an event for
 * every message and line for the attached client.
 */
import type { Daemon } from "../../daemons/demo/processes.ts";
import { ControlClient } from "../../daemons/test/integration/control-client.ts";
import { sinceCommand } from "./timing.ts";
import type { Walker, WalkOutcome } from "./walker.ts";

const STEP_MS = 60_000;
const ANSWERED = /^id-seq: |gave up|: FAILURE/;

/** How the lines of one answered query read; throws for a query that got no answer. */
function outcomeOf(lines: readonly string[], eventId: number): Omit<WalkOutcome, "ms"> {
  const last = lines.at(-1) ?? "";
  if (!last.startsWith("id-seq: ") || lines.some((line) => line.includes(" refused ("))) {
    throw new Error(`query ${eventId} failed: ${lines.join(" | ")}`);
  }
  const hops = last.slice("id-seq: ".length).trim().split(/\s+/).filter(Boolean).length;
  return { found: !lines.some((line) => line.includes("not found in the DHT")), hops };
}

/** `query-dht <name> <id>` typed on a peer's console; the manager picks the first member. */
export class ConsoleAsker implements Walker {
  constructor(
    private readonly peer: Daemon,
    private readonly name: string,
  ) {}

  async query(eventId: number): Promise<WalkOutcome> {
    const from = this.peer.lines.length;
    const lines = await this.peer.run(`query-dht ${this.name} ${eventId}`, ANSWERED, STEP_MS);
    return { ms: sinceCommand(this.peer, from, /^id-seq: /), ...outcomeOf(lines, eventId) };
  }
}

/**
 * `query-dht` sent as a command frame on a peer's control channel, with the test suite's
 * client. Also keeps, per query, the walk as the asking daemon's own events time it: its
 * first find-event sent to the find-result received, by the events' `at` (whole ms).
 */
export class ControlAsker implements Walker {
  /** Per query: the asking daemon's event times, result received minus first hop sent. */
  readonly daemonWalkMs: number[] = [];

  private constructor(
    private readonly client: ControlClient,
    private readonly name: string,
  ) {}

  static async connect(url: string, name: string): Promise<ControlAsker> {
    const client = await ControlClient.connect(url);
    await client.waitFor((frame) => frame.type === "snapshot");
    return new ControlAsker(client, name);
  }

  async query(eventId: number): Promise<WalkOutcome> {
    // The client keeps every frame and scans them per command: forget the last query's, so
    // the thousandth query is not slower to see its result than the first.
    this.client.frames.length = 0;
    const sentAt = performance.now();
    const result = await this.client.command(`query-dht ${this.name} ${eventId}`, STEP_MS);
    const ms = performance.now() - sentAt;
    if (result.type !== "result" || !result.ok) {
      throw new Error(`query ${eventId} over the control channel failed: ${result.lines}`);
    }
    this.noteDaemonWalk();
    return { ms, ...outcomeOf(result.lines, eventId) };
  }

  close(): void {
    this.client.close();
  }

  private noteDaemonWalk(): void {
    const hop = this.client.events.find(
      ({ event }) => event.kind === "query-hop" && event.direction === "sent",
    );
    const answer = this.client.events.find(
      ({ event }) => event.kind === "query-result" && event.direction === "received",
    );
    if (hop && answer) this.daemonWalkMs.push(answer.at - hop.at);
  }
}
