/**
 * UDP ports free right now on an address of this machine, for a peer's `register` m-port
 * and p-port. Every probe socket stays bound until all are found, so the ports are
 * distinct; the ones the caller names as taken (registered peers') are skipped.
 */
import { createSocket, type Socket } from "node:dgram";
import { isIPv4 } from "node:net";

/** Thrown for a host the ports cannot be looked up on; the route answers 400. */
export class HostError extends Error {
  override name = "HostError";
}

/** Probes beyond `count` before giving up, should the kernel keep handing out taken ports. */
const EXTRA_PROBES = 64;

export async function freeUdpPorts(
  count: number,
  host: string,
  taken: ReadonlySet<number> = new Set(),
): Promise<number[]> {
  // The daemons speak UDP over IPv4 only (PROTOCOL.md), so an IPv6 address is no use.
  if (!isIPv4(host))
    throw new HostError(`host must be an IPv4 address like 127.0.0.1, not "${host}"`);
  const sockets: Socket[] = [];
  const ports: number[] = [];
  try {
    for (let probe = 0; ports.length < count && probe < count + EXTRA_PROBES; probe += 1) {
      const socket = createSocket("udp4");
      sockets.push(socket);
      const port = await bindAnyPort(socket, host);
      if (!taken.has(port)) ports.push(port);
    }
  } finally {
    await Promise.all(sockets.map(closeQuietly));
  }
  if (ports.length < count) {
    throw new Error(`found only ${ports.length} of ${count} free UDP ports on ${host}`);
  }
  return ports;
}

/** One UDP port the kernel says is free right now (for the manager, or a peer's register). */
export async function freeUdpPort(host = "127.0.0.1"): Promise<number> {
  const [port] = await freeUdpPorts(1, host);
  if (port === undefined) throw new Error(`found no free UDP port on ${host}`);
  return port;
}

function bindAnyPort(socket: Socket, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRNOTAVAIL") {
        reject(new HostError(`${host} is not an address of this machine (${error.code})`));
      } else reject(error);
    });
    socket.bind(0, host, () => resolve(socket.address().port));
  });
}

function closeQuietly(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // never bound (the bind failed): nothing to close
    }
  });
}
