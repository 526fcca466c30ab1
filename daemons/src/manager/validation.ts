/** Checks on the arguments of manager requests, kept apart from the state transitions. */

/** PROTOCOL.md section 2: a peer name is 1 to 15 ASCII letters. */
export function isValidPeerName(name: string): boolean {
  return /^[A-Za-z]{1,15}$/.test(name);
}

/**
 * A dotted-quad IPv4 address: four decimal octets 0-255. Leading zeros are refused because
 * some resolvers read "010" as octal, so the address would not mean what it says.
 */
export function isValidIpv4(ip: string): boolean {
  const octets = ip.split(".");
  return (
    octets.length === 4 &&
    octets.every((octet) => /^(0|[1-9][0-9]{0,2})$/.test(octet) && Number(octet) <= 255)
  );
}

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
