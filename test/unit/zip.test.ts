// The zip reader of `hvac restore --offline` (src/cli/zip.ts) on archives written here byte by byte
// (stored and deflated entries, a directory, an empty file, zip64 fields), plus damaged and unsafe
// archives. A real PocketBase backup is extracted in test/integration/migration-cli.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync, crc32 } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { entryTarget, extractZip, readZipEntries, zipHas, ZipError } from "../../src/cli/zip";

interface Entry {
  name: string;
  data: Buffer;
  method: 0 | 8;
  /** Write sizes and offset as 0xFFFFFFFF with a zip64 extra field (as Go does past 4 GiB). */
  zip64?: boolean;
}

/** A minimal zip writer (the layout Go's archive/zip produces, without data descriptors). */
function makeZip(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = e.method === 8 ? deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name, "utf8");
    const crc = crc32(e.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, body);
    const extra = Buffer.alloc(e.zip64 ? 28 : 0);
    if (e.zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(e.data.length), 4);
      extra.writeBigUInt64LE(BigInt(body.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(e.method, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(e.zip64 ? 0xffffffff : body.length, 20);
    cd.writeUInt32LE(e.zip64 ? 0xffffffff : e.data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt16LE(extra.length, 30);
    cd.writeUInt32LE(e.zip64 ? 0xffffffff : offset, 42);
    central.push(cd, name, extra);
    offset += 30 + name.length + body.length;
  }
  const cdBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBuf, end]);
}

const dir = mkdtempSync(join(tmpdir(), "hvac-zip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function zipFile(entries: Entry[]): string {
  const p = join(dir, `t${++n}.zip`);
  writeFileSync(p, makeZip(entries));
  return p;
}

describe("zip reader", () => {
  const text = Buffer.from("Kocioł gazowy, przegląd ".repeat(500));
  const binary = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));

  it("lists and extracts stored, deflated, zip64 and empty entries and directories", async () => {
    const p = zipFile([
      { name: "data.db", data: text, method: 8 },
      { name: "storage/", data: Buffer.alloc(0), method: 0 },
      { name: "storage/abc/photo.png", data: binary, method: 0 },
      { name: "storage/abc/big.bin", data: binary, method: 8, zip64: true },
      { name: "empty.txt", data: Buffer.alloc(0), method: 0 },
    ]);
    const entries = await readZipEntries(p);
    expect(entries.map((e) => [e.name, e.method, e.size, e.isDirectory])).toEqual([
      ["data.db", 8, text.length, false], ["storage/", 0, 0, true], ["storage/abc/photo.png", 0, 5000, false],
      ["storage/abc/big.bin", 8, 5000, false], ["empty.txt", 0, 0, false],
    ]);
    expect(await zipHas(p, "data.db")).toBe(true);
    expect(await zipHas(p, "logs.db")).toBe(false);
    const out = mkdtempSync(join(dir, "out-"));
    expect(await extractZip(p, out)).toEqual({ files: 4, bytes: text.length + 10000 });
    expect(readFileSync(join(out, "data.db")).equals(text)).toBe(true);
    expect(readFileSync(join(out, "storage/abc/photo.png")).equals(binary)).toBe(true);
    expect(readFileSync(join(out, "storage/abc/big.bin")).equals(binary)).toBe(true);
    expect(readFileSync(join(out, "empty.txt")).length).toBe(0);
  });

  it("a damaged entry fails on its CRC", async () => {
    const good = makeZip([{ name: "a.txt", data: Buffer.from("hello hello"), method: 0 }]);
    good[30 + 5] ^= 0xff; // the first byte of the stored data
    const p = join(dir, "damaged.zip");
    writeFileSync(p, good);
    const out = mkdtempSync(join(dir, "out-"));
    await expect(extractZip(p, out)).rejects.toThrow(/a\.txt: damaged/);
  });

  it("refuses an archive that would write outside the folder, before writing anything", async () => {
    const p = zipFile([{ name: "ok.txt", data: Buffer.from("x"), method: 0 }, { name: "../evil.txt", data: Buffer.from("x"), method: 0 }]);
    const out = mkdtempSync(join(dir, "out-"));
    await expect(extractZip(p, out)).rejects.toBeInstanceOf(ZipError);
    expect(existsSync(join(out, "ok.txt"))).toBe(false);
    expect(existsSync(join(dir, "evil.txt"))).toBe(false);
    for (const bad of ["/etc/passwd", "a/../../b", "C:/x", "a\\b", ""]) expect(() => entryTarget(out, bad)).toThrow(ZipError);
    expect(entryTarget(out, "a/b/c.txt")).toBe(join(out, "a/b/c.txt"));
  });

  it("a file that is not a zip", async () => {
    const p = join(dir, "not.zip");
    writeFileSync(p, "just text, no archive");
    await expect(readZipEntries(p)).rejects.toThrow(/not a zip archive/);
  });
});
