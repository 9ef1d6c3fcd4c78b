import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  addDays,
  crossCheck,
  emptyInvoiceFields,
  extractInvoice,
  findDates,
  foldKeepLength,
  parseAmountInWords,
  parsePolishDate,
  parsePolishNumberWords,
  type FieldReading,
  type InvoiceFields,
  type InvoiceReading,
} from "../../src/domain/invoice";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/invoices/${name}`, import.meta.url), "utf8");

/** Field values only, rates as "rate: net/vat/gross" in grosze. */
function values(r: InvoiceReading): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(r.fields)) {
    if (key === "rates") out.rates = r.fields.rates.map((x) => `${x.rate}: ${x.net?.value}/${x.vat?.value}/${x.gross?.value}`);
    else out[key] = f === null ? null : (f as FieldReading<unknown>).value;
  }
  return out;
}

const codes = (r: InvoiceReading) => r.review.map((x) => `${x.field}:${x.code}`);

describe("extractInvoice on OCR texts of Polish invoices", () => {
  it.each([
    [
      "a-stacked-23.txt",
      "seller above buyer, one rate, VAT table, split payment",
      {
        kind: "VAT",
        number: "FV/2026/11/0147",
        issueDate: "2026-11-24",
        saleDate: "2026-11-20",
        dueDate: "2026-12-08",
        sellerName: "Klimat-Serwis Sp. z o.o.",
        sellerNip: "5261040828",
        buyerName: "Biuro Rachunkowe Nowak i Wspólnicy Sp. j.",
        buyerNip: "7010567893",
        currency: "PLN",
        rates: ["23: 86000/19780/105780"],
        netTotal: 86000,
        vatTotal: 19780,
        grossTotal: 105780,
        paidAmount: null,
        totalAmount: 105780,
        bankAccount: "61109010140000071219812874",
        splitPayment: true,
      },
      [],
    ],
    [
      "b-columns-8-23.txt",
      "seller and buyer side by side on the same OCR lines, two rates, O for 0, month names",
      {
        kind: "VAT",
        number: "0412/11/2026",
        issueDate: "2026-11-24",
        saleDate: "2026-11-21",
        dueDate: "2026-12-08",
        sellerName: "ChłodTech Sp. z o.o.",
        sellerNip: "9512345675",
        buyerName: "Wspólnota Mieszkaniowa Żoliborz 12",
        buyerNip: "1132456789",
        currency: "PLN",
        rates: ["23: 54000/12420/66420", "8: 1250000/100000/1350000"],
        netTotal: 1304000,
        vatTotal: 112420,
        grossTotal: 1416420,
        paidAmount: null,
        totalAmount: 1416420,
        bankAccount: "60102010260000042270201111",
        splitPayment: false,
      },
      [],
    ],
    [
      "c-wholesaler-23-zw.txt",
      "supplier invoice, date labels in a row with values below, 23% and exempt, remainder to pay",
      {
        kind: "VAT",
        number: "FS-2026/11/00981",
        issueDate: "2026-11-25",
        saleDate: "2026-11-25",
        dueDate: "2026-12-09",
        sellerName: "Frigo-Pol S.A.",
        sellerNip: "5213012343",
        buyerName: "Klimat-Serwis Sp. z o.o.",
        buyerNip: "5261040828",
        currency: "PLN",
        rates: ["23: 146900/33787/180687", "zw: 60000/0/60000"],
        netTotal: 206900,
        vatTotal: 33787,
        grossTotal: 240687,
        paidAmount: 0,
        totalAmount: 240687,
        bankAccount: "24124010370000111122223333",
        splitPayment: false,
      },
      [],
    ],
    [
      "d-correction.txt",
      "correction invoice: negative amounts, number of the corrected invoice ignored",
      {
        kind: "KOR",
        number: "KOR/2026/11/003",
        issueDate: "2026-11-28",
        saleDate: null,
        dueDate: null,
        sellerName: "Klimat-Serwis Sp. z o.o.",
        sellerNip: "5261040828",
        buyerName: "Biuro Rachunkowe Nowak i Wspólnicy Sp. j.",
        buyerNip: "7010567893",
        currency: "PLN",
        rates: ["23: -10000/-2300/-12300"],
        netTotal: -10000,
        vatTotal: -2300,
        grossTotal: -12300,
        paidAmount: null,
        totalAmount: -12300,
        bankAccount: "61109010140000071219812874",
        splitPayment: false,
      },
      [],
    ],
    [
      "e-eur.txt",
      "EUR invoice without a rate table; VAT in PLN is not the VAT total",
      {
        kind: "VAT",
        number: "15/11/2026",
        issueDate: "2026-11-26",
        saleDate: "2026-11-26",
        dueDate: null,
        sellerName: "Kool-Parts Sp. z o.o.",
        sellerNip: "5342210453",
        buyerName: "Klimat-Serwis Sp. z o.o.",
        buyerNip: "5261040828",
        currency: "EUR",
        rates: ["23: 100000/23000/123000"],
        netTotal: 100000,
        vatTotal: 23000,
        grossTotal: 123000,
        paidAmount: null,
        totalAmount: 123000,
        bankAccount: "72249000050000460012345678",
        splitPayment: false,
      },
      [],
    ],
    [
      "f-noisy-errors.txt",
      "misread NIP, account and total row are kept and flagged; due date from '7 dni'",
      {
        kind: "VAT",
        number: "FV 112/2026",
        issueDate: "2026-11-30",
        saleDate: "2026-11-30",
        dueDate: "2026-12-07",
        sellerName: "Instalacje Chłodnicze Marek Wiśniewski",
        sellerNip: "1187654327",
        buyerName: "Anna Zielińska",
        buyerNip: null,
        currency: "PLN",
        rates: ["23: 240000/55200/295200"],
        netTotal: 240000,
        vatTotal: 55200,
        grossTotal: 292500,
        paidAmount: null,
        totalAmount: 295200,
        bankAccount: "96114020040000330200123465",
        splitPayment: false,
      },
      ["grossTotal:totals_mismatch", "sellerNip:nip_checksum", "bankAccount:nrb_checksum"],
    ],
    [
      "g-layout-private-buyer.txt",
      "layout-preserving PDF text, private buyer without NIP, paid in cash",
      {
        kind: "VAT",
        number: "2026/11/58",
        issueDate: "2026-12-02",
        saleDate: "2026-12-01",
        dueDate: "2026-12-02",
        sellerName: "Serwis Klimatyzacji Pingwin Tomasz Nowak",
        sellerNip: "7251002000",
        buyerName: "Jan Kowalski",
        buyerNip: null,
        currency: "PLN",
        rates: ["23: 60000/13800/73800"],
        netTotal: null,
        vatTotal: null,
        grossTotal: null,
        paidAmount: 73800,
        totalAmount: 73800,
        bankAccount: null,
        splitPayment: false,
      },
      [],
    ],
    [
      "h-sum-mismatch.txt",
      "a misread gross at 23% breaks three sums: all flagged, nothing corrected",
      {
        kind: "VAT",
        number: "2026/12/004",
        issueDate: "2026-12-01",
        saleDate: "2026-12-01",
        dueDate: "2026-12-15",
        sellerName: "Klimat-Serwis Sp. z o.o.",
        sellerNip: "5261040828",
        buyerName: "Wspólnota Mieszkaniowa Żoliborz 12",
        buyerNip: "1132456789",
        currency: "PLN",
        rates: ["23: 100000/23000/128000", "8: 50000/4000/54000"],
        netTotal: 150000,
        vatTotal: 27000,
        grossTotal: 177000,
        paidAmount: null,
        totalAmount: 177000,
        bankAccount: null,
        splitPayment: false,
      },
      ["rates.23:rate_sum_mismatch", "grossTotal:totals_mismatch", "totalAmount:total_mismatch"],
    ],
  ])("%s (%s)", (file, _what, expected, review) => {
    const r = extractInvoice(fixture(file));
    expect(r.source).toBe("ocr");
    expect(values(r)).toEqual(expected);
    expect(codes(r)).toEqual(review);
  });

  it("gives every field a confidence in 0..1 and a source line that contains the value's text", () => {
    const text = fixture("a-stacked-23.txt");
    const lines = text.split("\n");
    const r = extractInvoice(text);
    const f = r.fields;
    for (const field of [f.number, f.issueDate, f.sellerNip, f.totalAmount, f.bankAccount, f.splitPayment]) {
      expect(field!.confidence).toBeGreaterThanOrEqual(0);
      expect(field!.confidence).toBeLessThanOrEqual(1);
      expect(field!.source.kind).toBe("ocr");
      expect(lines[field!.source.line! - 1].trim()).toBe(field!.source.text);
    }
    expect(f.number!.source.text).toBe("FAKTURA VAT nr FV/2026/11/0147");
    expect(f.sellerNip!.source.text).toBe("NIP: 526-104-08-28");
    expect(f.totalAmount!.source.text).toBe("Do zapłaty: 1 057,80 zł");
  });

  it("trusts sums that add up more than values read alone, and mismatched sums less", () => {
    const good = extractInvoice(fixture("a-stacked-23.txt")).fields;
    expect(good.rates[0].gross!.confidence).toBeGreaterThanOrEqual(0.97);
    expect(good.totalAmount!.confidence).toBeGreaterThanOrEqual(0.97);
    const bad = extractInvoice(fixture("h-sum-mismatch.txt")).fields;
    expect(bad.rates[0].gross!.confidence).toBeLessThanOrEqual(0.5);
    expect(bad.totalAmount!.confidence).toBeLessThanOrEqual(0.5);
    expect(bad.rates[1].gross!.confidence).toBeGreaterThanOrEqual(0.97);
  });

  it("lowers confidence for values that needed OCR repairs or column guesses", () => {
    const f = extractInvoice(fixture("b-columns-8-23.txt")).fields;
    expect(f.number!.confidence).toBeLessThan(0.8); // "2O26" repaired, number on the line after the title
    expect(f.issueDate!.confidence).toBeLessThan(0.8); // "Warszawa, dnia ..." without a label
    expect(f.sellerName!.confidence).toBeLessThan(0.8); // two names split at "Sp. z o.o."
    expect(extractInvoice(fixture("f-noisy-errors.txt")).fields.sellerNip!.confidence).toBeLessThanOrEqual(0.3);
  });

  it("computes a due date given in days and says so", () => {
    const due = extractInvoice(fixture("f-noisy-errors.txt")).fields.dueDate!;
    expect(due.source.kind).toBe("computed");
    expect(due.source.text).toContain("7 days");
  });

  describe("is tolerant of what OCR does to the same invoice", () => {
    const base = fixture("a-stacked-23.txt");
    const expected = values(extractInvoice(base));
    const variants: Array<[string, (t: string) => string]> = [
      ["Windows line endings", (t) => t.replace(/\n/g, "\r\n")],
      ["no Polish letters (OCR without Polish data)", (t) => t.replace(/[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]/g, (c) => "acelnoszzACELNOSZZ"["ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".indexOf(c)])],
      ["trailing spaces and tabs", (t) => t.replace(/\n/g, " \t\n")],
      ["non-breaking spaces in numbers", (t) => t.replace(/(\d) (\d{3},\d{2})/g, "$1\u00a0$2")],
      ["upper-case labels", (t) => t.replace("Do zapłaty", "DO ZAPŁATY").replace("Data wystawienia", "DATA WYSTAWIENIA").replace("Nabywca", "NABYWCA")],
      ["stray space before the decimal comma", (t) => t.replace("Do zapłaty: 1 057,80 zł", "Do zapłaty: 1 057 ,80 zł")],
      ["thousands separator read as a dot", (t) => t.replace(/1 057,80/g, "1.057,80")],
      ["blank lines removed", (t) => t.replace(/\n\s*\n/g, "\n")],
    ];
    it.each(variants)("%s", (_name, transform) => {
      const got = values(extractInvoice(transform(base)));
      const comparable = { ...expected } as Record<string, unknown>;
      if (_name.startsWith("no Polish")) {
        comparable.buyerName = "Biuro Rachunkowe Nowak i Wspolnicy Sp. j.";
      }
      expect(got).toEqual(comparable);
    });

    it("O read for 0 in the total and the date", () => {
      const r = extractInvoice(base.replace("Do zapłaty: 1 057,80 zł", "Do zapłaty: 1 O57,8O zł").replace("Data wystawienia: 24.11.2026", "Data wystawienia: 24.11.2O26"));
      expect(r.fields.totalAmount!.value).toBe(105780);
      expect(r.fields.issueDate!.value).toBe("2026-11-24");
      expect(r.review).toEqual([]);
    });

    it("a date broken away from its label", () => {
      const r = extractInvoice(base.replace("Data wystawienia: 24.11.2026", "Data wystawienia:\n24.11.2026"));
      expect(r.fields.issueDate).toMatchObject({ value: "2026-11-24", confidence: 0.8 });
    });

    it("an amount broken away from its label", () => {
      const r = extractInvoice(base.replace("Do zapłaty: 1 057,80 zł", "Do zapłaty:\n1 057,80 zł"));
      expect(r.fields.totalAmount!.value).toBe(105780);
    });
  });

  describe("smaller layouts", () => {
    it.each([
      ["Nr faktury: FV-17/2026\nData wystawienia: 2026-11-24", { number: "FV-17/2026", issueDate: "2026-11-24" }],
      ["Faktura VAT 147/11/2026 z dnia 24.11.2026", { number: "147/11/2026", issueDate: "2026-11-24" }],
      ["FAKTURA VAT NR FV/2026/11/0147 ORYGINAŁ", { number: "FV/2026/11/0147" }],
      ["Faktura nr: A/0001/2026, kopia", { number: "A/0001/2026" }],
      ["FAKTURA\nFV/1/11/2026", { number: "FV/1/11/2026" }],
      ["Data wystawienia i sprzedaży: 24-11-2026", { issueDate: "2026-11-24", saleDate: "2026-11-24" }],
      ["Data wystawienia: 24 XI 2026 r.", { issueDate: "2026-11-24" }],
      ["Data wystawienia: 1 grudnia 2026\nData wykonania usługi: 30 listopada 2026", { issueDate: "2026-12-01", saleDate: "2026-11-30" }],
      ["Data wystawienia Data sprzedaży\n24.11.2026 20.11.2026", { issueDate: "2026-11-24", saleDate: "2026-11-20" }],
      ["Data wystawienia: 24.11.2026\nTermin płatności: 14 dni", { dueDate: "2026-12-08" }],
      ["Płatne do: 2026/12/08", { dueDate: "2026-12-08" }],
      ["Waluta: CHF\nDo zapłaty: 100,00", { currency: "CHF", totalAmount: 10000 }],
      ["Do zapłaty 99,00 €", { currency: "EUR", totalAmount: 9900 }],
      ["Razem do zapłaty: 150,- zł", { totalAmount: 15000 }],
      ["Split payment\nDo zapłaty: 20 000,00 zł", { splitPayment: true }],
      ["Mechanizm podzielonej płatności", { splitPayment: true }],
      ["NIP sprzedawcy: 5261040828\nNIP nabywcy: 7010567893", { sellerNip: "5261040828", buyerNip: "7010567893" }],
      ["Nabywca: Jan Nowak NIP 7010567893\nSprzedawca: ChłodTech Sp. z o.o. NIP 951-234-56-75", { sellerNip: "9512345675", buyerNip: "7010567893", sellerName: "ChłodTech Sp. z o.o.", buyerName: "Jan Nowak" }],
      // A recipient ("Odbiorca") block's NIP is not the buyer's.
      ["Nabywca:\nGmina Warszawa\nNIP 5252248481\nOdbiorca:\nSzkoła Podstawowa nr 1\nNIP 1132456789", { buyerNip: "5252248481", buyerName: "Gmina Warszawa" }],
      ["Słownie: sto dwadzieścia trzy złote 45/100\nDo zapłaty: 123,45 zł", { totalAmount: 12345 }],
      ["Słownie: sto dwadzieścia trzy złote 45/100", { totalAmount: 12345 }],
    ])("%j", (text, expected) => {
      const got = values(extractInvoice(text));
      expect(got).toMatchObject(expected);
    });

    it("flags a total that disagrees with its amount in words", () => {
      const r = extractInvoice("Do zapłaty: 1 230,00 zł\nSłownie: tysiąc dwieście osiemdziesiąt złotych 00/100");
      expect(codes(r)).toContain("totalAmount:total_words_mismatch");
      expect(r.fields.totalAmount!.value).toBe(123000);
      expect(r.fields.totalAmount!.confidence).toBeLessThanOrEqual(0.5);
    });

    it("guesses seller and buyer by order only without headings, and says so", () => {
      const r = extractInvoice("Faktura nr 1/2026\nNIP 5261040828\nNIP 7010567893\nDo zapłaty 100,00 zł");
      expect(r.fields.sellerNip!.value).toBe("5261040828");
      expect(r.fields.buyerNip!.value).toBe("7010567893");
      expect(r.fields.sellerNip!.confidence).toBeLessThan(0.5);
      expect(codes(r)).toContain("sellerNip:party_guess");
    });

    it("flags one unlabelled NIP under side-by-side headings as a guess", () => {
      const r = extractInvoice("Sprzedawca: Nabywca:\nNIP 5261040828");
      expect(r.fields.sellerNip!.value).toBe("5261040828");
      expect(codes(r)).toContain("sellerNip:party_guess");
    });

    it("flags the same NIP for seller and buyer, and a due date before the issue date", () => {
      const r = extractInvoice("Data wystawienia: 24.11.2026\nTermin płatności: 20.11.2026\nNIP sprzedawcy: 5261040828\nNIP nabywcy: 526-104-08-28");
      expect(codes(r)).toEqual(expect.arrayContaining(["buyerNip:same_nip", "dueDate:due_before_issue"]));
    });

    it("flags a VAT amount that does not fit its rate", () => {
      const r = extractInvoice("Stawka Netto VAT Brutto\n23% 1 000,00 80,00 1 080,00\nDo zapłaty 1 080,00 zł");
      expect(r.fields.rates[0].rate).toBe("23");
      expect(codes(r)).toContain("rates.23:rate_vat_mismatch");
    });

    it("recognises net/gross/VAT columns in another order by how they add up", () => {
      const r = extractInvoice("Wartość netto Stawka Wartość brutto Kwota VAT\n1 000,00 23% 1 230,00 230,00");
      expect(values(r).rates).toEqual(["23: 100000/23000/123000"]);
    });

    it("reads rate rows with only net and VAT, computing gross", () => {
      const r = extractInvoice("w tym 8% 500,00 40,00\nDo zapłaty 540,00");
      expect(r.fields.rates[0]).toMatchObject({ rate: "8", net: { value: 50000 }, vat: { value: 4000 }, gross: { value: 54000, source: { kind: "computed" } } });
      expect(r.review.filter((x) => x.code !== "missing")).toEqual([]);
    });

    it("reports conflicting rows for the same rate and takes the later one", () => {
      const r = extractInvoice("23% 100,00 23,00 123,00\nPodsumowanie\n23% 200,00 46,00 246,00");
      expect(values(r).rates).toEqual(["23: 20000/4600/24600"]);
      expect(codes(r)).toContain("rates.23:rate_conflict");
    });
  });

  it.each([
    ["empty", ""],
    ["whitespace", "  \n\n\t "],
    ["binary noise", "\u0000\u0001\u00ff\ufffd%PDF-1.4 ÿØÿà"],
    ["random words", "Lorem ipsum dolor sit amet 12 34 56 faktura? nr nr nr : : 2026"],
    ["a receipt", "PARAGON FISKALNY\nPTU A 23,00 %\nSUMA PLN 12,30"],
    ["huge line", "1 ".repeat(20000)],
    ["labels without values", "Faktura VAT nr\nData wystawienia:\nSprzedawca:\nNabywca:\nDo zapłaty:\nTermin płatności:"],
  ])("never throws on garbage (%s) and lists required fields as missing", (_name, text) => {
    const r = extractInvoice(text);
    expect(r.source).toBe("ocr");
    expect(codes(r)).toEqual(expect.arrayContaining(["number:missing", "issueDate:missing", "sellerNip:missing"]));
  });

  it("never throws on non-string input", () => {
    for (const v of [null, undefined, 42, {}, []]) expect(() => extractInvoice(v as unknown as string)).not.toThrow();
  });

  it("never throws on random text made of invoice fragments", () => {
    const parts = ["Faktura", "nr", "FV/1/2026", "NIP", "526-104-08-28", "23%", "zw", "1 000,00", "230,00", "Razem", "Do zapłaty", "\n", "Sprzedawca:", "Nabywca:", "24.11.2026", "listopada", "Słownie", "sto", "/100", "61 1090 1014", "0000 0712 1981 2874", "O", "l"];
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 300; n++) {
      let text = "";
      for (let i = 0; i < 60; i++) text += parts[Math.floor(rnd() * parts.length)] + (rnd() < 0.7 ? " " : "");
      const r = extractInvoice(text);
      for (const f of Object.values(r.fields)) {
        if (f && !Array.isArray(f)) expect((f as FieldReading<unknown>).confidence).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe("findDates / parsePolishDate", () => {
  it.each([
    ["2026-11-24", "2026-11-24"],
    ["24.11.2026", "2026-11-24"],
    ["24-11-2026", "2026-11-24"],
    ["24/11/2026", "2026-11-24"],
    ["4.1.2027", "2027-01-04"],
    ["24. 11. 2026", "2026-11-24"],
    ["2026.11.24", "2026-11-24"],
    ["24 listopada 2026", "2026-11-24"],
    ["24 listopad 2026", "2026-11-24"],
    ["1 stycznia 2027 r.", "2027-01-01"],
    ["28 lutego 2026", "2026-02-28"],
    ["3 maja 2026", "2026-05-03"],
    ["15 sierpnia 2026", "2026-08-15"],
    ["11 października 2026", "2026-10-11"],
    ["11 pazdziernika 2026", "2026-10-11"],
    ["24 XI 2026", "2026-11-24"],
    ["24.XII.2026", "2026-12-24"],
    ["1 IX 2026", "2026-09-01"],
    ["2O26-11-24", "2026-11-24"],
    ["24.1l.2026", "2026-11-24"],
    ["Warszawa, dnia 24.11.2026 r.", "2026-11-24"],
    ["31.02.2026", null],
    ["29.02.2027", null],
    ["29.02.2028", "2028-02-29"],
    ["24.13.2026", null],
    ["24.11.1850", null],
    ["1 234,56", null],
    ["FV/2026/11/0147", null],
    ["5261040828", null],
    ["", null],
  ])("%s -> %s", (text, iso) => {
    expect(parsePolishDate(text)).toBe(iso);
  });

  it("finds several dates in a line with their offsets", () => {
    const line = "Data wystawienia: 24.11.2026 Data sprzedaży: 20 listopada 2026";
    const found = findDates(line);
    expect(found.map((d) => d.iso)).toEqual(["2026-11-24", "2026-11-20"]);
    expect(line.slice(found[1].start, found[1].end)).toBe("20 listopada 2026");
  });

  it("adds days across months and years", () => {
    expect(addDays("2026-11-24", 14)).toBe("2026-12-08");
    expect(addDays("2026-12-25", 14)).toBe("2027-01-08");
    expect(addDays("2028-02-15", 14)).toBe("2028-02-29");
  });
});

describe("amounts in words", () => {
  it.each([
    ["jeden", 1],
    ["dwanaście", 12],
    ["sto dwadzieścia trzy", 123],
    ["tysiąc", 1000],
    ["jeden tysiąc pięćdziesiąt siedem", 1057],
    ["dwa tysiące dziewięćset pięćdziesiąt dwa", 2952],
    ["czternaście tysięcy sto sześćdziesiąt cztery", 14164],
    ["pięćset tysięcy", 500000],
    ["milion dwieście tysięcy", 1200000],
    ["dwa miliony trzysta", 2000300],
    ["zero", 0],
    ["sto pięćdziesiont", null],
    ["", null],
  ])("%s = %s", (text, n) => {
    expect(parsePolishNumberWords(text)).toBe(n);
  });

  it.each([
    ["Słownie: jeden tysiąc pięćdziesiąt siedem złotych 80/100", 105780],
    ["Słownie złotych: czternaście tysięcy sto sześćdziesiąt cztery 20/100", 1416420],
    ["słownie: sto zł 00/100", 10000],
    ["Słownie: dwieście złotych i pięćdziesiąt groszy", 20050],
    ["Słownie: dwieście złotych piętnaście gr", 20015],
    ["Słownie: tysiąc dwieście trzydzieści PLN 45/100", 123045],
    ["Słownie: tysiąc euro 00/100", 100000],
    ["Słownie: bla bla", null],
  ])("%s -> %s", (text, grosze) => {
    expect(parseAmountInWords(text)).toBe(grosze);
  });
});

describe("crossCheck (shared with KSeF)", () => {
  const f = (value: number) => ({ value, confidence: 0.9, source: { kind: "ocr" as const } });
  const base = (): InvoiceFields => ({
    ...emptyInvoiceFields(),
    rates: [
      { rate: "23", net: f(100000), vat: f(23000), gross: f(123000) },
      { rate: "zw", net: f(5000), vat: f(0), gross: f(5000) },
    ],
    totalAmount: f(128000),
  });

  it("passes consistent fields and raises their confidence", () => {
    const fields = base();
    expect(crossCheck(fields)).toEqual([]);
    expect(fields.totalAmount!.confidence).toBe(0.97);
  });

  it.each<[string, (x: InvoiceFields) => void, string[]]>([
    ["gross off by a grosz", (x) => (x.rates[0].gross!.value = 123001), ["rates.23:rate_sum_mismatch", "totalAmount:total_mismatch"]],
    ["VAT on an exempt rate", (x) => ((x.rates[1].vat!.value = 100), (x.rates[1].gross!.value = 5100)), ["rates.zw:rate_vat_mismatch", "totalAmount:total_mismatch"]],
    ["net total disagrees", (x) => (x.netTotal = f(100000)), ["netTotal:totals_mismatch"]],
    ["paid part subtracted", (x) => ((x.paidAmount = f(28000)), (x.totalAmount!.value = 100000)), []],
    ["VAT rounding within tolerance", (x) => ((x.rates[0].vat!.value = 23002), (x.rates[0].gross!.value = 123002), (x.totalAmount!.value = 128002)), []],
    ["bad NIP and account", (x) => ((x.sellerNip = { ...f(0), value: "5261040829" }), (x.bankAccount = { ...f(0), value: "61109010140000071219812875" })), ["sellerNip:nip_checksum", "bankAccount:nrb_checksum"]],
  ])("%s", (_name, mutate, expected) => {
    const fields = base();
    mutate(fields);
    expect(crossCheck(fields).map((r) => `${r.field}:${r.code}`)).toEqual(expected);
  });

  it("lists missing required fields only when asked", () => {
    expect(crossCheck(emptyInvoiceFields())).toEqual([]);
    expect(crossCheck(emptyInvoiceFields(), { requireFields: true }).map((r) => r.field)).toEqual(["number", "issueDate", "sellerNip", "totalAmount"]);
  });
});

describe("foldKeepLength", () => {
  it("folds Polish letters and keeps offsets", () => {
    const s = "Data Sprzedaży: ŻÓŁW";
    expect(foldKeepLength(s)).toBe("data sprzedazy: zolw");
    expect(foldKeepLength("İstanbul").length).toBe("İstanbul".length);
  });
});

describe("extractInvoice on what tesseract makes of rendered pages", () => {
  const body = "Sprzedawca:\nKlimat-Serwis Sp. z o.o.\nNIP: 526-104-08-28\nDo zapłaty: 1 057,80 zł";
  it.each<[string, string, Partial<Record<"number" | "issueDate" | "kind", string>>]>([
    ["a bold title split inside the word", `FAKTU RA VAT\nNr: 0412/11/2026\n${body}`, { kind: "VAT", number: "0412/11/2026" }],
    ["place and date joined to the title", `FAKTURA VAT Warszawa, dnia 24 listopada 2026 r.\nNr: 0412/11/2026\n${body}`, { number: "0412/11/2026", issueDate: "2026-11-24" }],
    ["both at once", `FAKTU RA VAT Warszawa, 24.11.2026\nNr: 0412/11/2026\n${body}`, { number: "0412/11/2026", issueDate: "2026-11-24" }],
    ["the title's place-date is not a street", `FAKTURA VAT Puławska 145, 02-715 Warszawa\nNr: 1/2026\n${body}`, { number: "1/2026" }],
  ])("%s", (_name, text, expected) => {
    const r = extractInvoice(text);
    for (const [key, value] of Object.entries(expected)) expect(r.fields[key as "number"]?.value, key).toBe(value);
    if (!expected.issueDate) expect(r.fields.issueDate).toBeNull();
  });

  it("labels whose ł was read as t", () => {
    const r = extractInvoice(
      `Faktura VAT FS-2026/12/01204\nSprzedawca:\nKlima-Hurt Sp. z o.o.\nNIP PL5241102207\nStawka Netto VAT Brutto\n23% 7 294,00 1 677,62 8 971,62\nZaptacono: 0,00 zt\nPozostato do zaptaty: 8 971,62 zt\nMechanizm podzielonej ptatnosci`,
    );
    expect(r.fields.totalAmount?.value).toBe(897162);
    expect(r.fields.currency?.value).toBe("PLN");
    expect(r.fields.splitPayment?.value).toBe(true);
    expect(r.review.map((x) => `${x.field}:${x.code}`)).toEqual(["issueDate:missing"]);
  });

  it.each([
    ["Serwis Pingwin Sp. z 0.0.", "Serwis Pingwin Sp. z o.o."],
    ["Frigo Sp. z o.0.", "Frigo Sp. z o.o."],
    ["Wentex Serwis Sp. Z o.o.", "Wentex Serwis Sp. z o.o."],
    ["KLIMAT SP. Z O.O.", "KLIMAT SP. Z O.O."],
  ])("company form read with zeros or a capital z: %s", (read, name) => {
    expect(extractInvoice(`Faktura nr 1/2026\nSprzedawca:\n${read}\nNIP: 526-104-08-28`).fields.sellerName?.value).toBe(name);
  });

  it("splits side-by-side names at a company form read with zeros", () => {
    const r = extractInvoice("FAKTURA VAT NR 2026/11/58\nSprzedawca: Nabywca:\nSerwis Pingwin Sp. z 0.0. Kancelaria Lis Sp. p.\nNIP: 725-100-20-00 NIP: 701-200-30-02");
    expect([r.fields.sellerName?.value, r.fields.buyerName?.value]).toEqual(["Serwis Pingwin Sp. z o.o.", "Kancelaria Lis Sp. p."]);
  });
});
