/**
 * The one interpreter of the peer machine's effects, used by the daemon and by the
 * in-memory simulation alike. It keeps the machine's state, the local hash table, the
 * links' outboxes, the query timers and the console commands in flight; everything that
 * leaves the process (sockets, files, the clock, exiting) goes through injected ports,
 * so the simulation runs the same code, timeouts included, on a fake clock.
 */
import { randomBytes } from "node:crypto";
import type { StormTable } from "../data/hash-table.ts";
import type { ManagerRequestBody, PeerBody, PeerTuple, Reply } from "../protocol/messages.ts";
import type { RecordLine } from "../protocol/record-line.ts";
import { LocalTable } from "./local-table.ts";
import { step } from "./machine.ts";
import { Outboxes } from "./outboxes.ts";
import {
  type CommandFailure,
  initialPeerState,
  type PeerEffect,
  type PeerEvent,
  type PeerState,
} from "./state.ts";
import { isTableEffect, runTableEffect, type TablePorts } from "./table-effects.ts";

/** What a console command printed while it ran, whether it succeeded, and if not, why. */
export interface CommandResult {
  ok: boolean;
  lines: string[];
  failure?: CommandFailure;
}

export type LoadOutcome =
  | { records: RecordLine[]; problems: { line: number; message: string }[] }
  /** `missing`: there is no data file for the year (rather than one that cannot be read). */
  | { error: string; missing: boolean };

export type RequestOutcome = { reply: Reply } | { error: string };

/** Where effects leave the process. Each port reports its outcome through its callback. */
export interface PeerIo {
  bind(
    name: string,
    ip: string,
    mport: number,
    pport: number,
    done: (error: string | null) => void,
  ): void;
  unbind(): void;
  load(year: string, done: (outcome: LoadOutcome) => void): void;
  request(body: ManagerRequestBody, done: (outcome: RequestOutcome) => void): void;
  /** Sends on the ordered link to `to`; `done` once it is acknowledged or given up. */
  send(to: PeerTuple, body: PeerBody, done: (error: string | null) => void): void;
  exit(code: number): void;
}

export interface Clock {
  /** Milliseconds from an arbitrary origin, never going back. */
  now(): number;
  /** Runs `run` after `ms` milliseconds; returns what cancels it. */
  after(ms: number, run: () => void): () => void;
  /** Runs `run` once the current burst of work is done (the next event-loop turn). */
  soon(run: () => void): void;
}

/** What the runtime tells its observers; every hook is optional. */
export interface RuntimeHooks {
  printed?(line: string): void;
  rejected?(from: string, reason: string): void;
  /** A leader starts storing `total` records on its ring. */
  storing?(total: number): void;
  /** Records reached a table: this node's, or the next node's for a leader's stores. */
  stored?(records: number): void;
  /** One event has been stepped and its effects run. */
  stepped?(): void;
  /** A query this peer asked is over without an answer. */
  gaveUp?(queryId: number, eventId: number, reason: string): void;
  /** A console command has ended. */
  finished?(ok: boolean): void;
}

export interface PeerRuntimeOptions {
  io: PeerIo;
  clock: Clock;
  random: () => number;
  /** A query's nonce; by default 8 bytes from the system's secure random source. */
  nonce?: () => string;
  /** Largest datagram a store may fill, in bytes. */
  maxDatagram: number;
  /** How often a member probes its right neighbour (a `tick` event); Infinity: never. */
  probeIntervalMs: number;
  /** A tick later than this was a pause long enough to be taken for dead (default: never). */
  deadAfterMs?: number;
  /** How long a ring command may wait for its outcome (default 35 s). */
  commandTimeoutMs?: number;
  hooks?: RuntimeHooks;
}

export class PeerRuntime {
  private current: PeerState;
  private readonly local = new LocalTable();
  private readonly outboxes: Outboxes;
  private readonly cancelTimers = new Set<() => void>();
  private lastCommandId = 0;
  /** Commands not finished yet, collecting what is printed while they run. */
  private readonly running = new Map<
    number,
    { lines: string[]; resolve: (result: CommandResult) => void }
  >();
  private readonly hooks: RuntimeHooks;

  private stopped = false;

  constructor(private readonly options: PeerRuntimeOptions) {
    this.hooks = options.hooks ?? {};
    this.outboxes = new Outboxes(
      options.maxDatagram,
      (run) => options.clock.soon(run),
      (to, body, notify, done) => this.transmit(to, body, notify, done),
      (to, body, error) => this.dispatch({ kind: "send-failed", to, body, error }),
    );
    this.current = initialPeerState(options.commandTimeoutMs);
    this.scheduleTick();
  }

  private scheduleTick(): void {
    const { probeIntervalMs, clock, deadAfterMs = Number.POSITIVE_INFINITY } = this.options;
    if (this.stopped || !Number.isFinite(probeIntervalMs)) return;
    const due = clock.now() + probeIntervalMs;
    const cancel = clock.after(probeIntervalMs, () => {
      this.cancelTimers.delete(cancel);
      const lateMs = clock.now() - due;
      this.dispatch(lateMs > deadAfterMs ? { kind: "tick", pausedMs: lateMs } : { kind: "tick" });
      this.scheduleTick();
    });
    this.cancelTimers.add(cancel);
  }

