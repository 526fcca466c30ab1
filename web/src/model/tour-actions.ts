/**
 * Lecture mode as it runs: which step is shown, the log's span of each step run, who the
 * steps named, and what is under way. `Next` runs the next step's real command (live),
 * or after `Previous` shows the step already run as it ended, from the log; `Previous`
 * moves the time cursor back to where the step before ended. Failures become notices.
 */
import { useSyncExternalStore } from "react";
import { api } from "../api/client.ts";
import { describeError, runCommand } from "./actions.ts";
import { registerDemoPeers } from "./demo-actions.ts";
import { lastSeq } from "./log.ts";
import { notify } from "./notices.ts";
import { getDashboard, timeControl } from "./store.ts";
import {
  nextMove,
  previousMove,
  TOUR_STEPS,
  type TourCast,
  type TourMove,
  type TourProgress,
  tourCommand,
} from "./tour.ts";

export interface TourState {
  on: boolean;
  /** The caption is hidden (`.`, a remote's blank-screen key); the steps go on. */
  blank: boolean;
  progress: TourProgress;
  cast: TourCast;
  /** The command being run, e.g. "setup-dht alpha 5 1996". */
  running: string | null;
}

const START: TourState = {
  on: false,
  blank: false,
  progress: { ran: [], shown: -1 },
  cast: { outsider: null, leaver: null },
  running: null,
};

let tour = START;
const listeners = new Set<() => void>();

function set(patch: Partial<TourState>): void {
  tour = { ...tour, ...patch };
  for (const listener of listeners) listener();
}

export function useTour(): TourState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => tour,
  );
}

export const lecture = {
  /** Turns lecture mode on (from its first step) or off. */
  toggle(): void {
    set(tour.on ? { on: false } : { ...START, on: true });
  },
  blank(): void {
    if (tour.on) set({ blank: !tour.blank });
  },
  async next(): Promise<void> {
    if (tour.on && tour.running === null) await move(nextMove(tour.progress));
  },
  async previous(): Promise<void> {
    if (tour.on && tour.running === null) await move(previousMove(tour.progress));
  },
};

async function move(step: TourMove): Promise<void> {
  if (step.kind === "none") return;
  if (step.kind === "show") {
    // The last step run is the present: shown live, not pinned at its end.
    const newest = step.index === tour.progress.ran.length - 1;
    if (newest) timeControl.live();
    else timeControl.seek(step.seq);
    set({ progress: { ...tour.progress, shown: step.index } });
    return;
  }
  timeControl.live();
  const startSeq = lastSeq(getDashboard().log);
  if (await runStep(step.index)) {
    const ran = [...tour.progress.ran, { startSeq, endSeq: lastSeq(getDashboard().log) }];
    set({ progress: { ran, shown: step.index } });
  }
}

/** Runs step `index`'s command; true if it succeeded. */
async function runStep(index: number): Promise<boolean> {
  const title = `Lecture step ${index + 1}: ${TOUR_STEPS[index]?.title ?? ""}`;
  try {
    const [state, { years }] = await Promise.all([api.state(), api.years()]);
    const command = tourCommand(index, state, years, tour.cast);
    if ("blocked" in command) {
      notify("error", `${title} cannot run`, [command.blocked]);
      return false;
    }
    if (command.kind === "register") {
      set({ running: "registering six peers" });
      return (await registerDemoPeers(command.plan, (line) => set({ running: line }))) !== null;
    }
    set({ running: command.line });
    if (index === 2) set({ cast: { ...tour.cast, outsider: command.line.split(" ")[1] ?? null } });
    if (index === 4) set({ cast: { ...tour.cast, leaver: command.line.split(" ")[1] ?? null } });
    return (await runCommand(command.daemonId, command.line))?.ok === true;
  } catch (error) {
    notify("error", `${title} failed`, [describeError(error)]);
    return false;
  } finally {
    set({ running: null });
  }
}
