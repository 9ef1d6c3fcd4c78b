// Reads the zip archives PocketBase's backups API writes (Go's archive/zip: deflate or stored
// entries, data descriptors, zip64 past 4 GiB), for `hvac restore --offline`. Streams every entry
// (a backup holds all uploaded files; nothing is loaded whole) and checks each CRC-32.
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, writeFile, type FileHandle } from "node:fs/promises";
import { dirname, resolve, sep } from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createInflateRaw, crc32 } from "node:zlib";

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  localHeaderOffset: number;
  isDirectory: boolean;
}

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ZipError";
  }
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  if (bytesRead !== length) throw new ZipError(`unexpected end of file at byte ${position}`);
  return buf;
}

const u64 = (b: Buffer, at: number) => Number(b.readBigUInt64LE(at));

/** The entries of the archive's central directory. */
export async function readZipEntries(path: string): Promise<ZipEntry[]> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = await readAt(fh, size - tailLen, tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new ZipError(`${path} is not a zip archive (no end of central directory)`);
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      // zip64: the locator sits right before the end record and points at the zip64 end record.
      const locAt = size - tailLen + eocd - 20;
      const loc = await readAt(fh, locAt, 20);
      if (loc.readUInt32LE(0) !== 0x07064b50) throw new ZipError(`${path}: zip64 locator missing`);
      const rec = await readAt(fh, u64(loc, 8), 56);
      if (rec.readUInt32LE(0) !== 0x06064b50) throw new ZipError(`${path}: zip64 end record missing`);
      count = u64(rec, 32);
      cdSize = u64(rec, 40);
      cdOffset = u64(rec, 48);
    }
    const cd = await readAt(fh, cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) throw new ZipError(`${path}: central directory entry ${i} is damaged`);
      const method = cd.readUInt16LE(p + 10);
      const crc = cd.readUInt32LE(p + 16);
      let compressedSize = cd.readUInt32LE(p + 20);
      let usize = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      let offset = cd.readUInt32LE(p + 42);
      const name = cd.toString("utf8", p + 46, p + 46 + nameLen);
      // zip64 extra field: the 64-bit values of the fields that hold 0xFFFFFFFF, in this order.
      let e = p + 46 + nameLen;
      const extraEnd = e + extraLen;
      while (e + 4 <= extraEnd) {
        const id = cd.readUInt16LE(e);
        const len = cd.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (usize === 0xffffffff) (usize = u64(cd, q)), (q += 8);
          if (compressedSize === 0xffffffff) (compressedSize = u64(cd, q)), (q += 8);
          if (offset === 0xffffffff) offset = u64(cd, q);
        }
        e += 4 + len;
      }
      entries.push({ name, method, compressedSize, size: usize, crc32: crc, localHeaderOffset: offset, isDirectory: name.endsWith("/") });
      p = extraEnd + commentLen;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/** Where an entry goes under `dest`, or a ZipError for names that would leave it. */
export function entryTarget(dest: string, name: string): string {
  if (!name || name.includes("\\") || name.startsWith("/") || name.split("/").some((s) => s === "..") || /^[A-Za-z]:/.test(name)) {
    throw new ZipError(`unsafe entry name in the archive: ${JSON.stringify(name)}`);
  }
  const root = resolve(dest);
  const target = resolve(root, name);
  if (target !== root && !target.startsWith(root + sep)) throw new ZipError(`unsafe entry name in the archive: ${JSON.stringify(name)}`);
  return target;
}

/**
 * Counts and checksums an entry's bytes on their way to disk, and stops the copy before passing on
 * a byte past the entry's declared size: a damaged archive or a zip bomb (a few KB inflating to
 * gigabytes) never fills the disk.
 */
class Crc extends Transform {
  value = 0;
  bytes = 0;
  constructor(private readonly entry: ZipEntry) {
    super();
  }
  _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.bytes + chunk.length > this.entry.size) {
      done(new ZipError(`${this.entry.name}: damaged or a zip bomb (more than the declared ${this.entry.size} bytes)`));
      return;
    }
    this.value = crc32(chunk, this.value);
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/** Extracts every entry under `dest` (which must exist), checking sizes and CRC-32s. */
export async function extractZip(path: string, dest: string): Promise<{ files: number; bytes: number }> {
  const entries = await readZipEntries(path);
  for (const entry of entries) entryTarget(dest, entry.name); // refuse before writing anything
  let files = 0;
  let bytes = 0;
  const fh = await open(path, "r");
  try {
    for (const entry of entries) {
      const target = entryTarget(dest, entry.name);
      if (entry.isDirectory) {
        await mkdir(target, { recursive: true });
        continue;
      }
      if (entry.method !== 0 && entry.method !== 8) throw new ZipError(`${entry.name}: compression method ${entry.method} is not supported`);
      const local = await readAt(fh, entry.localHeaderOffset, 30);
      if (local.readUInt32LE(0) !== 0x04034b50) throw new ZipError(`${entry.name}: local header is damaged`);
      const start = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      await mkdir(dirname(target), { recursive: true });
      const check = new Crc(entry);
      if (entry.compressedSize === 0) {
        await writeFile(target, ""); // an empty stored file (deflate never produces 0 bytes)
      } else {
        const source = createReadStream(path, { start, end: start + entry.compressedSize - 1 });
        const out = createWriteStream(target);
        if (entry.method === 8) await pipeline(source, createInflateRaw(), check, out);
        else await pipeline(source, check, out);
      }
      if (check.bytes !== entry.size || (check.value >>> 0) !== entry.crc32) {
        throw new ZipError(`${entry.name}: damaged (expected ${entry.size} bytes with CRC ${entry.crc32.toString(16)}, got ${check.bytes} bytes with CRC ${(check.value >>> 0).toString(16)})`);
      }
      files++;
      bytes += check.bytes;
    }
  } finally {
    await fh.close();
  }
  return { files, bytes };
}

/** Whether the archive holds `name` at its root (a PocketBase backup holds data.db). */
export async function zipHas(path: string, name: string): Promise<boolean> {
  return (await readZipEntries(path)).some((e) => e.name === name);
}
