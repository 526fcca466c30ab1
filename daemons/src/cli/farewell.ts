/**
 * What a peer does when it is told to stop (Ctrl-C, SIGTERM): a member leaves its DHT so
 * the ring is rebuilt without it, then a registered peer deregisters, each as if typed on
 * the console. Bounded: whatever does not finish in time is given up, and the peer exits.
 */
import type { PeerDaemon } from "../daemon/peer-daemon.ts";

/** Long enough for a leave's rebuild of a large year on a slow ring. */
const FAREWELL_MS = 20_000;

export async function leaveAndDeregister(
  peer: PeerDaemon,
  out: (line: string) => void,
): Promise<void> {
  const { name, id } = peer.snapshot;
  if (name === null) return;
  out(
    `stopping: ${id === null ? "deregistering" : "leaving the DHT, then deregistering"} first (a second signal exits at once)`,
  );
  const deadline = new Promise<"late">((resolve) =>
    setTimeout(() => resolve("late"), FAREWELL_MS).unref(),
  );
  const steps = async () => {
    if (id !== null) await peer.command(`leave-dht ${name}`);
    await peer.command(`deregister ${name}`);
  };
  if ((await Promise.race([steps(), deadline])) === "late") {
    out(`stopping: gave up leaving after ${FAREWELL_MS / 1000} s`);
  }
}
