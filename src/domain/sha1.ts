// SHA-1 (FIPS 180-4) in plain JavaScript: PocketBase's `$security` offers no SHA-1, and UUIDv5 needs
// it. Not for security (SHA-1 is broken for collision resistance), only for name-based UUIDs.
import { utf8Encode } from "./utf8";

/** SHA-1 of bytes (numbers 0-255) or of a string's UTF-8 encoding; 20 bytes. */
export function sha1(input: string | ArrayLike<number>): number[] {
  const bytes = typeof input === "string" ? utf8Encode(input) : input;
  const len = bytes.length;
  // Message + 0x80 + zero padding + 64-bit length, a multiple of 64 bytes.
  const blocks = ((len + 8) >> 6) + 1;
  const words: number[] = new Array(blocks * 16).fill(0);
  for (let i = 0; i < len; i++) {
    const b = bytes[i];
    if (typeof b !== "number" || b < 0 || b > 255 || Math.floor(b) !== b) throw new RangeError(`sha1: byte ${i} is not 0-255`);
    words[i >> 2] |= b << (24 - (i & 3) * 8);
  }
  words[len >> 2] |= 0x80 << (24 - (len & 3) * 8);
  // Bit length: high word from the division (lengths above 2^32 bits), low word exact.
  words[blocks * 16 - 2] = Math.floor(len / 0x20000000) | 0;
  words[blocks * 16 - 1] = (len * 8) | 0;

  let h0 = 0x67452301, h1 = 0xefcdab89 | 0, h2 = 0x98badcfe | 0, h3 = 0x10325476, h4 = 0xc3d2e1f0 | 0;
  const w: number[] = new Array(80);
  for (let off = 0; off < words.length; off += 16) {
    for (let t = 0; t < 16; t++) w[t] = words[off + t];
    // rotl inlined: function calls are what costs most in PocketBase's interpreter.
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
      w[t] = (x << 1) | (x >>> 31);
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4;
    for (let t = 0; t < 80; t++) {
      let f: number, k: number;
      if (t < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
      else if (t < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
      else if (t < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc | 0; }
      else { f = b ^ c ^ d; k = 0xca62c1d6 | 0; }
      const temp = (((a << 5) | (a >>> 27)) + f + e + k + w[t]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  const out: number[] = [];
  const hs = [h0, h1, h2, h3, h4];
  for (let i = 0; i < 5; i++) out.push((hs[i] >>> 24) & 0xff, (hs[i] >>> 16) & 0xff, (hs[i] >>> 8) & 0xff, hs[i] & 0xff);
  return out;
}

/** Lower-case hex of bytes. */
export function toHex(bytes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
  return s;
}

/** SHA-1 as 40 lower-case hex digits. */
export function sha1Hex(input: string | ArrayLike<number>): string {
  return toHex(sha1(input));
}
