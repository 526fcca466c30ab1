/** register and deregister (PROTOCOL.md section 2). */
import type { ManagerRequestOf } from "../protocol/messages.ts";
import { failure, type ManagerResult, quote, success } from "./result.ts";
import { type ManagerState, type RegisteredPeer, updatePeers } from "./state.ts";
import { isValidIpv4, isValidPeerName, isValidPort, sourceIpv4 } from "./validation.ts";

/** Where a datagram came from, as the UDP socket reports it. */
export interface DatagramSource {
  ip: string;
  port: number;
}

export function register(
  state: ManagerState,
  request: ManagerRequestOf<"register">,
  from: DatagramSource,
): ManagerResult {
  const { name, ip, mport, pport } = request;
  if (!isValidPeerName(name)) {
    return failure(state, "BAD_NAME", `name ${quote(name)} is not 1 to 15 letters (A-Z, a-z)`);
  }
  if (!isValidIpv4(ip)) {
    return failure(
      state,
      "BAD_ARGUMENT",
      `${quote(ip)} is not a dotted-quad IPv4 address (four numbers 0-255, no leading zeros)`,
    );
  }
  for (const [label, port] of [
    ["m-port", mport],
    ["p-port", pport],
  ] as const) {
    if (!isValidPort(port)) {
      return failure(state, "BAD_ARGUMENT", `${label} ${port} is outside 1..65535`);
    }
  }
  // The peer binds its m-port on the address it registers, so anything else is a typo or
  // someone registering on another's behalf; later requests are only accepted from there.
  if (sourceIpv4(from.ip) !== ip || from.port !== mport) {
    return failure(
      state,
      "BAD_ARGUMENT",
      `register names ${ip}:${mport} as its m-port but was sent from ${from.ip}:${from.port}`,
    );
  }
  const previous = state.peers.get(name);
  if (previous !== undefined && previous.state !== "Dead") {
    return failure(state, "DUPLICATE_NAME", `name "${name}" is already registered`);
  }
  if (mport === pport) {
    return failure(state, "PORT_IN_USE", `m-port and p-port must differ (both are ${mport})`);
  }
  for (const port of [mport, pport]) {
    const user = peerUsing(state, ip, port);
    if (user !== undefined) {
      return failure(state, "PORT_IN_USE", `${ip}:${port} is already used by peer "${user.name}"`);
    }
  }

  const peers = new Map(state.peers);
  peers.delete(name);
  peers.set(name, { name, ip, mport, pport, state: "Free" });
  const was = previous?.state ?? null;
  return success({ ...state, peers }, [{ kind: "peer-state", name, from: was, to: "Free" }], {
    text: `registered "${name}" at ${ip} (m-port ${mport}, p-port ${pport}) as Free`,
  });
}

/** The live peer using ip:port; a dead one's ports are free to take. */
function peerUsing(state: ManagerState, ip: string, port: number): RegisteredPeer | undefined {
  for (const peer of state.peers.values()) {
    if (peer.state === "Dead") continue;
    if (peer.ip === ip && (peer.mport === port || peer.pport === port)) return peer;
  }
  return undefined;
}

export function deregister(state: ManagerState, caller: RegisteredPeer): ManagerResult {
  if (caller.state !== "Free") {
    return failure(
      state,
      "IN_DHT",
      `peer "${caller.name}" is ${caller.state === "Leader" ? "the leader of" : "a member of"} the DHT; it must leave it or tear it down first`,
    );
  }
  const { peers, changes } = updatePeers(state.peers, [[caller.name, null]]);
  return success({ ...state, peers }, changes, { text: `deregistered "${caller.name}"` });
}
