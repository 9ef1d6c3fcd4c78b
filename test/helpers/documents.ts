// Test documents made by the tests themselves: Polish invoices in four layouts (two sets of data
// each) with their true field values, rendered as images with ImageMagick (clean, or as a scan:
// noise, blur, a slight rotation, JPEG), as a PDF with a text layer and as a scanned PDF; and an
// equipment nameplate photo. Used by test/integration/ocr.test.ts and test/bench/ocr.ts.
//
// ImageMagick: Debian's /usr/bin/convert (`make test` installs the imagemagick package). Texts are
// passed inline: its security policy refuses to read text from @files.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { completeNip } from "../../src/domain/nip";
import { completeNrb, formatNrb } from "../../src/domain/nrb";
import { percentOf } from "../../src/domain/money";
import { imagePdf, pdf, textPdf, type PdfImagePage, type PdfText } from "./pdf";

const execFileAsync = promisify(execFile);
// One thread: ImageMagick's OpenMP threads spin against each other on a busy 2-core machine
// (tests render pages in parallel anyway).
const run = (program: string, args: string[], options: { maxBuffer?: number } = {}) =>
  execFileAsync(program, args, { ...options, env: { ...process.env, MAGICK_THREAD_LIMIT: "1" } });

export const CONVERT = process.env.HVAC_CONVERT || "/usr/bin/convert";

/** Pixel size of an A4 page at 150 dpi, the resolution the pages are drawn at. */
export const PAGE = { width: 1240, height: 1754, dpi: 150 };

// ---------------------------------------------------------------------------------------------
// True values

export interface RateTruth {
  rate: "23" | "8" | "5" | "0" | "zw";
  net: number;
  vat: number;
  gross: number;
}

/** What a perfect reading gives; amounts in grosze, dates as YYYY-MM-DD. */
export interface InvoiceTruth {
  number: string;
  issueDate: string;
  saleDate: string;
  dueDate: string;
  sellerName: string;
  sellerNip: string;
  buyerNip: string | null;
  currency: string;
  rates: RateTruth[];
  grossTotal: number;
  totalAmount: number;
  bankAccount: string;
  splitPayment: boolean;
}

interface Party {
  name: string;
  street: string;
  city: string;
  nip: string | null;
}

interface Item {
  name: string;
  qty: string;
  unit: string;
  /** Net unit price in grosze. */
  price: number;
  /** Quantity in thousandths (so 0,3 kg works in integers). */
  milli: number;
  rate: RateTruth["rate"];
}

interface InvoiceData {
  id: string;
  layout: Layout;
  number: string;
  issueDate: string;
  saleDate: string;
  /** A date, or a number of days after the issue date ("14 dni"). */
  due: string | number;
  seller: Party;
  buyer: Party;
  items: Item[];
  bank: string;
  account: string;
  split: boolean;
}

export type Layout = "stacked" | "columns" | "wholesaler" | "boxed";

function nip(first9: string): string {
  const n = completeNip(first9);
  if (!n) throw new Error(`no NIP checksum for ${first9}`);
  return n;
}

function nrb(last24: string): string {
  const n = completeNrb(last24);
  if (!n) throw new Error(`bad NRB ${last24}`);
  return n;
}

const item = (name: string, qty: string, unit: string, price: number, rate: Item["rate"]): Item => ({
  name,
  qty,
  unit,
  price,
  milli: Math.round(Number(qty.replace(",", ".")) * 1000),
  rate,
});

