/**
 * The `setup-dht` line the setup form sends: `setup-dht <name> <n> <YYYY>`, and on a
 * replicated ring `replicas=<k> consistency=chain|eventual` after it. The assignment's
 * DHT (one copy, chain) is sent exactly as before, with no option at all.
 */
import type { Replication } from "./replicas.ts";

export type Consistency = Replication["consistency"];

export const CONSISTENCY_MODELS: readonly Consistency[] = ["chain", "eventual"];

export interface SetupChoice {
  name: string;
  ringSize: string;
  year: string;
  /** k as typed. */
  replicas: string;
  consistency: Consistency;
}

/** Why k cannot go with a ring of n (both as typed), or null: k is from 1 to n. */
export function replicasProblem(replicas: string, ringSize: string): string | null {
  const n = /^\d+$/.test(ringSize.trim()) ? Number(ringSize) : null;
  const range = n === null ? "from 1 to n" : `from 1 to n = ${n}`;
  const k = /^\d+$/.test(replicas.trim()) ? Number(replicas) : null;
  if (k === null) return `Replicas must be a whole number ${range}`;
  if (k < 1 || (n !== null && k > n)) {
    return `Replicas must be ${range}: each record is kept on k of the n nodes (${k} asked)`;
  }
  return null;
}

/** The console line; null while `replicasProblem` has something to say. */
export function setupDhtLine(choice: SetupChoice): string | null {
  if (replicasProblem(choice.replicas, choice.ringSize) !== null) return null;
  const plain = `setup-dht ${choice.name} ${choice.ringSize.trim()} ${choice.year}`;
  const replicas = Number(choice.replicas);
  if (replicas === 1 && choice.consistency === "chain") return plain;
  return `${plain} replicas=${replicas} consistency=${choice.consistency}`;
}
