// A minimal PDF writer for test documents: pages of positioned text in Helvetica (a text layer,
// as accounting software prints invoices) or one JPEG per page (a scan). Polish letters are
// mapped through a font encoding with their standard glyph names, so a PDF text extractor reads
// them back as Unicode. Small on purpose: the tests must not depend on another PDF library.

export interface PdfText {
  /** Points from the left edge. */
  x: number;
  /** Points from the top edge (converted to PDF's bottom-up y here). */
  y: number;
  text: string;
  size: number;
  bold?: boolean;
}

export interface PdfImagePage {
  jpeg: Uint8Array;
  /** Pixel size of the JPEG. */
  width: number;
  height: number;
}

const A4: [number, number] = [595.28, 841.89];

// Codes 129..144 of our font encoding (unused or rare in WinAnsiEncoding): the Polish letters it
// lacks (ó and Ó it has).
const EXTRA_GLYPHS: Array<[string, string]> = [
  ["ą", "aogonek"], ["ć", "cacute"], ["ę", "eogonek"], ["ł", "lslash"], ["ń", "nacute"], ["ś", "sacute"],
  ["ź", "zacute"], ["ż", "zdotaccent"], ["Ą", "Aogonek"], ["Ć", "Cacute"], ["Ę", "Eogonek"], ["Ł", "Lslash"],
  ["Ń", "Nacute"], ["Ś", "Sacute"], ["Ź", "Zacute"], ["Ż", "Zdotaccent"],
];
const WIN_ANSI: Record<string, number> = { ó: 0xf3, Ó: 0xd3, "–": 0x96, "—": 0x97, "”": 0x94, "€": 0x80 };

function encodeText(text: string): string {
  let out = "";
  for (const ch of text) {
    const extra = EXTRA_GLYPHS.findIndex(([c]) => c === ch);
    let code: number;
    if (extra >= 0) code = 0x81 + extra;
    else if (WIN_ANSI[ch] !== undefined) code = WIN_ANSI[ch];
    else if (ch.charCodeAt(0) < 0x7f) code = ch.charCodeAt(0);
    else throw new Error(`test PDF writer cannot encode "${ch}"`);
    if (ch === "(" || ch === ")" || ch === "\\") out += "\\" + ch;
    else if (code >= 0x20 && code < 0x7f) out += String.fromCharCode(code);
    else out += "\\" + code.toString(8).padStart(3, "0");
  }
  return out;
}

function fontObject(base: string): string {
  const differences = EXTRA_GLYPHS.map(([, name]) => `/${name}`).join(" ");
  return `<< /Type /Font /Subtype /Type1 /BaseFont /${base} /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [129 ${differences}] >> >>`;
}

class PdfBuilder {
  private objects: Array<string | Uint8Array[]> = [];

  add(body: string | Uint8Array[]): number {
    this.objects.push(body);
    return this.objects.length;
  }

  set(id: number, body: string): void {
    this.objects[id - 1] = body;
  }

  reserve(): number {
    return this.add("null");
  }

  stream(dict: string, data: Uint8Array | string): number {
    const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    return this.add([Buffer.from(`<< ${dict} /Length ${bytes.length} >>\nstream\n`, "latin1"), bytes, Buffer.from("\nendstream", "latin1")]);
  }

  build(rootId: number): Uint8Array {
    const chunks: Uint8Array[] = [Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1")];
    let length = chunks[0].length;
    const offsets: number[] = [];
    this.objects.forEach((body, i) => {
      offsets.push(length);
      const parts = typeof body === "string" ? [Buffer.from(body, "latin1")] : body;
      const all = [Buffer.from(`${i + 1} 0 obj\n`, "latin1"), ...parts, Buffer.from("\nendobj\n", "latin1")];
      for (const p of all) {
        chunks.push(p);
        length += p.length;
      }
    });
    const xref =
      `xref\n0 ${this.objects.length + 1}\n0000000000 65535 f \n` +
      offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("") +
      `trailer\n<< /Size ${this.objects.length + 1} /Root ${rootId} 0 R >>\nstartxref\n${length}\n%%EOF\n`;
    chunks.push(Buffer.from(xref, "latin1"));
    return Buffer.concat(chunks);
  }
}

export type PdfPage = PdfText[] | PdfImagePage;

/** A PDF whose pages are positioned texts (a text layer) or one JPEG each (a scan), in any mix. */
export function pdf(pages: PdfPage[]): Uint8Array {
  const doc = new PdfBuilder();
  const catalog = doc.reserve();
  const pagesId = doc.reserve();
  const regular = doc.add(fontObject("Helvetica"));
  const bold = doc.add(fontObject("Helvetica-Bold"));
  const kids: number[] = [];
  for (const page of pages) {
    let resources: string;
    let content: string;
    if (Array.isArray(page)) {
      content = page
        .map((t) => `BT /${t.bold ? "F2" : "F1"} ${t.size} Tf ${t.x.toFixed(2)} ${(A4[1] - t.y).toFixed(2)} Td (${encodeText(t.text)}) Tj ET`)
        .join("\n");
      resources = `<< /Font << /F1 ${regular} 0 R /F2 ${bold} 0 R >> >>`;
    } else {
      const gray = isGrayJpeg(page.jpeg);
      const image = doc.stream(`/Type /XObject /Subtype /Image /Width ${page.width} /Height ${page.height} /ColorSpace /${gray ? "DeviceGray" : "DeviceRGB"} /BitsPerComponent 8 /Filter /DCTDecode`, page.jpeg);
      content = `q ${A4[0]} 0 0 ${A4[1]} 0 0 cm /Im1 Do Q`;
      resources = `<< /XObject << /Im1 ${image} 0 R >> >>`;
    }
    const contentId = doc.stream("", content);
    kids.push(doc.add(`<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${A4[0]} ${A4[1]}] /Resources ${resources} /Contents ${contentId} 0 R >>`));
  }
  doc.set(pagesId, `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(" ")}] /Count ${kids.length} >>`);
  doc.set(catalog, `<< /Type /Catalog /Pages ${pagesId} 0 R >>`);
  return doc.build(catalog);
}

/** A PDF with a text layer: each page a list of positioned texts. */
export function textPdf(pages: PdfText[][]): Uint8Array {
  return pdf(pages);
}

/** A scanned PDF: each page one JPEG filling an A4 page, no text layer. */
export function imagePdf(pages: PdfImagePage[]): Uint8Array {
  return pdf(pages);
}

/** Whether a baseline JPEG has one colour component (from its SOF0/SOF2 marker). */
function isGrayJpeg(jpeg: Uint8Array): boolean {
  let i = 2;
  while (i + 9 < jpeg.length) {
    if (jpeg[i] !== 0xff) return false;
    const marker = jpeg[i + 1];
    const len = (jpeg[i + 2] << 8) | jpeg[i + 3];
    if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) return jpeg[i + 9] === 1;
    i += 2 + len;
  }
  return false;
}

export const A4_POINTS = A4;
