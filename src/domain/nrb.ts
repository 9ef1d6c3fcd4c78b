// Polish bank account number (NRB, "numer rachunku bankowego"): 26 digits, the IBAN without its
// "PL" country code. The first two digits are the IBAN check digits (ISO 13616 / ISO 7064
// MOD 97-10): moving "PL" and the check digits behind the other 24 digits, reading P as 25 and L
// as 21, gives a number whose remainder modulo 97 is 1. Digits 3-10 are the bank's settlement
// number, the remaining 16 the account within the bank.
//
// Accepts the usual spellings: "61 1090 1014 0000 0712 1981 2874", "PL61109010140000071219812874",
// "61-1090-1014-...". Runs in PocketBase's JS VM too: no BigInt needed, the remainder is taken in
// chunks.

/** "P" = 25 and "L" = 21 in the IBAN letter-to-number conversion. */
const PL_DIGITS = "2521";

/** Digits only, without the PL prefix, spaces or dashes; "" when the input has no digits. */
export function normalizeNrb(input: string): string {
  return String(input ?? "")
    .replace(/^\s*(?:IBAN[:\s]*)?PL/i, "")
    .replace(/[\s\u00a0-]/g, "");
}

/** Remainder of a long decimal digit string modulo 97, in 7-digit chunks (no precision loss). */
export function mod97(digits: string): number {
  let rest = 0;
  for (let i = 0; i < digits.length; i += 7) rest = Number(String(rest) + digits.slice(i, i + 7)) % 97;
  return rest;
}

/** The two check digits for the 24 digits that follow them. */
export function nrbCheckDigits(last24: string): string | null {
  if (!/^\d{24}$/.test(String(last24 ?? ""))) return null;
  return String(98 - mod97(last24 + PL_DIGITS + "00")).padStart(2, "0");
}

/** Makes a valid NRB from its last 24 digits by prepending the check digits (test data, fixtures). */
export function completeNrb(last24: string): string | null {
  const check = nrbCheckDigits(last24);
  return check === null ? null : check + last24;
}

export type NrbProblem = "format" | "checksum";

/** null when valid; otherwise what is wrong. */
export function checkNrb(input: string): NrbProblem | null {
  const nrb = normalizeNrb(input);
  if (!/^\d{26}$/.test(nrb)) return "format";
  return mod97(nrb.slice(2) + PL_DIGITS + nrb.slice(0, 2)) === 1 ? null : "checksum";
}

export function isValidNrb(input: string): boolean {
  return checkNrb(input) === null;
}

/** "61 1090 1014 0000 0712 1981 2874"; null when the input is not 26 digits. */
export function formatNrb(input: string): string | null {
  const nrb = normalizeNrb(input);
  if (!/^\d{26}$/.test(nrb)) return null;
  return nrb.slice(0, 2) + " " + nrb.slice(2).replace(/(\d{4})(?=\d)/g, "$1 ");
}

/** "PL61 1090 1014 0000 0712 1981 2874", the printed IBAN form; null when not 26 digits. */
export function formatIban(input: string): string | null {
  const nrb = normalizeNrb(input);
  if (!/^\d{26}$/.test(nrb)) return null;
  return ("PL" + nrb).replace(/(.{4})(?=.)/g, "$1 ");
}

/** The bank's 8-digit settlement number (digits 3-10), e.g. "10901014". */
export function bankSettlementNumber(input: string): string | null {
  const nrb = normalizeNrb(input);
  return /^\d{26}$/.test(nrb) ? nrb.slice(2, 10) : null;
}

export interface NrbMatch {
  /** 26 digits. */
  nrb: string;
  valid: boolean;
  /** Letters had to be read as digits ("O" for 0) to get 26 digits. */
  repaired: boolean;
  /** Offset of the match in the text and one past its end. */
  start: number;
  end: number;
}

// Runs of digits (or letters OCR confuses with them) joined by single spaces, dashes or a line
// break (OCR breaks long numbers), with an optional PL prefix. A run longer than 26 digits (the
// account glued to a neighbouring number) is searched for a valid 26-digit window that starts
// where a group of digits starts.
const DIGIT_RUN = /(?:\bPL ?)?[0-9OoIl|](?:(?:[ \-]|\r?\n)?[0-9OoIl|])+/g;

/**
 * Every account number in a text: valid ones first, in text order, then 26-digit runs that fail
 * the checksum (an OCR error may have produced them from a real account: a reviewer should see
 * them rather than nothing).
 */
export function findNrbs(text: string): NrbMatch[] {
  const source = String(text ?? "").replace(/[\u00a0\u2009\u202f]/g, " ");
  const valid: NrbMatch[] = [];
  const invalid: NrbMatch[] = [];
  DIGIT_RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DIGIT_RUN.exec(source)) !== null) {
    const start = m.index;
    const end = m.index + m[0].length;
    // Groups made only of letters at either end are words ("Oddział"), not digits.
    const groups = m[0].replace(/^PL ?/i, "").split(/[ \-\r\n]+/);
    while (groups.length && !/[0-9]/.test(groups[0])) groups.shift();
    while (groups.length && !/[0-9]/.test(groups[groups.length - 1])) groups.pop();
    const body = groups.join("");
    if (body.replace(/[^0-9]/g, "").length < 20) continue; // mostly letters: not an account
    const digits = body.replace(/[Oo]/g, "0").replace(/[Il|]/g, "1");
    if (digits.length === 26) {
      const match = { nrb: digits, valid: isValidNrb(digits), repaired: digits !== body, start, end };
      (match.valid ? valid : invalid).push(match);
      continue;
    }
    if (digits.length < 26) continue;
    const starts: number[] = [];
    if (groups.length === 1) for (let i = 0; i + 26 <= digits.length; i++) starts.push(i);
    else for (let g = 0, at = 0; g < groups.length; at += groups[g].length, g++) starts.push(at);
    for (let k = 0; k < starts.length; k++) {
      const i = starts[k];
      if (i + 26 > digits.length) break;
      const candidate = digits.slice(i, i + 26);
      if (isValidNrb(candidate)) {
        valid.push({ nrb: candidate, valid: true, repaired: candidate !== body.slice(i, i + 26), start, end });
        break;
      }
    }
  }
  return valid.concat(invalid);
}