const DATA: InvoiceData[] = [
  {
    id: "a1", layout: "stacked", number: "FV/2026/11/0147", issueDate: "2026-11-24", saleDate: "2026-11-20", due: "2026-12-08",
    seller: { name: "Klimat-Serwis Sp. z o.o.", street: "ul. Puławska 145", city: "02-715 Warszawa", nip: "5261040828" },
    buyer: { name: "Biuro Rachunkowe Nowak i Wspólnicy Sp. j.", street: "ul. Marszałkowska 10/12 lok. 5", city: "00-590 Warszawa", nip: nip("701056789") },
    items: [
      item("Przegląd okresowy klimatyzatora", "2", "szt.", 25000, "23"),
      item("Odgrzybianie jednostki wewnętrznej", "2", "szt.", 15000, "23"),
      item("Uzupełnienie czynnika R32", "0,3", "kg", 20000, "23"),
    ],
    bank: "Santander Bank Polska", account: nrb("109010140000071219812874"), split: true,
  },
  {
    id: "a2", layout: "stacked", number: "FV/2026/12/0009", issueDate: "2026-12-03", saleDate: "2026-12-02", due: "2026-12-17",
    seller: { name: "Termo-Instal Sp. z o.o.", street: "ul. Grochowska 12", city: "04-357 Warszawa", nip: nip("113234567") },
    buyer: { name: "Hotel Wisła Sp. z o.o.", street: "ul. Nowy Świat 30", city: "00-373 Warszawa", nip: nip("525123456") },
    items: [
      item("Wymiana pompy obiegowej", "1", "szt.", 98000, "23"),
      item("Płukanie instalacji c.o.", "1", "usł.", 45000, "23"),
      item("Dojazd do klienta", "1", "usł.", 8000, "23"),
    ],
    bank: "mBank", account: nrb("114020040000350212345678"), split: false,
  },
  {
    id: "b1", layout: "columns", number: "0412/11/2026", issueDate: "2026-11-24", saleDate: "2026-11-21", due: 14,
    seller: { name: "ChłodTech Sp. z o.o.", street: "ul. Słowackiego 27", city: "01-592 Warszawa", nip: nip("951234567") },
    buyer: { name: "Wspólnota Mieszkaniowa Żoliborz 12", street: "ul. Krasińskiego 12", city: "01-615 Warszawa", nip: nip("118245678") },
    items: [
      item("Montaż pompy ciepła powietrze-woda 8 kW", "1", "kpl.", 1250000, "8"),
      item("Serwis gwarancyjny klimatyzacji", "3", "usł.", 18000, "23"),
    ],
    bank: "PKO BP", account: nrb("102010260000042270201111"), split: false,
  },
  {
    id: "b2", layout: "columns", number: "0077/12/2026", issueDate: "2026-12-10", saleDate: "2026-12-10", due: 7,
    seller: { name: "Wentex Serwis Sp. z o.o.", street: "ul. Wolska 88", city: "01-258 Warszawa", nip: nip("527100200") },
    buyer: { name: "Szkoła Podstawowa nr 12 Sp. z o.o.", street: "ul. Górczewska 15", city: "01-147 Warszawa", nip: nip("522300400") },
    items: [
      item("Czyszczenie central wentylacyjnych", "4", "szt.", 32000, "23"),
      item("Wymiana filtrów kieszeniowych F7", "8", "szt.", 9500, "23"),
      item("Modernizacja kotłowni w budynku", "1", "kpl.", 640000, "8"),
    ],
    bank: "ING Bank Śląski", account: nrb("105010310000009876543210"), split: true,
  },
  {
    id: "c1", layout: "wholesaler", number: "FS-2026/11/00981", issueDate: "2026-11-25", saleDate: "2026-11-25", due: "2026-12-09",
    seller: { name: "Frigo-Pol S.A.", street: "Al. Jerozolimskie 200", city: "02-486 Warszawa", nip: nip("521301234") },
    buyer: { name: "Klimat-Serwis Sp. z o.o.", street: "ul. Puławska 145", city: "02-715 Warszawa", nip: "5261040828" },
    items: [
      item("Czynnik chłodniczy R32, butla 9 kg", "2", "szt.", 54000, "23"),
      item("Rura miedziana 1/4 izolowana 25 m", "1", "szt.", 38900, "23"),
      item("Szkolenie F-gaz (usługa zwolniona)", "1", "usł.", 60000, "zw"),
    ],
    bank: "Bank Pekao", account: nrb("124010370000111122223333"), split: true,
  },
  {
    id: "c2", layout: "wholesaler", number: "FS-2026/12/01204", issueDate: "2026-12-01", saleDate: "2026-11-30", due: "2026-12-31",
    seller: { name: "Hurtownia Klima-Hurt Sp. z o.o.", street: "ul. Annopol 4", city: "03-236 Warszawa", nip: nip("524110220") },
    buyer: { name: "ChłodTech Sp. z o.o.", street: "ul. Słowackiego 27", city: "01-592 Warszawa", nip: nip("951234567") },
    items: [
      item("Klimatyzator ścienny 3,5 kW R32", "3", "szt.", 219900, "23"),
      item("Wspornik jednostki zewnętrznej", "3", "szt.", 8900, "23"),
      item("Pompka skroplin", "2", "szt.", 21500, "23"),
    ],
    bank: "Millennium", account: nrb("116022020000000298765432"), split: true,
  },
  {
    id: "d1", layout: "boxed", number: "2026/11/58", issueDate: "2026-12-02", saleDate: "2026-12-01", due: "2026-12-16",
    seller: { name: "Serwis Klimatyzacji Pingwin Sp. z o.o.", street: "ul. Wolska 88", city: "01-258 Warszawa", nip: nip("725100200") },
    buyer: { name: "Kancelaria Adwokacka Lis Sp. p.", street: "ul. Hoża 51", city: "00-681 Warszawa", nip: nip("701200300") },
    items: [
      item("Naprawa klimatyzatora - kondensator", "1", "usł.", 60000, "23"),
    ],
    bank: "Alior Bank", account: nrb("124910010000123456789012"), split: false,
  },
  {
    id: "d2", layout: "boxed", number: "2026/12/07", issueDate: "2026-12-14", saleDate: "2026-12-12", due: "2026-12-28",
    seller: { name: "Ciepło-Dom Instalacje Sp. z o.o.", street: "ul. Modlińska 310", city: "03-152 Warszawa", nip: nip("536400501") },
    buyer: { name: "Restauracja Pod Lipami Sp. z o.o.", street: "ul. Chmielna 2", city: "00-020 Warszawa", nip: nip("526600700") },
    items: [
      item("Przegląd kotła gazowego", "1", "usł.", 35000, "8"),
      item("Wymiana czujnika ciśnienia", "1", "szt.", 19000, "23"),
    ],
    bank: "BNP Paribas", account: nrb("116010100000000011112222"), split: false,
  },
];

