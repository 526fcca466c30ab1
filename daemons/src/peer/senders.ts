/** Who sent a peer message, compared with who should have: the meaning checks' words. */
import type { PeerTuple } from "../protocol/messages.ts";

export const sameTuple = (a: PeerTuple | undefined, b: PeerTuple): boolean =>
  a !== undefined && a.name === b.name && a.ip === b.ip && a.port === b.port;

/** Null if `sent` (the sender's name and address) is `expected`; else why not. */
export function senderProblem(
  sent: PeerTuple,
  expected: PeerTuple | undefined,
  role: string,
): string | null {
  if (sameTuple(expected, sent)) return null;
  const who = expected === undefined ? role : `${role} ${describeTuple(expected)}`;
  return `sent by ${describeTuple(sent)}, not the ${who}`;
}

export const describeTuple = (tuple: PeerTuple): string =>
  `${tuple.name} at ${tuple.ip}:${tuple.port}`;
