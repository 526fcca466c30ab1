/**
 * The optional shared secret (`--secret`): every datagram is its JSON followed by a
 * newline and the 64-hex-digit HMAC-SHA256 of that JSON. The tag covers the message id,
 * so a replayed datagram is a duplicate the reply cache and the links already drop; a
 * datagram without a valid tag is refused before it is decoded.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

const TAG_HEX_DIGITS = 64;
const SEPARATOR = 0x0a; // "\n", which JSON.stringify never writes

export type Signer = {
  sign(json: Buffer): Buffer;
  /** The JSON of a correctly signed datagram, or why it is refused. */
  verify(datagram: Buffer): { ok: true; json: Buffer } | { ok: false; error: string };
};

export function signerFor(secret: string): Signer {
  const tagOf = (json: Buffer) => createHmac("sha256", secret).update(json).digest();
  return {
    sign: (json) =>
      Buffer.concat([json, Buffer.from([SEPARATOR]), Buffer.from(tagOf(json).toString("hex"))]),
    verify: (datagram) => {
      const at = datagram.length - TAG_HEX_DIGITS - 1;
      if (at < 0 || datagram[at] !== SEPARATOR) {
        return { ok: false, error: "no HMAC tag (this daemon runs with a shared secret)" };
      }
      const json = datagram.subarray(0, at);
      const tag = Buffer.from(datagram.subarray(at + 1).toString("latin1"), "hex");
      if (tag.length !== TAG_HEX_DIGITS / 2 || !timingSafeEqual(tag, tagOf(json))) {
        return { ok: false, error: "wrong HMAC tag (another secret, or altered on the way)" };
      }
      return { ok: true, json };
    },
  };
}
