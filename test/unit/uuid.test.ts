// Pure-JS SHA-1, UTF-8 and UUIDv5 (src/domain/sha1.ts, utf8.ts, uuid.ts) against Node's crypto and
// Buffer, the FIPS 180 / RFC 4122 vectors and Python's uuid.uuid5.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { sha1, sha1Hex } from "../../src/domain/sha1";
import { hasLoneSurrogate, utf8Encode, utf8Length } from "../../src/domain/utf8";
import {
  formatUuid, isUuid, NAMESPACE_DNS, NAMESPACE_OID, NAMESPACE_URL, NAMESPACE_X500, parseUuid, uuidv5, weaviateId,
} from "../../src/domain/uuid";
import { createRng } from "../../src/demo/generate";

/** Deterministic numbers in [0, 1) (the demo data's mulberry32), so a failure can be replayed from the seed. */
const rng = (seed: number): (() => number) => createRng(seed).next;

/** Random text mixing ASCII, Polish letters, other BMP, astral characters and (optionally) lone surrogates. */
function randomText(r: () => number, len: number, loneSurrogates = false): string {
  const pools = ["abcXYZ019 -_:", "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "€—„”中文日本語", "😀🔥🏠❄️"];
  let s = "";
  while (s.length < len) {
    const x = r();
    if (loneSurrogates && x < 0.05) s += String.fromCharCode(0xd800 + Math.floor(r() * 0x800));
    else if (x < 0.1) s += String.fromCodePoint(Math.floor(r() * 0x10ffff) % 0xd800); // any BMP below surrogates
    else {
      const pool = Array.from(pools[Math.floor(r() * pools.length)]);
      s += pool[Math.floor(r() * pool.length)];
    }
  }
  return s;
}

const nodeSha1 = (data: string | Uint8Array) => createHash("sha1").update(data).digest("hex");

describe("utf8", () => {
  it.each([
    ["", []],
    ["A", [0x41]],
    ["ł", [0xc5, 0x82]],
    ["€", [0xe2, 0x82, 0xac]],
    ["😀", [0xf0, 0x9f, 0x98, 0x80]],
    ["\ud800", [0xef, 0xbf, 0xbd]], // lone high surrogate -> U+FFFD, like TextEncoder
    ["\udc00x", [0xef, 0xbf, 0xbd, 0x78]], // lone low surrogate
    ["\ud83d", [0xef, 0xbf, 0xbd]], // high surrogate at the end
  ])("encodes %j", (text, bytes) => {
    expect(utf8Encode(text)).toEqual(bytes);
    expect(utf8Length(text)).toBe(bytes.length);
  });

  it("matches Buffer on 2,000 random strings, lone surrogates included", () => {
    const r = rng(11);
    for (let i = 0; i < 2000; i++) {
      const s = randomText(r, Math.floor(r() * 60), true);
      const expected = [...Buffer.from(s, "utf8")];
      expect(utf8Encode(s)).toEqual(expected);
      expect(utf8Length(s)).toBe(expected.length);
    }
  });

  it.each([
    ["plain", false],
    ["😀 pair", false],
    ["\ud800", true],
    ["a\udfffb", true],
    ["\ud83d\ud83d", true],
  ])("hasLoneSurrogate(%j) = %s", (s, lone) => expect(hasLoneSurrogate(s)).toBe(lone));
});

describe("sha1", () => {
  it.each([
    ["", "da39a3ee5e6b4b0d3255bfef95601890afd80709"],
    ["abc", "a9993e364706816aba3e25717850c26c9cd0d89d"],
    ["abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"],
    ["The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"],
  ])("FIPS 180 / well-known vector %j", (input, hex) => {
    expect(sha1Hex(input)).toBe(hex);
  });

  it("a million 'a' (FIPS 180 vector)", () => {
    expect(sha1Hex("a".repeat(1_000_000))).toBe("34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  });

  it("matches Node's crypto at every length around the 64-byte block boundaries (0-300 bytes)", () => {
    const r = rng(1);
    for (let len = 0; len <= 300; len++) {
      const bytes = Array.from({ length: len }, () => Math.floor(r() * 256));
      expect(sha1Hex(bytes), `length ${len}`).toBe(nodeSha1(Uint8Array.from(bytes)));
    }
  });

  it("matches Node's crypto on 1,500 random UTF-8 strings (Polish, CJK, emoji, lone surrogates)", () => {
    const r = rng(2);
    for (let i = 0; i < 1500; i++) {
      const s = randomText(r, Math.floor(r() * 200), i % 3 === 0);
      expect(sha1Hex(s), JSON.stringify(s)).toBe(nodeSha1(s));
    }
  });

  it("returns 20 bytes and refuses non-bytes", () => {
    expect(sha1("x")).toHaveLength(20);
    expect(() => sha1([256])).toThrow(RangeError);
    expect(() => sha1([1.5])).toThrow(RangeError);
    expect(() => sha1([-1])).toThrow(RangeError);
  });
});

describe("uuidv5", () => {
  // Computed with Python 3: str(uuid.uuid5(uuid.NAMESPACE_..., name)).
  it.each([
    ["www.example.com", NAMESPACE_DNS, "2ed6657d-e927-568b-95e1-2665a8aea6a2"], // RFC 4122 errata / RFC 9562 vector
    ["python.org", NAMESPACE_DNS, "886313e1-3b8a-5372-9b90-0c9aee199e5d"], // Python's documentation example
    ["", NAMESPACE_DNS, "4ebd0208-8328-5d69-8c44-ec50939c0967"],
    ["zażółć gęślą jaźń", NAMESPACE_DNS, "1e11e47e-7198-53ad-914f-abc269641986"],
    ["🔥 emoji", NAMESPACE_DNS, "dc62ae41-90c2-5684-8d08-31f01aeb6a83"],
    ["pb:jobs:abc123def456ghi", NAMESPACE_DNS, "be33f721-9fba-5563-ba51-b2391ba597d4"],
    ["https://www.example.com/", NAMESPACE_URL, "3d3ed9d2-aa3d-5fa6-90e8-ed662e90f559"],
    ["1.3.6.1", NAMESPACE_OID, "1447fa61-5277-5fef-a9b3-fbc6e44f4af3"],
    ["cn=John Doe", NAMESPACE_X500, "6b28d549-d26e-5bfc-ae5e-9a39af63dc3f"],
  ])("uuidv5(%j) = Python's value", (name, ns, expected) => {
    expect(uuidv5(name, ns)).toBe(expected);
  });

  it("accepts the name space in upper case and the name as bytes", () => {
    expect(uuidv5("www.example.com", NAMESPACE_DNS.toUpperCase())).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
    expect(uuidv5(utf8Encode("www.example.com"), NAMESPACE_DNS)).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  it("sets version 5 and the RFC 4122 variant on random names", () => {
    const r = rng(3);
    for (let i = 0; i < 300; i++) {
      const id = uuidv5(randomText(r, 20), NAMESPACE_DNS);
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe("5");
      expect("89ab").toContain(id[19]);
    }
  });

  it("matches an independent implementation over Node's crypto on random names", () => {
    const reference = (name: string, ns: string) => {
      const h = createHash("sha1").update(Buffer.from(parseUuid(ns))).update(name, "utf8").digest();
      h[6] = (h[6] & 0x0f) | 0x50;
      h[8] = (h[8] & 0x3f) | 0x80;
      return formatUuid([...h.subarray(0, 16)]);
    };
    const r = rng(4);
    for (let i = 0; i < 500; i++) {
      const name = randomText(r, Math.floor(r() * 80));
      expect(uuidv5(name, NAMESPACE_DNS)).toBe(reference(name, NAMESPACE_DNS));
    }
  });

  let python = false;
  try {
    execFileSync("python3", ["-c", "import uuid"], { stdio: "ignore" });
    python = true;
  } catch {
    // No python3 here: the table above holds values computed with it.
  }
  it.skipIf(!python)("matches Python's uuid.uuid5 on 200 random names (run live)", () => {
    const r = rng(5);
    const names = Array.from({ length: 200 }, () => randomText(r, 1 + Math.floor(r() * 40)));
    const out = execFileSync("python3", ["-c", "import json,sys,uuid\nfor n in json.load(sys.stdin): print(uuid.uuid5(uuid.NAMESPACE_DNS, n))"], {
      input: JSON.stringify(names),
      encoding: "utf8",
    }).trim().split("\n");
    expect(names.map((n) => uuidv5(n, NAMESPACE_DNS))).toEqual(out);
  });

  it.each(["", "not-a-uuid", "6ba7b810-9dad-11d1-80b4-00c04fd430c", "6ba7b810x9dad-11d1-80b4-00c04fd430c8"])("refuses the name space %j", (ns) => {
    expect(() => uuidv5("x", ns)).toThrow(/not a UUID/);
  });

  it("parseUuid / formatUuid round-trip", () => {
    expect(formatUuid(parseUuid(NAMESPACE_DNS))).toBe(NAMESPACE_DNS);
    expect(() => formatUuid([1, 2, 3])).toThrow(RangeError);
  });
});

describe("weaviateId", () => {
  // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "pb:<collection>:k3x9q2m7w1z8b4n")
  it.each([
    ["jobs", "ab9360e1-40ce-5071-915f-a94c7286759d"],
    ["contacts", "8bfa1638-5504-56c8-a4cd-c0f1be84fa9e"],
    ["invoices", "06b2c5e8-1e2e-591f-9e41-fb353fb021ad"],
    ["equipment_photos", "58b77c6b-2242-597d-a8e9-b6b6f237e1df"],
  ])("is UUIDv5 of pb:%s:<id> in the DNS name space", (collection, expected) => {
    expect(weaviateId(collection, "k3x9q2m7w1z8b4n")).toBe(expected);
    expect(weaviateId(collection, "k3x9q2m7w1z8b4n")).toBe(uuidv5(`pb:${collection}:k3x9q2m7w1z8b4n`, NAMESPACE_DNS));
  });

  it("differs by collection and by id", () => {
    expect(weaviateId("jobs", "a")).not.toBe(weaviateId("contacts", "a"));
    expect(weaviateId("jobs", "a")).not.toBe(weaviateId("jobs", "b"));
  });
});
