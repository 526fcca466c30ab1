/**
 * What the demo buttons do, through the API: build the demo ring as `planDemoRing` says
 * (start peers, register them on free ports, setup-dht), and fetch a year's ids to query.
 * Failures become notices (`actions.ts`), and each step is reported as it starts.
 */
import { api } from "../api/client.ts";
import { addPeer, describeError, runCommand } from "./actions.ts";
import { DEMO_RING_SIZE, type DemoRingPlan, planDemoRing, type SampleIds } from "./demo-ring.ts";
import { notify } from "./notices.ts";

/** The ports a remote peer registers with: its host is its own, the server cannot probe it. */
const REMOTE_PORTS = [5001, 5002] as const;

/** Builds the demo ring; `onStep` hears each step. True once setup-dht has succeeded. */
export async function buildDemoRing(onStep: (step: string) => void): Promise<boolean> {
  try {
    const [state, { years }] = await Promise.all([api.state(), api.years()]);
    const plan = planDemoRing(state, years);
    if ("blocked" in plan) {
      notify("error", "Cannot build the demo ring", [plan.blocked]);
      return false;
    }
    const registered = await registerDemoPeers(plan, onStep);
    const leader = plan.leader ?? registered?.[0];
    if (leader === undefined) return false;
    const line = `setup-dht ${leader.name} ${DEMO_RING_SIZE} ${plan.year}`;
    onStep(line);
    return (await runCommand(leader.daemonId, line))?.ok === true;
  } catch (error) {
    notify("error", "Could not build the demo ring", [describeError(error)]);
    return false;
  }
}

/**
 * Starts the peers `plan` needs and registers them on free ports (a remote one on 5001
 * and 5002); the peers registered, or null if a step failed (its notice says why).
 */
export async function registerDemoPeers(
  plan: DemoRingPlan,
  onStep: (step: string) => void,
): Promise<{ daemonId: string; name: string }[] | null> {
  const started: string[] = [];
  for (let count = 1; count <= plan.start; count++) {
    onStep(`starting peer ${count} of ${plan.start}`);
    const id = await addPeer();
    if (id === null) return null;
    started.push(id);
  }
  const local = plan.registrations.filter((each) => !each.remote).length;
  const ports = local === 0 ? [] : (await api.freePorts("127.0.0.1", 2 * local)).ports;
  const registered: { daemonId: string; name: string }[] = [];
  for (const registration of plan.registrations) {
    const daemonId = registration.daemonId ?? started.shift();
    if (daemonId === undefined) return null;
    const [mport, pport] = registration.remote ? REMOTE_PORTS : ports.splice(0, 2);
    const { name, ip } = registration;
    onStep(`registering ${name}`);
    const result = await runCommand(daemonId, `register ${name} ${ip} ${mport} ${pport}`);
    if (result?.ok !== true) return null;
    registered.push({ daemonId, name });
  }
  return registered;
}

const samples = new Map<string, SampleIds>();

/** Ids to query `year` with, asked of the server once per page. */
export async function sampleIdsOf(year: string): Promise<SampleIds | null> {
  const known = samples.get(year);
  if (known !== undefined) return known;
  try {
    const { found, missing } = await api.sampleIds(year);
    samples.set(year, { found, missing });
    return { found, missing };
  } catch (error) {
    notify("error", `Could not draw an event id of ${year}`, [describeError(error)]);
    return null;
  }
}
