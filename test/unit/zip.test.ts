// The zip reader of `hvac restore --offline` (src/cli/zip.ts) on archives written here byte by byte
// (stored and deflated entries, a directory, an empty file, zip64 fields), plus damaged and unsafe
// archives. A real PocketBase backup is extracted in test/integration/migration-cli.test.ts.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { entryTarget, extractZip, readZipEntries, zipHas, ZipError } from "../../src/cli/zip";
import { makeZip, type ZipEntrySpec } from "../helpers/zip";

const dir = mkdtempSync(join(tmpdir(), "hvac-zip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function zipFile(entries: ZipEntrySpec[]): string {
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

  it("an entry that inflates past its declared size stops there, before more is written (zip bomb)", async () => {
    // 8 MB of zeros deflate to a few KB; the archive claims 1000 bytes.
    const bomb = Buffer.alloc(8_000_000);
    const p = zipFile([{ name: "data.db", data: bomb, method: 8, declaredSize: 1000 }]);
    expect((await readZipEntries(p))[0]).toMatchObject({ size: 1000 });
    const out = mkdtempSync(join(dir, "out-"));
    await expect(extractZip(p, out)).rejects.toThrow("data.db: damaged or a zip bomb (more than the declared 1000 bytes)");
    // Nothing past the declared size reached the disk.
    expect(existsSync(join(out, "data.db")) ? statSync(join(out, "data.db")).size : 0).toBeLessThanOrEqual(1000);
    // A stored entry longer than declared stops the same way.
    const stored = zipFile([{ name: "a.bin", data: Buffer.alloc(70_000, 7), method: 0, declaredSize: 10 }]);
    await expect(extractZip(stored, mkdtempSync(join(dir, "out-")))).rejects.toThrow("a.bin: damaged or a zip bomb (more than the declared 10 bytes)");
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
