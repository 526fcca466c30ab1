/**
 * The requests sent on one control channel that have no answer yet, by request id: a
 * command, a `faults` change (both answered by a result frame) or an `inspect` (answered
 * by an inspection frame, or by a result frame saying why not). Each ends with the daemon's
 * answer, with a `CommandTimeoutError` when none came in time, or with an Error when the
 * channel closes first.
 */
import type { PeerInspection } from "../../daemons/src/observe/inspection.ts";
import type { CommandResult } from "../../daemons/src/peer/runtime.ts";

export type { CommandResult } from "../../daemons/src/peer/runtime.ts";

/** What a daemon answers a request with. */
export type ControlAnswer = CommandResult | { inspection: PeerInspection };

/** No result came within the time allowed; the command may still be running. */
export class CommandTimeoutError extends Error {
  override readonly name = "CommandTimeoutError";

  constructor(
    readonly daemonId: string,
    readonly line: string,
    readonly timeoutMs: number,
  ) {
    super(`"${line}" on ${daemonId} got no result within ${timeoutMs} ms`);
  }
}

interface Waiting {
  resolve: (answer: ControlAnswer) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class PendingCommands {
  private readonly waiting = new Map<string, Waiting>();

  /** Waits for the result of `requestId` (register before sending the command). */
  wait(requestId: string, daemonId: string, line: string, timeoutMs: number) {
    return new Promise<ControlAnswer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new CommandTimeoutError(daemonId, line, timeoutMs));
      }, timeoutMs);
      this.waiting.set(requestId, { resolve, reject, timer });
    });
  }

  /** A result or inspection frame arrived: ends its request, if one still waits for it. */
  settle(requestId: string, answer: ControlAnswer): void {
    const waiting = this.waiting.get(requestId);
    if (waiting === undefined) return;
    this.waiting.delete(requestId);
    clearTimeout(waiting.timer);
    waiting.resolve(answer);
  }

  /** The channel closed: every command still waiting fails, saying `why`. */
  rejectAll(why: string): void {
    for (const [requestId, waiting] of this.waiting) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error(`${why} before request ${requestId} finished`));
    }
    this.waiting.clear();
  }
}
