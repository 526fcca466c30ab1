/**
 * Where a daemon's shell publishes its events: listeners subscribe, the hub stamps each
 * event with the time and the daemon's Lamport clock. Publishing with no listener costs
 * one check, so callers test `active` before building an event that takes work.
 */
import type { DaemonEvent, PublishedEvent } from "./events.ts";

export type EventListener = (published: PublishedEvent) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly clock: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  get active(): boolean {
    return this.listeners.size > 0;
  }

  /** Subscribes; returns the function that unsubscribes. */
  observe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: DaemonEvent): void {
    if (this.listeners.size === 0) return;
    const published: PublishedEvent = { at: this.now(), clock: this.clock(), event };
    for (const listener of [...this.listeners]) listener(published);
  }
}
