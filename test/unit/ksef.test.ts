import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractInvoice, type FieldReading, type InvoiceReading } from "../../src/domain/invoice";
import { KSEF_NAMESPACES, looksLikeKsef, readKsef, type KsefReading } from "../../src/domain/ksef";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/ksef/${name}`, import.meta.url), "utf8");

function values(r: InvoiceReading): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(r.fields)) {
    if (key === "rates") out.rates = r.fields.rates.map((x) => `${x.rate}: ${x.net?.value}/${x.vat?.value}/${x.gross?.value}`);
    else out[key] = f === null ? null : (f as FieldReading<unknown>).value;
  }
  return out;
}

function read(name: string): KsefReading {
  const r = readKsef(fixture(name));
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.invoice;
}

describe("readKsef on FA(2) and FA(3) invoices", () => {
  it.each([
    [
      "fa2-klimat-serwis.xml",
      "FA(2)",
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
        netTotal: null,
        vatTotal: null,
        grossTotal: null,
        paidAmount: null,
        totalAmount: 105780,
        bankAccount: "61109010140000071219812874",
        splitPayment: false,
      },
      [],
    ],
    [
      "fa2-prefixed-eur-mpp.xml",
      "FA(2)",
      {
        kind: "VAT",
        number: "15/11/2026",
        issueDate: "2026-11-26",
        saleDate: "2026-11-25",
        dueDate: "2026-12-10",
        sellerName: "Kool-Parts Sp. z o.o.",
        sellerNip: "5342210453",
        buyerName: "Klimat-Serwis Sp. z o.o.",
        buyerNip: "5261040828",
        currency: "EUR",
        rates: ["23: 100000/23000/123000", "8: 50000/4000/54000", "0: 15000/0/15000", "zw: 20000/0/20000"],
        netTotal: null,
        vatTotal: null,
        grossTotal: null,
        paidAmount: 62000,
        totalAmount: 212000,
        bankAccount: "72249000050000460012345678",
        splitPayment: true,
      },
      [],
    ],
    [
      "fa3-frigo-pol.xml",
      "FA(3)",
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
        netTotal: null,
        vatTotal: null,
        grossTotal: null,
        paidAmount: null,
        totalAmount: 240687,
        bankAccount: "24124010370000111122223333",
        splitPayment: false,
      },
      [],
    ],
    [
      "fa3-correction-consumer.xml",
      "FA(3)",
      {
        kind: "KOR",
        number: "KOR/2026/11/003",
        issueDate: "2026-11-28",
        saleDate: "2026-11-28",
        dueDate: null,
        sellerName: "Klimat-Serwis Sp. z o.o.",
        sellerNip: "5261040828",
        buyerName: "Jan Kowalski",
        buyerNip: null,
        currency: "PLN",
        rates: ["23: -10000/-2300/-12300", "8: -5000/-400/-5400"],
        netTotal: null,
        vatTotal: null,
        grossTotal: null,
        paidAmount: -17700,
        totalAmount: -17700,
        bankAccount: null,
        splitPayment: false,
      },
      [],
    ],
    [
      "fa2-inconsistent.xml",
      "FA(2)",
      {
        kind: "VAT",
        number: "FV 112/2026",
        issueDate: "2026-12-01",
        saleDate: "2026-11-30",
        dueDate: null,
        sellerName: "Instalacje Chłodnicze Marek Wiśniewski",
        sellerNip: "1187654327",
        buyerName: "Wspólnota Mieszkaniowa Żoliborz 12",
        buyerNip: "1132456789",
        currency: "PLN",
        rates: ["23: 240000/55200/295200"],
        netTotal: null,
        vatTotal: null,
        grossTotal: null,
        paidAmount: null,
        totalAmount: 292500,
        bankAccount: null,
        splitPayment: false,
      },
      ["totalAmount:total_mismatch", "sellerNip:nip_checksum"],
    ],
  ])("%s (%s)", (file, variant, expected, review) => {
    const r = read(file);
    expect(r.source).toBe("ksef");
    expect(r.variant).toBe(variant);
    expect(values(r)).toEqual(expected);
    expect(r.review.map((x) => `${x.field}:${x.code}`)).toEqual(review);
  });

  it("gives exact values confidence 1 and the element path they came from", () => {
    const f = read("fa2-klimat-serwis.xml").fields;
    expect(f.number).toEqual({ value: "FV/2026/11/0147", confidence: 1, source: { kind: "ksef", path: "Fa/P_2" } });
    expect(f.totalAmount!.source.path).toBe("Fa/P_15");
    expect(f.rates[0].net!.source.path).toBe("Fa/P_13_1");
    expect(f.rates[0].vat!.source.path).toBe("Fa/P_14_1");
    expect(f.rates[0].gross).toMatchObject({ confidence: 1, source: { kind: "computed", text: "Fa/P_13_1 + Fa/P_14_1" } });
    expect(f.sellerNip!.source.path).toBe("Podmiot1/DaneIdentyfikacyjne/NIP");
    expect(f.bankAccount!.source.path).toBe("Fa/Platnosc/RachunekBankowy/NrRB");
    expect(f.splitPayment!.source.path).toBe("Fa/Adnotacje/P_18A");
  });

  it("keeps VAT in PLN of a foreign-currency invoice apart, and takes the Polish account and first instalment", () => {
    const r = read("fa2-prefixed-eur-mpp.xml");
    expect(r.vatInPln).toEqual({ "23": 97778, "8": 17005 });
    expect(r.fields.bankAccount!.source.path).toBe("Fa/Platnosc/RachunekBankowy[2]/NrRB");
    expect(r.fields.dueDate!.source.path).toBe("Fa/Platnosc/TerminPlatnosci[1]/Termin");
    expect(r.fields.rates.find((x) => x.rate === "0")!.net!.source).toEqual({ kind: "computed", text: "Fa/P_13_6_1 + Fa/P_13_6_3" });
  });

  it("derives the sale date from P_1 when P_6 is absent, and says so", () => {
    const f = read("fa3-correction-consumer.xml").fields;
    expect(f.saleDate!.source.kind).toBe("computed");
    expect(f.saleDate!.source.text).toContain("P_1");
  });

  it("agrees with the OCR reading of the same invoice", () => {
    const ksef = values(read("fa2-klimat-serwis.xml"));
    const ocr = values(extractInvoice(readFileSync(new URL("../fixtures/invoices/a-stacked-23.txt", import.meta.url), "utf8")));
    for (const key of ["number", "issueDate", "saleDate", "dueDate", "sellerName", "sellerNip", "buyerName", "buyerNip", "currency", "rates", "totalAmount", "bankAccount"]) {
      expect([key, ocr[key]]).toEqual([key, ksef[key]]);
    }
  });
});

describe("readKsef errors", () => {
  const base = fixture("fa2-klimat-serwis.xml");

  it.each([
    ["malformed XML", base.replace("</P_2>", "</P_3>"), "malformed_xml", /End tag <\/P_3> does not match <P_2> \(line 40, column \d+\)/],
    ["truncated file", base.slice(0, 1500), "malformed_xml", /never closed/],
    ["not XML at all", "%PDF-1.7\n...", "malformed_xml", /Text before the root element/],
    ["another document", '<?xml version="1.0"?><Deklaracja xmlns="http://crd.gov.pl/wzor/2023/06/29/12648/"/>', "not_ksef", /root element is <Deklaracja>/],
    ["unknown namespace", base.replace("http://crd.gov.pl/wzor/2023/06/29/12648/", "http://crd.gov.pl/wzor/2021/11/29/11089/"), "unsupported_variant", /namespace "http:\/\/crd\.gov\.pl\/wzor\/2021\/11\/29\/11089\/"/],
    ["header disagrees with namespace", base.replace('kodSystemowy="FA (2)"', 'kodSystemowy="FA (3)"'), "unsupported_variant", /does not match the FA\(2\) namespace/],
    ["missing P_15", base.replace(/<P_15>.*<\/P_15>/, ""), "missing_element", /Fa\/P_15 is missing/],
    ["missing P_2", base.replace(/<P_2>.*<\/P_2>/, ""), "missing_element", /Fa\/P_2 is missing/],
    ["amount with a comma", base.replace("<P_15>1057.80</P_15>", "<P_15>1057,80</P_15>"), "invalid_value", /Fa\/P_15 is not an amount: "1057,80"/],
    ["amount with three decimals", base.replace("<P_13_1>860.00</P_13_1>", "<P_13_1>860.005</P_13_1>"), "invalid_value", /Fa\/P_13_1/],
    ["bad date", base.replace("<P_1>2026-11-24</P_1>", "<P_1>24.11.2026</P_1>"), "invalid_value", /Fa\/P_1 is not a date/],
    ["impossible date", base.replace("<P_6>2026-11-20</P_6>", "<P_6>2026-02-30</P_6>"), "invalid_value", /Fa\/P_6/],
    ["short NIP", base.replace("<NIP>5261040828</NIP>", "<NIP>526104082</NIP>"), "invalid_value", /Podmiot1\/DaneIdentyfikacyjne\/NIP is not 10 digits/],
    ["bad P_18A", base.replace("<P_18A>2</P_18A>", "<P_18A>tak</P_18A>"), "invalid_value", /P_18A must be 1 or 2/],
    ["unknown kind", base.replace("<RodzajFaktury>VAT</RodzajFaktury>", "<RodzajFaktury>XYZ</RodzajFaktury>"), "invalid_value", /RodzajFaktury/],
    ["lower-case currency", base.replace("<KodWaluty>PLN</KodWaluty>", "<KodWaluty>pln</KodWaluty>"), "invalid_value", /KodWaluty/],
  ])("%s", (_name, xml, code, message) => {
    const r = readKsef(xml);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.message).toMatch(message);
  });

  it("reports the XML position of a syntax error", () => {
    const r = readKsef(base.replace("</P_2>", "</P_3>"));
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.error.line, r.error.code]).toEqual([40, "malformed_xml"]);
  });

  it("never throws", () => {
    for (const v of [null, undefined, 1, "", "<", "<Faktura/>", `<Faktura xmlns="${KSEF_NAMESPACES["FA(3)"]}"/>`]) {
      expect(() => readKsef(v as unknown as string)).not.toThrow();
      expect(readKsef(v as unknown as string).ok).toBe(false);
    }
  });
});

describe("looksLikeKsef", () => {
  it.each([
    [fixture("fa2-klimat-serwis.xml"), true],
    [fixture("fa2-prefixed-eur-mpp.xml"), true],
    [fixture("fa3-frigo-pol.xml"), true],
    ["<Faktura>", false],
    ["FAKTURA VAT nr 1/2026", false],
    ["", false],
  ])("%#", (text, expected) => {
    expect(looksLikeKsef(text)).toBe(expected);
  });
});
