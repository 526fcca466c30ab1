/** Where a datagram comes from or goes to, and its string form for keys and messages. */
export type Address = { ip: string; port: number };

/** The string form of an address, for map keys and messages: `ip:port`. */
export function addressKey(address: Address): string {
  return `${address.ip}:${address.port}`;
}
