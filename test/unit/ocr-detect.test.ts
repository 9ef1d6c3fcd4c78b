import { describe, expect, it } from "vitest";
import { detectFormat } from "../../src/ocr/detect";

const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p)));

/** An ISO-BMFF ftyp box: size, "ftyp", major brand, minor version, compatible brands. */
const ftyp = (major: string, ...compatible: string[]) => {
  const size = 16 + 4 * compatible.length;
  return bytes([0, 0, 0, size], "ftyp", major, [0, 0, 0, 0], ...compatible, "....mdat");
};

describe("detectFormat (from content, never the name)", () => {
  it.each<[string, Uint8Array, string | null]>([
    ["PDF", bytes("%PDF-1.7\n%âãÏÓ\n1 0 obj"), "pdf"],
    ["PDF after a few junk bytes", bytes("\r\n\r\n%PDF-1.4\n"), "pdf"],
    ["JPEG", bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], "JFIF"), "jpeg"],
    ["PNG", bytes([0x89], "PNG\r\n\x1a\n", [0, 0, 0, 13], "IHDR"), "png"],
    ["WebP", bytes("RIFF", [0x24, 0, 0, 0], "WEBPVP8 "), "webp"],
    ["TIFF, little-endian", bytes("II*\0", [8, 0, 0, 0]), "tiff"],
    ["TIFF, big-endian", bytes("MM\0*", [0, 0, 0, 8]), "tiff"],
    ["HEIC from an iPhone", ftyp("heic", "mif1", "heic"), "heic"],
    ["HEIF with mif1 major brand", ftyp("mif1", "heic"), "heic"],
    ["AVIF", ftyp("avif", "mif1", "avif"), "avif"],
    ["MP4 video is not an image", ftyp("isom", "iso2", "mp41"), null],
    ["GIF", bytes("GIF89a", [1, 0, 1, 0]), "gif"],
    ["BMP", bytes("BM", new Array(40).fill(0)), "bmp"],
    ["KSeF XML with declaration", bytes('<?xml version="1.0" encoding="UTF-8"?>\n<Faktura>'), "xml"],
    ["XML with a BOM and leading blank lines", bytes([0xef, 0xbb, 0xbf], "\n\n  <Faktura xmlns='x'>"), "xml"],
    ["plain text", bytes("Faktura VAT nr 1/2026\nDo zapłaty: 100,00 zł"), null],
    ["a ZIP archive", bytes("PK\x03\x04", [20, 0, 0, 0]), null],
    ["a lone less-than sign", bytes("< 5 and > 3"), null],
    ["empty", new Uint8Array(0), null],
  ])("%s", (_name, content, expected) => {
    expect(detectFormat(content)).toBe(expected);
  });
});
