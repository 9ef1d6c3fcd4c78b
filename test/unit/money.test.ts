import { describe, expect, it } from "vitest";
import {
  currencyCode,
  findAmounts,
  formatAmount,
  formatDecimal,
  fromMajorUnits,
  parseAmount,
  parseScaledDecimal,
  percentOf,
  repairOcrDigits,
  sumGrosze,
  toMajorUnits,
} from "../../src/domain/money";

const NBSP = "\u00a0";

describe("parseAmount", () => {
  it.each([
    // [text, grosze, currency, repaired]
    ["1 234,56 zł", 123456, "PLN", false],
    ["1.234,56 PLN", 123456, "PLN", false],
    ["1234.56", 123456, null, false],
    ["1234,56", 123456, null, false],
    ["1 234,56", 123456, null, false],
    [`1${NBSP}234,56${NBSP}zł`, 123456, "PLN", false],
    ["1\u202f234,56 zł", 123456, "PLN", false],
    ["1\u2009234,56", 123456, null, false],
    ["-12,00", -1200, null, false],
    ["\u221212,00 zł", -1200, "PLN", false],
    ["- 12,00", -1200, null, false],
    ["0,00", 0, null, false],
    ["-0,00", 0, null, false],
    ["12,5", 1250, null, false],
    ["12", 1200, null, false],
    ["150,- zł", 15000, "PLN", false],
    ["150,-- zł", 15000, "PLN", false],
    ["PLN 1 230,00", 123000, "PLN", false],
    ["zł 99,90", 9990, "PLN", false],
    ["99,90 EUR", 9990, "EUR", false],
    ["€ 1.000,00", 100000, "EUR", false],
    ["1,000.50 USD", 100050, "USD", false],
    ["$12.99", 1299, "USD", false],
    ["12,99 zl", 1299, "PLN", false],
    ["12,99 zt", 1299, "PLN", false],
    ["12,99 złotych", 1299, "PLN", false],
    ["12,99 CHF", 1299, "CHF", false],
    ["1 000 000,01", 100000001, null, false],
    ["1.000.000,01", 100000001, null, false],
    ["1,000,000.01", 100000001, null, false],
    ["1'234.50 CHF", 123450, "CHF", false],
    // OCR noise: letters for digits, stray spaces, odd grouping
    ["1 O00,0O zł", 100000, "PLN", true],
    ["l 230,00", 123000, null, true],
    ["1 234 ,56", 123456, null, false],
    ["1234, 56", 123456, null, false],
    ["12 34,56", 123456, null, true],
    ["1,234,56", 123456, null, false],
    ["1234 567,00", 123456700, null, true],
    // a lone separator before three digits is a thousands separator, but a guess
    ["1.234", 123400, null, true],
    ["1,234", 123400, null, true],
    ["1.234.567", 123456700, null, false],
    ["12,345", 1234500, null, true],
  ])("%s -> %d %s", (text, grosze, currency, repaired) => {
    expect(parseAmount(text)).toEqual({ grosze, currency, repaired });
  });

  it.each([
    "",
    "   ",
    "zł",
    "abc",
    "0,0125", // unit prices with four decimals do not fit in grosze
    "1.234,567",
    "12,34,5",
    "1,2.3",
    "12 zł EUR",
    "--12,00",
    "12,00-",
    "9999999999999999,00",
    "FV/2026/11",
    "24.11.2026",
  ])("%j is not an amount", (text) => {
    expect(parseAmount(text)).toBeNull();
  });

  it("never returns a fractional number of grosze", () => {
    for (const t of ["0,01", "0,1", "1,10", "1,005".slice(0, 4), "19,99", "100,07", "0,29", "1,15", "4,35"]) {
      const p = parseAmount(t);
      expect(p).not.toBeNull();
      expect(Number.isInteger(p!.grosze)).toBe(true);
    }
    expect(parseAmount("0,29")!.grosze).toBe(29);
    expect(parseAmount("1,15")!.grosze).toBe(115);
    expect(parseAmount("4,35")!.grosze).toBe(435); // 4.35 * 100 = 434.99999999999994 in floats
  });

  it("does not throw on garbage", () => {
    for (const v of [null, undefined, 12, {}, "\u0000", "%%%", "1e5", "Infinity", "NaN"]) {
      expect(() => parseAmount(v as unknown as string)).not.toThrow();
    }
    expect(parseAmount("1e5")).toBeNull();
  });
});

