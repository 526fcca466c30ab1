/**
 * The dashboard's one mutable place: the event log, kept up to date from `/api/live`,
 * and the time cursor over it. Components read it through `useDashboard` and change it
 * only through the actions below; everything they draw is derived from (log, cursor).
 */
import { useSyncExternalStore } from "react";
import type { LiveMessage } from "../api/types.ts";
import { whyNotNow } from "./acting.ts";
import {
  appendEntries,
  appendState,
  EMPTY_LOG,
  type EventLog,
  firstSeq,
  isRestart,
  lastSeq,
  restartLog,
  stepFrom,
} from "./log.ts";

export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;
/** Log entries replayed per second at speed 1. */
const ENTRIES_PER_SECOND = 8;

export interface DashboardState {
  log: EventLog;
  /** The seq shown; null follows the newest entry (live). */
  pinned: number | null;
  playing: boolean;
  speed: number;
  connection: "connecting" | "open" | "closed";
  /** The peer (daemon id) that queries, picked by clicking a Free peer. */
  queryingPeer: string | null;
  /** The query whose hops the ring replays (QueryRun.key); null shows the newest. */
  replayedQuery: string | null;
  /** How far the ring's replay of the shown query has got. */
  hopReplay: HopReplay;
  /** The peer (daemon id) the node inspector shows; null: closed. */
  inspected: string | null;
  /** Departed peers (daemon ids) `Clear departed` took off the page. */
  cleared: ReadonlySet<string>;
  /** A recorded session replayed instead of the live feed (no daemons behind it). */
  session: { source: string; exportedAt: string } | null;
}

/**
 * The replay of a query's walk: the step shown (0: the manager's choice, k: hop k) of the
 * query keyed, advancing on its own while `playing`; `Next hop` and `Previous hop` stop it.
 */
export interface HopReplay {
  queryKey: string | null;
  step: number;
  playing: boolean;
}

const FRESH_REPLAY: HopReplay = { queryKey: null, step: 0, playing: true };

let state: DashboardState = {
  log: EMPTY_LOG,
  pinned: null,
  playing: false,
  speed: 1,
  connection: "connecting",
  queryingPeer: null,
  replayedQuery: null,
  hopReplay: FRESH_REPLAY,
  inspected: null,
  cleared: new Set(),
  session: null,
};
const listeners = new Set<() => void>();

function set(patch: Partial<DashboardState>): void {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

export function useDashboard(): DashboardState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

/** The state now, for actions outside React (the lecture's steps). */
export function getDashboard(): DashboardState {
  return state;
}

/** The seq the views are derived at. */
export function cursorOf(current: DashboardState): number {
  return current.pinned ?? lastSeq(current.log);
}

/** Why no click may act on the daemons now (the past, a recorded session), or null. */
export function notNowOf(current: DashboardState): string | null {
  return whyNotNow({
    replaying: current.session !== null,
    pinned: current.pinned,
    newest: lastSeq(current.log),
  });
}

/** A seq asked for by the page's address (#t=), to seek to once the log reaches it. */
let seekWhenLoaded: number | null = null;

export function seekOnceLoaded(seq: number | null): void {
  seekWhenLoaded = seq;
  applyPendingSeek();
}

function applyPendingSeek(): void {
  if (seekWhenLoaded === null || lastSeq(state.log) < seekWhenLoaded) return;
  const seq = seekWhenLoaded;
  seekWhenLoaded = null;
  timeControl.seek(seq);
}

/**
 * Replays a recorded session: the live feed is closed for good (a session has no daemons
 * behind it) and its log replaces the page's, shown from its start.
 */
export function loadSession(log: EventLog, session: DashboardState["session"]): void {
  stopPlaying();
  closeLive?.();
  closeLive = null;
  set({
    log,
    session,
    pinned: Math.max(0, firstSeq(log) - 1),
    playing: false,
    connection: "closed",
    queryingPeer: null,
    replayedQuery: null,
    hopReplay: FRESH_REPLAY,
    inspected: null,
  });
  applyPendingSeek();
}

/** Takes one live message; false when the server has restarted and must be read anew. */
export function receive(message: LiveMessage): boolean {
  if (message.type === "state") {
    set({ log: appendState(state.log, message.state, message.seq) });
  } else if (isRestart(state.log, message.entries)) {
    stopPlaying();
    set({
      log: restartLog(state.log),
      pinned: null,
      playing: false,
      replayedQuery: null,
      hopReplay: FRESH_REPLAY,
    });
    return false;
  } else {
    set({ log: appendEntries(state.log, message.entries) });
    applyPendingSeek();
  }
  return true;
}

let playTimer: ReturnType<typeof setInterval> | null = null;

function stopPlaying(): void {
  if (playTimer !== null) clearInterval(playTimer);
  playTimer = null;
}

export const timeControl = {
  live(): void {
    stopPlaying();
    set({ pinned: null, playing: false });
  },
  pause(): void {
    stopPlaying();
    set({ pinned: cursorOf(state), playing: false });
  },
  /** Moves the cursor to `seq` (clamped to the log), pausing live updates. */
  seek(seq: number): void {
    stopPlaying();
    const clamped = Math.min(lastSeq(state.log), Math.max(firstSeq(state.log) - 1, seq));
    set({ pinned: clamped, playing: false });
  },
  step(direction: 1 | -1): void {
    timeControl.seek(stepFrom(state.log, cursorOf(state), direction));
  },
  /** Replays from the cursor towards the newest entry, then goes live. */
  play(): void {
    stopPlaying();
    if (state.pinned === null) return;
    set({ playing: true });
    playTimer = setInterval(
      () => {
        const next = stepFrom(state.log, cursorOf(state), 1);
        if (next >= lastSeq(state.log)) timeControl.live();
        else set({ pinned: next });
      },
      1000 / (ENTRIES_PER_SECOND * state.speed),
    );
  },
  setSpeed(speed: number): void {
    set({ speed });
    if (state.playing) timeControl.play();
  },
  /** One step up or down the SPEEDS list. */
  faster(steps: 1 | -1): void {
    const index = SPEEDS.indexOf(state.speed as (typeof SPEEDS)[number]);
    const next = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, index + steps))];
    if (next !== undefined) timeControl.setSpeed(next);
  },
  /** Whether the cursor is moving (live, or replaying the past). */
  isRunning(): boolean {
    return state.pinned === null || state.playing;
  },
};

