/** Checks on the arguments of manager requests, kept apart from the state transitions. */

/** PROTOCOL.md section 2: a peer name is 1 to 15 ASCII letters. */
export function isValidPeerName(name: string): boolean {
  return /^[A-Za-z]{1,15}$/.test(name);
}

/** Peers and the manager accept the same IPv4 spelling. */
export { isIpv4 as isValidIpv4 } from "../protocol/ipv4.ts";

export function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65_535;
}

export function isFourDigitYear(year: string): boolean {
  return /^[0-9]{4}$/.test(year);
}

/**
 * The IPv4 address of a datagram's source. A dual-stack socket reports IPv4 senders as
 * "::ffff:a.b.c.d", which must still match the address the peer registered.
 */
export function sourceIpv4(ip: string): string {
  return ip.startsWith("::ffff:") ? ip.slice("::ffff:".length) : ip;
}