describe("findAmounts", () => {
  const amounts = (line: string) => findAmounts(line).map((a) => a.grosze);

  it.each([
    ["23% 1 000,00 230,00 1 230,00", [100000, 23000, 123000]],
    ["Razem: 1 600,00 270,00 1 870,00", [160000, 27000, 187000]],
    ["Do zapłaty: 1 870,00 zł", [187000]],
    ["Do zapłaty: 1 870 zł", [187000]],
    ["Do zapłaty 1.870,00 PLN", [187000]],
    ["zw 100,00 - 100,00", [10000, 10000]],
    ["zw 100,00 – 100,00", [10000, 10000]],
    ["1 Przegląd klimatyzatora 2 szt. 250,00 500,00 23% 115,00 615,00", [25000, 50000, 11500, 61500]],
    ["Data wystawienia: 24.11.2026 Termin: 2026-12-08", []],
    ["NIP: 526-104-08-28 tel. 22 123 45 67", []],
    ["Nr konta: 61 1090 1014 0000 0712 1981 2874", []],
    ["02-715 Warszawa, ul. Puławska 145", []],
    ["Stawka 23% 8% 5% 0%", []],
    ["Rabat 5,00 %", []],
    ["Korekta: -1 230,00 zł", [-123000]],
    ["1,000.50 USD", [100050]],
    ["Wartość netto 1 0O0,00 VAT 23O,00", [100000, 23000]],
    ["Razem 1 234 ,56", [123456]],
    ["Kwota 150,- zł", [15000]],
    ["FV/2026/11/0147", []],
    ["", []],
  ])("%s", (line, expected) => {
    expect(amounts(line)).toEqual(expected);
  });

  it("gives positions, the matched text, currency and whether OCR repairs were needed", () => {
    const line = "Razem do zapłaty: 1 23O,00 zł, zapłacono 0,00 zł";
    const found = findAmounts(line);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatchObject({ grosze: 123000, currency: "PLN", repaired: true, text: "1 230,00 zł" });
    expect(line.slice(found[0].start, found[0].end)).toBe("1 23O,00 zł");
    expect(found[1]).toMatchObject({ grosze: 0, currency: "PLN", repaired: false });
  });
});

describe("repairOcrDigits", () => {
  it.each([
    ["2O26", "2026"],
    ["1 O00,0O", "1 000,00"],
    ["l0,00", "10,00"],
    ["Ilość 2", "Ilość 2"],
    ["Oddział 12", "Oddział 12"],
    ["FOLIO", "FOLIO"],
    ["Io1", "Io1"],
    ["t CO2 eq", "t CO2 eq"],
    ["O2", "O2"],
    ["1O", "10"],
  ])("%s -> %s", (input, expected) => {
    expect(repairOcrDigits(input)).toBe(expected);
  });
});

describe("formatAmount", () => {
  it.each([
    [123456, "PLN", {}, `1${NBSP}234,56${NBSP}zł`],
    [123456, "PLN", { space: " " }, "1 234,56 zł"],
    [123456, "PLN", { space: " ", code: true }, "1 234,56 PLN"],
    [-1200, "PLN", { space: " " }, "-12,00 zł"],
    [5, "PLN", { space: " " }, "0,05 zł"],
    [0, "PLN", { space: " " }, "0,00 zł"],
    [9990, "EUR", { space: " " }, "99,90 EUR"],
    [100000001, null, { space: " " }, "1 000 000,01"],
    [99999, null, { space: " " }, "999,99"],
    [100000, null, { space: " " }, "1 000,00"],
  ] as const)("%d %s -> %s", (grosze, currency, options, expected) => {
    expect(formatAmount(grosze, currency, options)).toBe(expected);
  });

  it("round-trips through parseAmount", () => {
    for (const g of [0, 1, 99, 100, 12345, -12345, 100000, 123456789, 9007199254740]) {
      expect(parseAmount(formatAmount(g))).toEqual({ grosze: g, currency: "PLN", repaired: false });
      expect(parseAmount(formatDecimal(g))).toEqual({ grosze: g, currency: null, repaired: false });
    }
  });

  it("refuses non-integer grosze instead of printing a wrong amount", () => {
    expect(() => formatAmount(12.5)).toThrow(RangeError);
  });
});

describe("integer money helpers", () => {
  it.each([
    [100000, 23, 23000],
    [1005, 23, 231], // 231.15
    [50, 23, 12], // 11.5 -> 12 (half up)
    [-50, 23, -12],
    [250, 8, 20],
    [1, 5, 0],
    [10, 5, 1], // 0.5 -> 1
    [0, 23, 0],
  ])("percentOf(%d, %d) = %d", (grosze, pct, expected) => {
    expect(percentOf(grosze, pct)).toBe(expected);
  });

  it("sums grosze exactly and refuses floats", () => {
    expect(sumGrosze([10, 20])).toBe(30);
    expect(sumGrosze([])).toBe(0);
    expect(sumGrosze([0.1, 0.2])).toBeNull();
    expect(sumGrosze([Number.MAX_SAFE_INTEGER, 1])).toBeNull();
  });

  it("converts to and from the stored major-unit number", () => {
    expect(toMajorUnits(123456)).toBe(1234.56);
    expect(fromMajorUnits(1234.56)).toBe(123456);
    expect(fromMajorUnits(0.1 + 0.2)).toBe(30);
    expect(fromMajorUnits(-12)).toBe(-1200);
    expect(fromMajorUnits(NaN)).toBeNull();
  });

  it.each([
    ["1,05", 3, 1050],
    ["2.4", 3, 2400],
    ["0,85", 3, 850],
    ["12", 3, 12000],
    ["1,0505", 3, null],
    ["-1,5", 1, -15],
    ["1 234,5", 1, 12345],
    ["abc", 3, null],
    ["", 3, null],
  ])("parseScaledDecimal(%s, %d) = %s", (text, decimals, expected) => {
    expect(parseScaledDecimal(text, decimals)).toBe(expected);
  });

  it.each([
    ["zł", "PLN"],
    ["PLN", "PLN"],
    ["pln.", "PLN"],
    ["€", "EUR"],
    ["Euro", "EUR"],
    ["xyz", null],
  ])("currencyCode(%s) = %s", (token, code) => {
    expect(currencyCode(token)).toBe(code);
  });
});
