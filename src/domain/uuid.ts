// RFC 4122 name-based UUIDs, version 5 (SHA-1), and the Weaviate object ids derived from them.
// Pure JS (no crypto, no TextEncoder) so hooks, CLI and tests compute the same ids.
import { sha1, toHex } from "./sha1";
import { utf8Encode } from "./utf8";

/** RFC 4122 appendix C name-space ids. */
export const NAMESPACE_DNS = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
export const NAMESPACE_URL = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
export const NAMESPACE_OID = "6ba7b812-9dad-11d1-80b4-00c04fd430c8";
export const NAMESPACE_X500 = "6ba7b814-9dad-11d1-80b4-00c04fd430c8";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** The 16 bytes of a UUID in its canonical 8-4-4-4-12 hex form (either case). */
export function parseUuid(uuid: string): number[] {
  if (!isUuid(uuid)) throw new TypeError(`not a UUID: "${String(uuid)}"`);
  const hex = uuid.replace(/-/g, "");
  const out: number[] = [];
  for (let i = 0; i < 32; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

/** Canonical lower-case 8-4-4-4-12 form of 16 bytes. */
export function formatUuid(bytes: ArrayLike<number>): string {
  if (bytes.length !== 16) throw new RangeError(`a UUID has 16 bytes, got ${bytes.length}`);
  const h = toHex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * RFC 4122 section 4.3 UUID version 5: SHA-1 of the name-space id's bytes followed by the name
 * (a string is hashed as UTF-8, like Python's uuid.uuid5), with the version and variant bits set.
 */
export function uuidv5(name: string | ArrayLike<number>, namespace: string): string {
  const ns = parseUuid(namespace);
  const nameBytes = typeof name === "string" ? utf8Encode(name) : Array.prototype.slice.call(name);
  const hash = sha1(ns.concat(nameBytes as number[]));
  const b = hash.slice(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50; // version 5
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
  return formatUuid(b);
}

/**
 * The Weaviate object id of a PocketBase record: UUIDv5 of `pb:<collection>:<recordId>` in the DNS
 * name space. Fixed by the wire contract: every deployment and the CLI must compute the same id.
 */
export function weaviateId(collection: string, recordId: string): string {
  return uuidv5(`pb:${collection}:${recordId}`, NAMESPACE_DNS);
}
