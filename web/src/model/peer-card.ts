/**
 * What a peer's card says in words: its accessible name (the e2e finds cards by it), its
 * address line, how a dead peer ended, and the year a failed command found missing.
 */
import type { CommandResult, PeerSnapshot } from "../api/types.ts";
import { formatCount } from "./format.ts";
import type { DaemonAtCursor } from "./view.ts";

/** "peer-3: alpha, Free": the daemon id, the name it registered (if any) and its status. */
export function peerLabel({ id, name, status }: DaemonAtCursor): string {
  return `${id}: ${name ?? "unregistered"}, ${status}`;
}

/** The addresses the peer registered, or why it has none. */
export function addressLine(daemon: DaemonAtCursor): string {
  const addresses = daemon.snapshot?.addresses ?? null;
  if (addresses === null) {
    return daemon.alive ? "not registered with the manager" : "not running";
  }
  return `${addresses.ip}  m-port ${addresses.mport}  p-port ${addresses.pport}`;
}

/**
 * How a dead daemon ended: "crashed (SIGKILL)" or "crashed (exit code 1)", a clean
 * "deregistered and exited (code 0)" (a peer exits 0 only once it has deregistered), else the supervisor's last word on its process, when it had one.
 */
export function exitLine(daemon: DaemonAtCursor): string {
  if (daemon.remote) return "its control channel has closed";
  if (daemon.ended === "crashed") {
    return `crashed (${daemon.signal ?? `exit code ${daemon.exitCode ?? "unknown"}`})`;
  }
  if (daemon.ended === "exited") return "deregistered and exited (code 0)";
  return (
    daemon.lastOutput.findLast((line) => line.startsWith("[supervisor]")) ??
    "its process has exited"
  );
}

/**
 * The records a member holds: "9,707 records", and on a replicated ring which of them are
 * its primaries and which copies of others': "19,414 records (9,707 primary, 9,707 copies)".
 */
export function recordsLine(snapshot: PeerSnapshot): string {
  const { recordsHeld, copiesHeld } = snapshot;
  const held = `${formatCount(recordsHeld)} records`;
  if (!holdsCopies(snapshot)) return held;
  const primary = formatCount(recordsHeld - copiesHeld);
  return `${held} (${primary} primary, ${formatCount(copiesHeld)} copies)`;
}

/** A member of a replicated ring: its records are primaries and copies. */
export function holdsCopies({ copiesHeld, replication }: PeerSnapshot): boolean {
  return copiesHeld > 0 || (replication?.replicas ?? 1) > 1;
}

/** The year a command failed for lack of, so the card can offer to fetch it. */
export function missingYearOf(result: CommandResult | undefined): string | null {
  const failure = result?.failure;
  return failure?.reason === "MISSING_YEAR" ? (failure.year ?? null) : null;
}
