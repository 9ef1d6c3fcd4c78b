// UTF-8 by hand: PocketBase's JS VM has no TextEncoder or Buffer. Used for hashing (SHA-1, UUIDv5)
// and for measuring request and document sizes against Convex's byte limits.

/**
 * The UTF-8 bytes of a string. A lone surrogate (not valid Unicode) is encoded as U+FFFD, the
 * same as TextEncoder and Node's Buffer do, so hashes agree with Node's crypto.
 */
export function utf8Encode(text: string): number[] {
  const s = String(text);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate
    if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return out;
}

// Measured with the built-in encodeURIComponent instead of a per-character loop: these run over
// whole requests inside PocketBase's JS VM, where interpreted loops are slow. (Regular expressions
// over surrogates are no way out: goja matches a surrogate pair as one character, so classes like
// [\ud800-\udfff] behave differently there than in V8.) encodeURIComponent escapes every non-ASCII
// character as one %XX per UTF-8 byte, and throws URIError exactly when a lone surrogate is present.
const ASCII = /^[\x00-\x7f]*$/;

/** True when the string is plain ASCII (1 byte per character in UTF-8). */
export function isAscii(text: string): boolean {
  return ASCII.test(text);
}

function loopLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3; // BMP, or a lone surrogate written as U+FFFD
  }
  return n;
}

/** The length in bytes of a string's UTF-8 encoding, without building it. */
export function utf8Length(text: string): number {
  const s = String(text);
  if (ASCII.test(s)) return s.length;
  let escaped: string;
  try {
    escaped = encodeURIComponent(s);
  } catch {
    return loopLength(s); // a lone surrogate: rare, counted by hand
  }
  // Each "%XX" is one byte in three characters; every other character is one byte.
  return escaped.length - 2 * (escaped.length - escaped.replace(/%/g, "").length);
}

/** True when the string holds a surrogate that is not part of a pair (not valid Unicode). */
export function hasLoneSurrogate(text: string): boolean {
  const s = String(text);
  if (ASCII.test(s)) return false;
  try {
    encodeURIComponent(s);
    return false;
  } catch {
    return true;
  }
}
