/**
 * What the fault buttons do, through the API: signals (Kill, Pause, Resume), a restart,
 * a peer's loss and a dropped message set over its control channel, and Reset carried
 * out as `planReset` says. Failures become notices (`actions.ts`), so no click fails
 * silently; the page changes when the events they cause arrive in the log.
 */
import { api } from "../api/client.ts";
import type { FaultChange } from "../api/types.ts";
import { describeError, runCommand } from "./actions.ts";
import { notify } from "./notices.ts";
import { planReset } from "./reset.ts";

async function attempt(title: string, run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    notify("error", title, [describeError(error)]);
    return false;
  }
}

export const faults = {
  kill: (daemonId: string) =>
    attempt(`Could not kill ${daemonId}`, () => api.signal(daemonId, "KILL")),
  pause: (daemonId: string) =>
    attempt(`Could not pause ${daemonId}`, () => api.signal(daemonId, "STOP")),
  resume: (daemonId: string) =>
    attempt(`Could not resume ${daemonId}`, () => api.signal(daemonId, "CONT")),
  restart: (daemonId: string) =>
    attempt(`Could not restart ${daemonId}`, () => api.restart(daemonId)),
  /** `percent`: 0 to 50 of every datagram the peer sends. */
  setLoss: (daemonId: string, percent: number) =>
    change(daemonId, { loss: percent / 100 }, `Could not set the loss of ${daemonId}`),
  dropNext: (daemonId: string, to: { ip: string; port: number }) =>
    change(daemonId, { dropNext: to }, `Could not drop ${daemonId}'s next message`),
};

async function change(daemonId: string, fault: FaultChange, title: string): Promise<boolean> {
  return attempt(title, async () => {
    const result = await api.faults(daemonId, fault);
    if (!result.ok) throw new Error(result.lines.join("; "));
  });
}

/** Resets the local daemons; `onStep` hears each step. True if every step succeeded. */
export async function resetDaemons(onStep: (step: string) => void): Promise<boolean> {
  let state: Awaited<ReturnType<typeof api.state>>;
  try {
    state = await api.state();
  } catch (error) {
    notify("error", "Could not reset", [describeError(error)]);
    return false;
  }
  const plan = planReset(state);
  let clean = true;
  for (const daemonId of plan.resume) {
    onStep(`resuming ${daemonId}`);
    clean = (await faults.resume(daemonId)) && clean;
  }
  if (plan.restartManager !== null) {
    onStep("starting the manager again");
    clean = (await faults.restart(plan.restartManager)) && clean;
  }
  for (const { daemonId, line } of [
    ...(plan.teardown === null ? [] : [plan.teardown]),
    ...plan.deregister,
  ]) {
    onStep(line);
    clean = (await runCommand(daemonId, line))?.ok === true && clean;
  }
  onStep(`restarting ${plan.restart.length} peers`);
  const restarted = await Promise.all(plan.restart.map((daemonId) => faults.restart(daemonId)));
  return restarted.every(Boolean) && clean;
}
