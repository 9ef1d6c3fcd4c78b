// What a file is, from its first bytes (never from its name: phones and mail clients rename
// files, and an upload's name is whatever the sender typed).

export type DocumentFormat = "pdf" | "xml" | "jpeg" | "png" | "webp" | "tiff" | "heic" | "avif" | "gif" | "bmp";

/** Image formats the OCR engine reads itself; the others are converted with ImageMagick first. */
export const NATIVE_IMAGE_FORMATS: readonly DocumentFormat[] = ["jpeg", "png", "webp", "bmp"];

const HEIC_BRANDS = ["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1"];
const AVIF_BRANDS = ["avif", "avis"];

function ascii(bytes: Uint8Array, from: number, to: number): string {
  let s = "";
  for (let i = from; i < Math.min(to, bytes.length); i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** The document format of a file's content, or null when it is none we read. */
export function detectFormat(bytes: Uint8Array): DocumentFormat | null {
  if (bytes.length === 0) return null;
  const b = bytes;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (ascii(b, 0, 8) === "\x89PNG\r\n\x1a\n") return "png";
  if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP") return "webp";
  if (ascii(b, 0, 4) === "II*\0" || ascii(b, 0, 4) === "MM\0*") return "tiff";
  if (ascii(b, 0, 4) === "GIF8") return "gif";
  if (ascii(b, 0, 2) === "BM" && b.length > 26) return "bmp";
  if (ascii(b, 4, 8) === "ftyp") {
    // ISO base media: the major brand, then the compatible brands up to the box's end.
    const boxEnd = Math.min(((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0, b.length, 64);
    const brands: string[] = [ascii(b, 8, 12)];
    for (let i = 16; i + 4 <= boxEnd; i += 4) brands.push(ascii(b, i, i + 4));
    if (brands.some((x) => AVIF_BRANDS.includes(x))) return "avif";
    if (brands.some((x) => HEIC_BRANDS.includes(x))) return "heic";
    return null;
  }
  // "%PDF-" is allowed a little junk before it (some scanners and mailers prepend bytes).
  if (ascii(b, 0, 1024).includes("%PDF-")) return "pdf";
  if (looksLikeXml(b)) return "xml";
  return null;
}

function looksLikeXml(b: Uint8Array): boolean {
  let i = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3; // UTF-8 byte order mark
  while (i < b.length && i < 1024 && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  return b[i] === 0x3c /* < */ && /^<(\?xml|[A-Za-z_!])/.test(ascii(b, i, i + 8));
}