// ---------------------------------------------------------------------------------------------
// Formatting as printed

const MONTHS = ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"];

function dmy(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${d}.${m}.${y}`;
}

function wordsDate(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** "1 057,80" */
export function plAmount(grosze: number): string {
  const whole = String(Math.floor(grosze / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return `${whole},${String(grosze % 100).padStart(2, "0")}`;
}

function nipDashed(n: string): string {
  return `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6, 8)}-${n.slice(8)}`;
}

function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const RATE_ORDER: RateTruth["rate"][] = ["23", "8", "5", "0", "zw"];
const rateLabel = (r: RateTruth["rate"]) => (r === "zw" ? "zw" : `${r}%`);

function lineNet(i: Item): number {
  return Math.round((i.price * i.milli) / 1000);
}

function ratesOf(items: Item[]): RateTruth[] {
  const out: RateTruth[] = [];
  for (const rate of RATE_ORDER) {
    const mine = items.filter((i) => i.rate === rate);
    if (!mine.length) continue;
    const net = mine.reduce((s, i) => s + lineNet(i), 0);
    const vat = rate === "zw" || rate === "0" ? 0 : percentOf(net, Number(rate));
    out.push({ rate, net, vat, gross: net + vat });
  }
  return out;
}

function truthOf(d: InvoiceData): InvoiceTruth {
  const rates = ratesOf(d.items);
  const gross = rates.reduce((s, r) => s + r.gross, 0);
  return {
    number: d.number,
    issueDate: d.issueDate,
    saleDate: d.saleDate,
    dueDate: typeof d.due === "number" ? addDays(d.issueDate, d.due) : d.due,
    sellerName: d.seller.name,
    sellerNip: d.seller.nip!,
    buyerNip: d.buyer.nip,
    currency: "PLN",
    rates,
    grossTotal: gross,
    totalAmount: gross,
    bankAccount: d.account,
    splitPayment: d.split,
  };
}

// ---------------------------------------------------------------------------------------------
// Layouts: positioned texts in pixels at 150 dpi (x from the left, y = baseline from the top)

export interface Draw {
  x: number;
  y: number;
  text: string;
  size: number;
  bold?: boolean;
}

export interface InvoiceDocument {
  id: string;
  layout: Layout;
  truth: InvoiceTruth;
  draws: Draw[];
  /** Font family the image is drawn in. */
  font: "sans" | "serif";
}

class Sheet {
  draws: Draw[] = [];
  y = 0;
  constructor(readonly size = 22) {}
  at(x: number, y: number, text: string, size = this.size, bold = false): this {
    this.draws.push({ x, y, text, size, bold });
    return this;
  }
  /** Next line at the left margin (or x), advancing by the line height. */
  line(text: string, x = 90, size = this.size, bold = false): this {
    this.y += Math.round(size * 1.6);
    return this.at(x, this.y, text, size, bold);
  }
  /** Several texts on the next line, at the given x positions. */
  row(cells: Array<[number, string]>, size = this.size, bold = false): this {
    this.y += Math.round(size * 1.6);
    for (const [x, t] of cells) if (t) this.at(x, this.y, t, size, bold);
    return this;
  }
  gap(px = 20): this {
    this.y += px;
    return this;
  }
}

const ITEM_COLS = [90, 130, 580, 680, 800, 925, 1000, 1110];

function itemsTable(s: Sheet, items: Item[], headers = ["Lp.", "Nazwa towaru/usługi", "Ilość", "Cena", "Netto", "VAT", "Kwota VAT", "Brutto"]): void {
  s.row(ITEM_COLS.map((x, i) => [x, headers[i]] as [number, string]), 18, true);
  items.forEach((it, n) => {
    const net = lineNet(it);
    const vat = it.rate === "zw" ? 0 : percentOf(net, Number(it.rate));
    s.row(
      [
        [90, `${n + 1}`], [130, it.name], [580, `${it.qty} ${it.unit}`], [680, plAmount(it.price)], [800, plAmount(net)],
        [925, rateLabel(it.rate)], [1000, plAmount(vat)], [1110, plAmount(net + vat)],
      ],
      18,
    );
  });
}

function summaryTable(s: Sheet, rates: RateTruth[], cols = [90, 330, 560, 790], label = "Stawka VAT"): void {
  s.gap(16).row([[cols[0], label], [cols[1], "Wartość netto"], [cols[2], "Kwota VAT"], [cols[3], "Wartość brutto"]], 22, true);
  for (const r of rates) s.row([[cols[0], rateLabel(r.rate)], [cols[1], plAmount(r.net)], [cols[2], plAmount(r.vat)], [cols[3], plAmount(r.gross)]]);
  if (rates.length > 1) {
    const sum = (k: "net" | "vat" | "gross") => rates.reduce((a, r) => a + r[k], 0);
    s.row([[cols[0], "Razem"], [cols[1], plAmount(sum("net"))], [cols[2], plAmount(sum("vat"))], [cols[3], plAmount(sum("gross"))]]);
  }
}

function party(s: Sheet, heading: string, p: Party, x = 90): void {
  s.line(heading, x, 22, true);
  s.line(p.name, x).line(p.street, x).line(p.city, x);
  if (p.nip) s.line(`NIP: ${nipDashed(p.nip)}`, x);
}

function stacked(d: InvoiceData, t: InvoiceTruth): Draw[] {
  const s = new Sheet();
  s.y = 60;
  s.line(d.seller.name.toUpperCase(), 90, 30, true).line(`${d.seller.street}, ${d.seller.city}`).line("tel. 22 843 21 10   biuro@example.pl");
  s.gap(30).line(`FAKTURA VAT nr ${d.number}`, 90, 30, true).line("ORYGINAŁ");
  s.gap(10).line(`Data wystawienia: ${dmy(d.issueDate)}`).line(`Data sprzedaży: ${dmy(d.saleDate)}`).line("Miejsce wystawienia: Warszawa");
  s.gap(20);
  party(s, "Sprzedawca:", d.seller);
  s.gap(16);
  party(s, "Nabywca:", d.buyer);
  s.gap(24);
  itemsTable(s, d.items);
  summaryTable(s, t.rates);
  s.gap(24).line("Sposób płatności: przelew").line(`Termin płatności: ${dmy(t.dueDate)}`);
  s.line(`Nr konta: ${formatNrb(d.account)} (${d.bank})`);
  s.gap(10).line(`Do zapłaty: ${plAmount(t.totalAmount)} zł`, 90, 26, true);
  if (d.split) s.gap(10).line("Faktura w mechanizmie podzielonej płatności");
  return s.draws;
}

function columns(d: InvoiceData, t: InvoiceTruth): Draw[] {
  const s = new Sheet();
  s.y = 60;
  s.line("FAKTURA VAT", 90, 34, true).line(`Nr: ${d.number}`, 90, 24, true);
  s.at(760, 100, `Warszawa, dnia ${wordsDate(d.issueDate)} r.`, 20);
  s.gap(30);
  const top = s.y;
  party(s, "Sprzedawca:", d.seller, 90);
  const leftEnd = s.y;
  s.y = top;
  party(s, "Nabywca:", d.buyer, 680);
  s.y = Math.max(leftEnd, s.y);
  s.gap(24).line(`Data sprzedaży: ${wordsDate(d.saleDate)}`).line(`Termin płatności: ${d.due} dni`).line("Forma płatności: przelew");
  s.gap(20);
  itemsTable(s, d.items, ["Lp", "Nazwa", "Ilość", "Cena netto", "Netto", "Stawka", "VAT", "Brutto"]);
  s.gap(10).line("W tym:", 90, 22, true);
  for (const r of t.rates) s.row([[90, rateLabel(r.rate)], [330, plAmount(r.net)], [560, plAmount(r.vat)], [790, plAmount(r.gross)]]);
  const sum = (k: "net" | "vat" | "gross") => t.rates.reduce((a, r) => a + r[k], 0);
  s.row([[90, "Razem:"], [330, plAmount(sum("net"))], [560, plAmount(sum("vat"))], [790, plAmount(sum("gross"))]], 22, true);
  s.gap(24).line(`Do zapłaty: ${plAmount(t.totalAmount)} PLN`, 90, 26, true);
  s.line(`Rachunek bankowy: ${d.bank} ${formatNrb(d.account)}`);
  if (d.split) s.line("Mechanizm podzielonej płatności");
  return s.draws;
}

function wholesaler(d: InvoiceData, t: InvoiceTruth): Draw[] {
  const s = new Sheet();
  s.y = 60;
  s.line(`HURTOWNIA ${d.seller.name.toUpperCase()}`, 90, 28, true);
  s.line(`Faktura VAT ${d.number}`, 90, 28, true);
  s.gap(16).row([[90, "Data wystawienia"], [420, "Data dostawy/wykonania usługi"], [900, "Termin płatności"]], 20, true);
  s.row([[90, dmy(d.issueDate)], [420, dmy(d.saleDate)], [900, dmy(t.dueDate)]], 20);
  s.gap(20);
  s.line("Dane sprzedawcy", 90, 22, true).line(d.seller.name).line(d.seller.street).line(d.seller.city).line(`NIP PL${d.seller.nip}`).line("BDO 000012345");
  s.gap(16);
  s.line("Dane nabywcy", 90, 22, true).line(d.buyer.name).line(`${d.buyer.street}, ${d.buyer.city}`).line(`NIP ${d.buyer.nip}`);
  s.gap(24);
  itemsTable(s, d.items, ["Lp.", "Towar", "Ilość", "Cena", "Netto", "Stawka", "VAT", "Brutto"]);
  s.gap(10).line("Podsumowanie:", 90, 22, true);
  summaryTable(s, t.rates, [90, 330, 560, 790], "Stawka");
  s.gap(16).line("Zapłacono: 0,00 zł").line(`Pozostało do zapłaty: ${plAmount(t.totalAmount)} zł`, 90, 24, true);
  s.line(`Nr rachunku: PL ${formatNrb(d.account)}`);
  if (d.split) s.line("Mechanizm podzielonej płatności");
  return s.draws;
}

function boxed(d: InvoiceData, t: InvoiceTruth): Draw[] {
  const s = new Sheet();
  s.y = 60;
  s.line(`FAKTURA VAT NR ${d.number}`, 430, 30, true);
  s.gap(24);
  const top = s.y;
  party(s, "Sprzedawca:", d.seller, 90);
  const leftEnd = s.y;
  s.y = top;
  party(s, "Nabywca:", d.buyer, 680);
  s.y = Math.max(leftEnd, s.y);
  s.gap(24).row([[90, `Data wystawienia: ${d.issueDate}`], [680, `Data wykonania usługi: ${d.saleDate}`]]);
  s.gap(20);
  itemsTable(s, d.items);
  s.gap(10).line("Podsumowanie", 90, 22, true);
  summaryTable(s, t.rates);
  s.gap(20).line(`Razem do zapłaty: ${plAmount(t.totalAmount)} zł`, 90, 26, true);
  s.line(`Termin płatności: ${t.dueDate}`).line("Forma płatności: przelew");
  s.line(`Konto: ${d.bank} ${formatNrb(d.account)}`);
  return s.draws;
}

const LAYOUTS: Record<Layout, (d: InvoiceData, t: InvoiceTruth) => Draw[]> = { stacked, columns, wholesaler, boxed };

/** The generated invoices: 4 layouts x 2. */
export function invoiceDocuments(): InvoiceDocument[] {
  return DATA.map((d) => {
    const truth = truthOf(d);
    return { id: d.id, layout: d.layout, truth, draws: LAYOUTS[d.layout](d, truth), font: d.layout === "boxed" ? "serif" : "sans" };
  });
}

// ---------------------------------------------------------------------------------------------
// Rendering

const FONTS = {
  sans: ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"],
  sansBold: ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"],
  serif: ["/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"],
  serifBold: ["/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf", "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"],
};

function font(kind: keyof typeof FONTS): string {
  const found = FONTS[kind].find((f) => existsSync(f));
  if (!found) throw new Error(`No font for the test documents (${FONTS[kind].join(", ")}): make test installs fonts-dejavu-core`);
  return found;
}

/** Fails with a clear message when ImageMagick is missing (make test installs it). */
export function requireImageMagick(): void {
  if (!existsSync(CONVERT)) throw new Error(`${CONVERT} is missing: the OCR tests draw their documents with ImageMagick (make test installs the imagemagick package)`);
}

/** ImageMagick interprets % and backslashes in -annotate text. */
function imText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/%/g, "%%");
}

export interface ScanOptions {
  /** Degrees; a scan is never quite straight. */
  rotate?: number;
  /** Gaussian noise strength (ImageMagick -attenuate), 0 = none. */
  noise?: number;
  /** Blur sigma in pixels. */
  blur?: number;
}

/** A clean page: sharp black text on white. A scan: grey, rotated, noisy, slightly blurred. */
export const CLEAN: ScanOptions = {};
export const SCANNED: ScanOptions = { rotate: 0.7, noise: 0.5, blur: 0.6 };
/** A poor scan: 2° skew, heavy noise, soft focus. */
export const ROUGH: ScanOptions = { rotate: -2, noise: 0.9, blur: 0.9 };

/**
 * Draws the texts on a white A4 page at 150 dpi and writes it to `out`; the format follows the
 * file's extension (.png, .jpg, .webp, .tif, .heic).
 */
export async function renderImage(draws: Draw[], out: string, options: ScanOptions & { family?: "sans" | "serif" } = {}): Promise<void> {
  requireImageMagick();
  const family = options.family ?? "sans";
  const args = ["-size", `${PAGE.width}x${PAGE.height}`, "xc:white", "-fill", "black", "-density", String(PAGE.dpi)];
  for (const d of draws) {
    args.push("-font", font(d.bold ? (family === "serif" ? "serifBold" : "sansBold") : family), "-pointsize", String(d.size * (72 / PAGE.dpi)), "-annotate", `+${d.x}+${d.y}`, imText(d.text));
  }
  args.push("-colorspace", "Gray", "-depth", "8");
  if (options.rotate) args.push("-background", "white", "-rotate", String(options.rotate), "-gravity", "center", "-extent", `${PAGE.width}x${PAGE.height}`);
  if (options.blur) args.push("-blur", `0x${options.blur}`);
  // A fixed seed: the same noise on every run, so OCR results are reproducible.
  if (options.noise) args.push("-seed", "4", "-attenuate", String(options.noise), "+noise", "Gaussian");
  if (/\.jpe?g$/i.test(out)) args.push("-quality", "80");
  await run(CONVERT, [...args, out], { maxBuffer: 64 * 1024 * 1024 });
}

/** The image file converted to another format by ImageMagick. */
export async function convertImage(input: string, out: string, extra: string[] = []): Promise<void> {
  requireImageMagick();
  await run(CONVERT, [input, ...extra, out]);
}

/** The invoice's page as PDF text (the same positions, in Helvetica). */
export function invoiceTextPage(doc: InvoiceDocument): PdfText[] {
  const k = 72 / PAGE.dpi;
  return doc.draws.map((d) => ({ x: d.x * k, y: d.y * k, text: d.text, size: d.size * k, bold: d.bold }));
}

/** The invoice's page drawn as a scan, ready for a PDF. */
export async function invoiceScanPage(doc: InvoiceDocument, workDir: string, options: ScanOptions = SCANNED): Promise<PdfImagePage> {
  const jpeg = join(workDir, `${doc.id}-pdfpage.jpg`);
  await renderImage(doc.draws, jpeg, { ...options, family: doc.font });
  return { jpeg: readFileSync(jpeg), width: PAGE.width, height: PAGE.height };
}

/** The invoice as a PDF with a text layer. */
export function invoiceTextPdf(doc: InvoiceDocument): Uint8Array {
  return textPdf([invoiceTextPage(doc)]);
}

/** A scanned PDF: the page drawn as a scan, as a JPEG inside a PDF without any text. */
export async function invoiceScannedPdf(doc: InvoiceDocument, workDir: string, options: ScanOptions = SCANNED): Promise<Uint8Array> {
  return imagePdf([await invoiceScanPage(doc, workDir, options)]);
}

export { pdf };

export function writeBytes(path: string, bytes: Uint8Array): string {
  writeFileSync(path, bytes);
  return path;
}

// ---------------------------------------------------------------------------------------------
// A nameplate

export interface NameplateTruth {
  manufacturer: string;
  model: string;
  serialNumber: string;
  refrigerant: string;
  chargeKg: number;
}

export const NAMEPLATE_TRUTH: NameplateTruth = {
  manufacturer: "Mitsubishi Electric",
  model: "MUZ-LN35VG",
  serialNumber: "1A00123",
  refrigerant: "R32",
  chargeKg: 0.8,
};

/**
 * An outdoor unit's rating plate as a phone photographs it: light grey metal, a border, dense
 * small print, a little tilt and noise.
 */
export async function renderNameplate(out: string): Promise<void> {
  requireImageMagick();
  const lines: Array<[string, number, boolean]> = [
    ["MITSUBISHI ELECTRIC CORPORATION", 30, true],
    ["AIR CONDITIONER - OUTDOOR UNIT", 22, false],
    ["MODEL: MUZ-LN35VG", 26, true],
    ["SERIAL No.: 1A00123", 24, false],
    ["POWER SUPPLY: 1~ 230V 50Hz", 22, false],
    ["REFRIGERANT: R32   0.80 kg", 24, true],
    ["GWP 675   0.54 t CO2 eq", 22, false],
    ["DESIGN PRESSURE HIGH 4.15 MPa  LOW 1.64 MPa", 20, false],
    ["Contains fluorinated greenhouse gases", 20, false],
    ["Hermetically sealed equipment", 20, false],
    ["IP24   MADE IN THAILAND", 20, false],
  ];
  const args = ["-size", "900x640", "xc:#d8d8d4", "-fill", "none", "-stroke", "#333333", "-strokewidth", "3", "-draw", "roundrectangle 14,14 886,626 18,18", "-stroke", "none", "-fill", "#151515", "-density", "150"];
  let y = 70;
  for (const [text, size, bold] of lines) {
    args.push("-font", font(bold ? "sansBold" : "sans"), "-pointsize", String(size * (72 / 150)), "-annotate", `+50+${y}`, imText(text));
    y += Math.round(size * 2);
  }
  args.push("-background", "#d8d8d4", "-rotate", "-1.2", "-seed", "4", "-attenuate", "0.4", "+noise", "Gaussian", "-blur", "0x0.5", "-quality", "85");
  await run(CONVERT, [...args, out]);
}

// ---------------------------------------------------------------------------------------------
// Scoring a reading against the truth

export interface FieldCheck {
  field: string;
  expected: unknown;
  actual: unknown;
  ok: boolean;
}

type Fields = Record<string, { value: unknown } | null>;

/**
 * Every field of the truth compared with a reading's fields (exact equality): invoice number,
 * the three dates, seller name and NIP, buyer NIP, currency, net/VAT/gross of each rate, total to
 * pay, bank account, split payment.
 */
export function checkInvoice(fields: Fields, truth: InvoiceTruth): FieldCheck[] {
  const value = (name: string) => fields[name]?.value ?? null;
  const expected: Array<[string, unknown]> = [
    ["number", truth.number],
    ["issueDate", truth.issueDate],
    ["saleDate", truth.saleDate],
    ["dueDate", truth.dueDate],
    ["sellerName", truth.sellerName],
    ["sellerNip", truth.sellerNip],
    ["buyerNip", truth.buyerNip],
    ["currency", truth.currency],
  ];
  for (const r of truth.rates) expected.push([`rates.${r.rate}.net`, r.net], [`rates.${r.rate}.vat`, r.vat], [`rates.${r.rate}.gross`, r.gross]);
  expected.push(["totalAmount", truth.totalAmount], ["bankAccount", truth.bankAccount], ["splitPayment", truth.splitPayment]);
  return expected.map(([field, want]) => ({ field, expected: want, actual: value(field), ok: value(field) === want }));
}

export function checkNameplate(fields: Fields, truth: NameplateTruth = NAMEPLATE_TRUTH): FieldCheck[] {
  return (Object.keys(truth) as Array<keyof NameplateTruth>).map((field) => {
    const actual = fields[field]?.value ?? null;
    const want = truth[field];
    const ok = typeof want === "string" && typeof actual === "string" ? actual.toLowerCase() === want.toLowerCase() : actual === want;
    return { field, expected: want, actual, ok };
  });
}