  get state(): PeerState {
    return this.current;
  }

  get table(): StormTable | null {
    return this.local.table;
  }

  get recordsHeld(): number {
    return this.local.size;
  }

  /** How many of the records held are copies of other nodes' primaries (a replicated ring). */
  get copiesHeld(): number {
    return this.local.copies;
  }

  /** Runs a console line; resolves when the command has finished, with what it printed. */
  command(line: string): Promise<CommandResult> {
    const commandId = ++this.lastCommandId;
    return new Promise((resolve) => {
      this.running.set(commandId, { lines: [], resolve });
      this.dispatch({ kind: "line", line, commandId });
    });
  }

  /** Prints a line as the peer's own output (also collected by running commands). */
  print(line: string): void {
    this.hooks.printed?.(line);
    for (const command of this.running.values()) command.lines.push(line);
  }

  dispatch(event: PeerEvent): void {
    const { random, nonce = randomNonce } = this.options;
    const { state, effects } = step(this.current, event, { random, nonce });
    this.current = state;
    for (const effect of effects) this.run(effect);
    this.hooks.stepped?.();
  }

  /** Cancels every timer and forgets the links' outboxes (the sockets are going). */
  stop(): void {
    this.stopped = true;
    for (const cancel of this.cancelTimers) cancel();
    this.cancelTimers.clear();
    this.outboxes.clear();
  }

  private run(effect: PeerEffect): void {
    const { io } = this.options;
    if (isTableEffect(effect)) {
      runTableEffect(effect, this.local, this.tablePorts);
      return;
    }
    switch (effect.kind) {
      case "print":
        this.print(effect.line);
        return;
      case "done": {
        const command = this.running.get(effect.commandId);
        this.running.delete(effect.commandId);
        const { failure } = effect;
        command?.resolve({
          ok: failure === null,
          lines: command.lines,
          ...(failure ? { failure } : {}),
        });
        this.hooks.finished?.(failure === null);
        return;
      }
      case "bind":
        io.bind(effect.name, effect.ip, effect.mport, effect.pport, (error) =>
          this.dispatch(error === null ? { kind: "bound" } : { kind: "bind-failed", error }),
        );
        return;
      case "unbind":
        this.outboxes.clear();
        io.unbind();
        return;
      case "load":
        io.load(effect.year, (outcome) => this.loaded(effect.year, outcome));
        return;
      case "request": {
        const { requestId, body } = effect;
        io.request(body, (outcome) =>
          this.dispatch(
            "reply" in outcome
              ? { kind: "reply", requestId, request: body, reply: outcome.reply }
              : { kind: "request-failed", requestId, request: body, error: outcome.error },
          ),
        );
        return;
      }
      case "send":
        this.send(effect.to, effect.body, effect.notify ?? false);
        return;
      case "send-records":
        this.outboxes.records(effect.to, this.senderName, effect.lines, effect.tableSize);
        return;
      case "start-timer": {
        const cancel = this.options.clock.after(effect.ms, () => {
          this.cancelTimers.delete(cancel);
          this.dispatch({ kind: "timer", timer: effect.timer });
        });
        this.cancelTimers.add(cancel);
        return;
      }
      case "query-unanswered":
        this.hooks.gaveUp?.(effect.queryId, effect.eventId, effect.reason);
        return;
      case "reject":
        this.hooks.rejected?.(effect.from, `${effect.type} ignored: ${effect.reason}`);
        return;
      case "exit":
        this.stop();
        io.exit(effect.code);
        return;
    }
  }

  private loaded(year: string, outcome: LoadOutcome): void {
    if ("error" in outcome) {
      this.dispatch({ kind: "load-failed", year, error: outcome.error, missing: outcome.missing });
      return;
    }
    for (const problem of outcome.problems) {
      this.print(`details-${year}.csv line ${problem.line}: ${problem.message} (skipped)`);
    }
    this.dispatch({ kind: "loaded", year, records: outcome.records });
  }

  private send(to: PeerTuple, body: PeerBody, notify: boolean): void {
    this.outboxes.send(to, body, notify);
  }

  private readonly tablePorts: TablePorts = {
    send: (to, body) => this.send(to, body, false),
    sendRecords: (to, lines, tableSize, gather) =>
      this.outboxes.records(to, this.senderName, lines, tableSize, gather),
    loaded: (year, records) =>
      this.options.clock.soon(() => this.dispatch({ kind: "loaded", year, records })),
    print: (line) => this.print(line),
    storing: (total) => this.hooks.storing?.(total),
    stored: (records) => this.hooks.stored?.(records),
  };

  private get senderName(): string {
    return this.current.registration?.name as string;
  }

  private transmit(
    to: PeerTuple,
    body: PeerBody,
    notify: boolean,
    done: (error: string | null) => void,
  ): void {
    this.options.io.send(to, body, (error) => {
      if (error !== null) {
        this.dispatch({ kind: "send-failed", to, body, error });
      } else {
        // A leader's stores count as stored once the next node has them.
        if (body.type === "store") this.hooks.stored?.(body.records.length);
        if (notify) this.dispatch({ kind: "delivered", to, body });
      }
      done(error);
    });
  }
}

function randomNonce(): string {
  return randomBytes(8).toString("hex");
}