export const selection = {
  queryingPeer(daemonId: string | null): void {
    set({ queryingPeer: daemonId });
  },
  replay(queryKey: string | null): void {
    set({ replayedQuery: queryKey });
  },
  /** Takes these departed peers off the page (the server still lists them). */
  clearDeparted(daemonIds: readonly string[]): void {
    set({ cleared: new Set([...state.cleared, ...daemonIds]) });
  },
  /** Opens the node inspector on a peer, or closes it (null). */
  inspect(daemonId: string | null): void {
    set({ inspected: daemonId });
  },
};

export const hopControl = {
  /** Replays `queryKey` from hop 0 unless it is the one replayed already. */
  follow(queryKey: string | null): void {
    if (state.hopReplay.queryKey !== queryKey) set({ hopReplay: { ...FRESH_REPLAY, queryKey } });
  },
  /** One step on, while playing, up to `lastStep`. */
  advance(queryKey: string | null, lastStep: number): void {
    const { hopReplay } = state;
    if (hopReplay.queryKey !== queryKey || !hopReplay.playing || hopReplay.step >= lastStep) return;
    set({ hopReplay: { ...hopReplay, step: hopReplay.step + 1 } });
  },
  /** Shows `step` of `queryKey` and stays there (a hop button). */
  show(queryKey: string | null, step: number): void {
    set({ hopReplay: { queryKey, step, playing: false } });
  },
  restart(queryKey: string | null): void {
    set({ hopReplay: { ...FRESH_REPLAY, queryKey } });
  },
};

/** Closes the live feed; set while one is open. */
let closeLive: (() => void) | null = null;

/** Keeps a WebSocket to /api/live open, resuming after the last entry held. */
export function connectLive(): () => void {
  if (state.session !== null) return () => {};
  let socket: WebSocket | null = null;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  const open = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/api/live?after=${lastSeq(state.log)}`);
    set({ connection: "connecting" });
    socket.onopen = () => set({ connection: "open" });
    socket.onmessage = (message) => {
      // A restarted server's timeline is asked for again from its start.
      if (!receive(JSON.parse(String(message.data)) as LiveMessage)) socket?.close();
    };
    socket.onclose = () => {
      set({ connection: "closed" });
      if (!closed) retry = setTimeout(open, 1_000);
    };
  };
  open();
  closeLive = () => {
    closed = true;
    if (retry !== null) clearTimeout(retry);
    socket?.close();
  };
  return closeLive;
}
