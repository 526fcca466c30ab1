/**
 * Who may talk to the server from a browser. Against DNS rebinding (a page on an
 * attacker's name that resolves to this machine), a request's Host must name this server:
 * localhost, a loopback address, the address it listens on (every address of the machine
 * and its host name when that is 0.0.0.0 or ::) or a name it was told to answer to
 * (--allowed-hosts). The port is not checked: the request reached this server whatever
 * port its Host says (Vite's dev proxy keeps the browser's :5173). Against other pages
 * reading the live feed, `/api/live` takes an Origin only if it is the Host itself.
 */
import { hostname, networkInterfaces } from "node:os";

const LOOPBACK = ["localhost", "127.0.0.1", "::1"];
const WILDCARDS = new Set(["0.0.0.0", "::", ""]);

/** The host names (lower case, IPv6 without brackets) a request's Host may carry. */
export function allowedHostnames(listenHost: string, extra: readonly string[] = []): Set<string> {
  const names = new Set([...LOOPBACK, ...extra].map(normalise));
  if (WILDCARDS.has(listenHost)) {
    for (const addresses of Object.values(networkInterfaces())) {
      for (const { address } of addresses ?? []) names.add(normalise(address));
    }
    names.add(normalise(hostname()));
  } else {
    names.add(normalise(listenHost));
  }
  return names;
}

/** The host name of a Host header ("[::1]:3000" is "::1"), lower case; "" if none. */
export function hostnameOf(host: string | undefined): string {
  if (host === undefined) return "";
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(host);
  if (bracketed !== null) return normalise(bracketed[1] ?? "");
  const colon = host.lastIndexOf(":");
  return normalise(colon === -1 ? host : host.slice(0, colon));
}

/** True when an Origin header names the same scheme-less host and port as the Host. */
export function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  try {
    return url.host === new URL(`${url.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

function normalise(name: string): string {
  return name
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
}
