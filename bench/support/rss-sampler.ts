/**
 * Samples the resident memory of a set of daemons every few hundred milliseconds while a
 * phase runs, keeping each one's peak: a single reading after a phase would miss what a
 * leader held while it was sending.
 */
import type { Daemon } from "../../daemons/demo/processes.ts";
import { rssOf } from "../../daemons/test/support/memory.ts";

const SAMPLE_EVERY_MS = 200;

export class RssSampler {
  private readonly peaks = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly daemons: Daemon[]) {}

  start(): void {
    this.peaks.clear();
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
  }

  /** Stops sampling; returns each daemon's peak RSS in bytes, by label. */
  stop(): Map<string, number> {
    clearInterval(this.timer);
    this.sample();
    return new Map(this.peaks);
  }

  private sample(): void {
    for (const daemon of this.daemons) {
      if (daemon.child.exitCode !== null) continue;
      const rss = rssOf(daemon);
      this.peaks.set(daemon.label, Math.max(this.peaks.get(daemon.label) ?? 0, rss));
    }
  }
}
