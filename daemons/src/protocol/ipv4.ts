/**
 * A dotted-quad IPv4 address: four decimal octets 0-255. Leading zeros are refused because
 * some resolvers read "010" as octal, so the address would not mean what it says.
 */
export function isIpv4(text: string): boolean {
  const octets = text.split(".");
  return (
    octets.length === 4 &&
    octets.every((octet) => /^(0|[1-9][0-9]{0,2})$/.test(octet) && Number(octet) <= 255)
  );
}
