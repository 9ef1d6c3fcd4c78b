import { describe, expect, it } from "vitest";
import {
  bankSettlementNumber,
  checkNrb,
  completeNrb,
  findNrbs,
  formatIban,
  formatNrb,
  isValidNrb,
  mod97,
  normalizeNrb,
  nrbCheckDigits,
} from "../../src/domain/nrb";

/** Independent oracle: the IBAN rule written with BigInt. */
function ibanValid(nrb: string): boolean {
  return BigInt(nrb.slice(2) + "2521" + nrb.slice(0, 2)) % 97n === 1n;
}

// Valid accounts (check digits computed for these bank settlement numbers).
const SANTANDER = "61109010140000071219812874";
const PKO = "60102010260000042270201111";
const MBANK = "96114020040000330200123456";
const PEKAO = "24124010370000111122223333";

describe("checkNrb", () => {
  it.each([
    [SANTANDER, null],
    ["61 1090 1014 0000 0712 1981 2874", null],
    ["PL61 1090 1014 0000 0712 1981 2874", null],
    ["PL61109010140000071219812874", null],
    ["pl 61 1090 1014 0000 0712 1981 2874", null],
    ["IBAN: PL61 1090 1014 0000 0712 1981 2874", null],
    ["61-1090-1014-0000-0712-1981-2874", null],
    ["61\u00a01090\u00a01014\u00a00000\u00a00712\u00a01981\u00a02874", null],
    [PKO, null],
    [MBANK, null],
    [PEKAO, null],
    ["62109010140000071219812874", "checksum"], // check digits off by one
    ["61109010140000071219812784", "checksum"], // two digits swapped
    ["61109010140000071219812875", "checksum"],
    ["6110901014000007121981287", "format"], // 25 digits
    ["611090101400000712198128741", "format"], // 27 digits
    ["DE89370400440532013000", "format"],
    ["61 1090 1014 OOOO 0712 1981 2874", "format"], // letters are not repaired here
    ["", "format"],
  ])("%s -> %s", (input, problem) => {
    expect(checkNrb(input)).toBe(problem);
    expect(isValidNrb(input)).toBe(problem === null);
  });

  it("agrees with a BigInt implementation of ISO 7064 MOD 97-10 on many numbers", () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let n = 0; n < 500; n++) {
      let digits = "";
      for (let i = 0; i < 26; i++) digits += String(rnd() % 10);
      expect(isValidNrb(digits)).toBe(ibanValid(digits));
      const completed = completeNrb(digits.slice(2))!;
      expect(ibanValid(completed)).toBe(true);
      expect(isValidNrb(completed)).toBe(true);
    }
  });

  it("computes the remainder of long numbers without losing precision", () => {
    expect(mod97("0")).toBe(0);
    expect(mod97("97")).toBe(0);
    expect(mod97("98")).toBe(1);
    const big = "123456789012345678901234567890";
    expect(mod97(big)).toBe(Number(BigInt(big) % 97n));
  });

  it("completes check digits and refuses anything but 24 digits", () => {
    expect(nrbCheckDigits("109010140000071219812874")).toBe("61");
    expect(completeNrb("109010140000071219812874")).toBe(SANTANDER);
    expect(nrbCheckDigits("10901014000007121981287")).toBeNull();
    expect(completeNrb("abc")).toBeNull();
  });
});

describe("formatting", () => {
  it("formats NRB in the printed 2+4x6 grouping and IBAN in groups of four", () => {
    expect(formatNrb(SANTANDER)).toBe("61 1090 1014 0000 0712 1981 2874");
    expect(formatNrb("PL61 1090 1014 0000 0712 1981 2874")).toBe("61 1090 1014 0000 0712 1981 2874");
    expect(formatIban(SANTANDER)).toBe("PL61 1090 1014 0000 0712 1981 2874");
    expect(formatNrb("123")).toBeNull();
    expect(formatIban("123")).toBeNull();
  });

  it("normalises and gives the bank settlement number", () => {
    expect(normalizeNrb(" PL 61 1090-1014 ")).toBe("6110901014");
    expect(bankSettlementNumber(SANTANDER)).toBe("10901014");
    expect(bankSettlementNumber("1")).toBeNull();
  });
});

describe("findNrbs", () => {
  const found = (text: string) => findNrbs(text).map((m) => [m.nrb, m.valid, m.repaired]);

  it.each([
    ["Nr konta: 61 1090 1014 0000 0712 1981 2874", [[SANTANDER, true, false]]],
    ["Rachunek: PL61109010140000071219812874 (Santander)", [[SANTANDER, true, false]]],
    ["Konto PL 61 1090 1014 0000 0712 1981 2874", [[SANTANDER, true, false]]],
    // OCR: O for 0, l for 1
    ["Nr rachunku: 61 1O9O 1014 OOOO 0712 1981 2874", [[SANTANDER, true, true]]],
    ["Nr rachunku: 6l 1090 1014 0000 0712 1981 2874", [[SANTANDER, true, true]]],
    // broken over two lines
    ["Numer konta: 61 1090 1014 0000\n0712 1981 2874\nBank Santander", [[SANTANDER, true, false]]],
    // glued to the seller's NIP on the next line
    ["Konto: 60 1020 1026 0000 0422 7020 1111\n526 104 08 28", [[PKO, true, false]]],
    // two accounts (PLN and another bank)
    [
      `PKO BP: ${formatNrb(PKO)}\nmBank: ${formatNrb(MBANK)}`,
      [
        [PKO, true, false],
        [MBANK, true, false],
      ],
    ],
    // an OCR error that breaks the checksum is still reported, as invalid
    ["Konto: 61 1090 1014 0000 0712 1981 2875", [["61109010140000071219812875", false, false]]],
    ["NIP 526-104-08-28, tel. 22 123 45 67, REGON 012345678", []],
    ["", []],
    ["Oddział Warszawa Il OOO", []],
  ])("%s", (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it("puts valid accounts before invalid ones and gives positions", () => {
    const text = "Konto 1: 11 1111 1111 1111 1111 1111 1111\nKonto 2: 61 1090 1014 0000 0712 1981 2874";
    const all = findNrbs(text);
    expect(all.map((m) => m.valid)).toEqual([true, false]);
    expect(text.slice(all[0].start, all[0].end)).toBe("61 1090 1014 0000 0712 1981 2874");
  });
});
