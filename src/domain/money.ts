// Money as integer minor units ("grosze" for PLN, cents for EUR): amounts are parsed straight from
// their digits into integers and every sum or percentage is integer arithmetic, so 0.1 + 0.2
// problems cannot reach an invoice total. Parsing accepts the spellings found on Polish invoices
// and in OCR output of them: "1 234,56 zł", "1.234,56 PLN", "1234.56", "-12,00", "150,- zł",
// non-breaking and thin spaces as thousands separators, "O" read instead of "0".
//
// Runs in PocketBase's JS VM too: no Intl, no named groups, no lookbehind.

export interface Money {
  /** Hundredths of the currency unit: grosze for PLN, cents for EUR. Always an integer. */
  grosze: number;
  /** ISO 4217 code when the text named a currency, else null. */
  currency: string | null;
}

export interface ParsedAmount extends Money {
  /**
   * The text needed a guess to read: letters read as digits ("1 O00,00"), irregular digit groups
   * ("12 34,56"), or a lone separator before three digits ("1.234", read as 1234). Callers lower
   * their confidence in such a value.
   */
  repaired: boolean;
}

/** Currency spellings after normalisation to lower case, by ISO code. Longest first. */
const CURRENCY_TOKENS: Array<[string, string]> = [
  ["złotych", "PLN"],
  ["złote", "PLN"],
  ["zlotych", "PLN"],
  ["pln", "PLN"],
  ["zł", "PLN"],
  ["zl", "PLN"],
  ["zt", "PLN"], // "zł" as OCR often reads it
  ["euro", "EUR"],
  ["eur", "EUR"],
  ["€", "EUR"],
  ["usd", "USD"],
  ["$", "USD"],
  ["gbp", "GBP"],
  ["£", "GBP"],
  ["chf", "CHF"],
  ["czk", "CZK"],
  ["sek", "SEK"],
  ["nok", "NOK"],
  ["dkk", "DKK"],
];

/** ISO codes a Polish invoice may be issued in (KodWaluty values seen in practice). */
export const CURRENCIES = ["PLN", "EUR", "USD", "GBP", "CHF", "CZK", "SEK", "NOK", "DKK"] as const;

const CURRENCY_ALTERNATION = "złotych|złote|zlotych|pln|zł|zl|zt|euro|eur|€|usd|\\$|gbp|£|chf|czk|sek|nok|dkk";
const LEADING_CURRENCY = new RegExp(`^(${CURRENCY_ALTERNATION})\\.?\\s*`, "i");
const TRAILING_CURRENCY = new RegExp(`\\s*(${CURRENCY_ALTERNATION})\\.?$`, "i");

/** The ISO code for a currency spelling ("zł", "PLN", "€", "euro"), or null. */
export function currencyCode(token: string): string | null {
  const t = String(token ?? "").trim().toLowerCase().replace(/\.$/, "");
  for (let i = 0; i < CURRENCY_TOKENS.length; i++) if (CURRENCY_TOKENS[i][0] === t) return CURRENCY_TOKENS[i][1];
  return null;
}

/** Every kind of space OCR and PDF text layers put into numbers, as a plain space. */
export function normalizeSpaces(text: string): string {
  return String(text ?? "").replace(/[\u00a0\u2007\u2009\u202f\t]/g, " ");
}

// Digits (or letters OCR confuses with them) and the separators a number may contain.
const NUMBER_BODY = /^[0-9OoIl|][0-9OoIl| .,']*$/;
// Twelve integer digits keep grosze far below Number.MAX_SAFE_INTEGER.
const MAX_INT_DIGITS = 13;

/**
 * Reads one amount, the whole text being that amount (with an optional currency before or after).
 * Returns null for anything that is not an amount, including values with more than two decimals
 * ("0,0125" cannot be held in grosze without rounding, and rounding is not this function's call).
 */
export function parseAmount(text: string): ParsedAmount | null {
  let s = normalizeSpaces(text).trim();
  if (!s) return null;
  let currency: string | null = null;
  const lead = LEADING_CURRENCY.exec(s);
  if (lead) {
    currency = currencyCode(lead[1]);
    s = s.slice(lead[0].length);
  }
  const trail = TRAILING_CURRENCY.exec(s);
  if (trail) {
    const c = currencyCode(trail[1]);
    if (currency && c !== currency) return null;
    currency = c;
    s = s.slice(0, s.length - trail[0].length);
  }
  s = s.trim();
  let negative = false;
  if (/^[-\u2212\u2013]/.test(s)) {
    negative = true;
    s = s.slice(1).trim();
  }
  // "150,- zł" and "150,-- zł": whole złoty, a common handwritten and printed form.
  s = s.replace(/[,.]-{1,2}$/, ",00");
  const value = parseUnsigned(s);
  if (!value) return null;
  return { grosze: negative && value.grosze !== 0 ? -value.grosze : value.grosze, currency, repaired: value.repaired };
}

function parseUnsigned(body: string): { grosze: number; repaired: boolean } | null {
  if (!NUMBER_BODY.test(body) || !/[0-9]/.test(body)) return null;
  let repaired = false;
  let s = body;
  if (/[OoIl|]/.test(s)) {
    s = s.replace(/[Oo]/g, "0").replace(/[Il|]/g, "1");
    repaired = true;
  }
  // Spaces next to a separator are OCR noise ("1 234 ,56", "1234, 56").
  s = s.replace(/ *([.,]) */g, "$1").trim();
  const lastSep = Math.max(s.lastIndexOf(","), s.lastIndexOf("."));
  let intPart = s;
  let frac = "";
  if (lastSep >= 0) {
    const after = s.slice(lastSep + 1);
    const before = s.slice(0, lastSep);
    const sep = s[lastSep];
    if (after.length === 1 || after.length === 2) {
      if (!/^\d+$/.test(after)) return null;
      intPart = before;
      frac = after;
    } else if (after.length === 3 && /^\d{3}$/.test(after)) {
      // "1.234" or "1,234": a thousands separator only if no other separator kind appears.
      const other = sep === "," ? "." : ",";
      if (before.indexOf(other) >= 0) return null;
      repaired = repaired || before.indexOf(sep) < 0;
    } else {
      return null;
    }
  }
  if (intPart === "") intPart = "0";
  // Whatever separators remain in the integer part are digit grouping. A printed separator
  // ("." "," "'") must be followed by three digits; a space may be OCR noise ("12 34,56").
  const groups = intPart.split(/[ .,']+/);
  const seps = intPart.match(/[ .,']+/g) ?? [];
  for (let i = 0; i < groups.length; i++) {
    if (!/^\d+$/.test(groups[i])) return null;
    if (i === 0 || groups[i].length === 3) continue;
    if (seps[i - 1] !== " ") return null;
    repaired = true;
  }
  if (groups.length > 1 && groups[0].length > 3) {
    if (seps[0] !== " ") return null;
    repaired = true;
  }
  const digits = groups.join("").replace(/^0+(?=\d)/, "");
  if (digits.length > MAX_INT_DIGITS) return null;
  const grosze = Number(digits) * 100 + Number((frac + "00").slice(0, 2));
  return { grosze, repaired };
}

export interface AmountMatch extends ParsedAmount {
  /** Offset of the match in the line, and one past its end. */
  start: number;
  end: number;
  /** The matched text, currency included when it was next to the number. */
  text: string;
}

// An amount in running text needs two decimals (or ",-") unless a currency follows it, because
// bare integers in a line are quantities, percentages, dates and postcodes far more often.
const AMOUNT_IN_TEXT = new RegExp(
  "(^|[^0-9A-Za-z,.\\-\\u2212\\u2013/])" + // what precedes: not part of another number or word
    "([-\\u2212])?" + // a sign touches the digits: a lone "-" is an empty column
    "(" +
    // Bounded repetitions: a long run of digits must not make the scan quadratic.
    "(?:\\d{1,3}(?:[ .,']\\d{3}){1,5}|\\d{1,15})(?:[.,]\\d{2}|,-{1,2})(?![0-9]|[.,][0-9]| ?%)" + // 1 234,56 / 1234.56 / 150,-
    "|(?:\\d{1,3}(?:[ .]\\d{3}){1,5}|\\d{1,15})(?= ?(?:" + CURRENCY_ALTERNATION + ")(?![a-z]))" + // 1 230 zł
    ")" +
    "( ?(?:" + CURRENCY_ALTERNATION + ")(?![a-z])\\.?)?",
  "gi",
);

/**
 * Every amount in a line of text, left to right. The line is read as OCR gives it: letters that
 * stand for digits inside numbers are repaired, and a space between an amount's digits and its
 * decimal separator is closed. Two amounts separated by one space ("1 000,00 230,00") stay apart
 * because each must end with its decimals. Dates ("24.11.2026") and percentages are not amounts.
 */
export function findAmounts(line: string): AmountMatch[] {
  const original = normalizeSpaces(line);
  // Both repairs keep the length, so offsets in `text` are offsets in the line.
  const text = repairOcrDigits(closeDecimalGaps(original));
  const out: AmountMatch[] = [];
  AMOUNT_IN_TEXT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = AMOUNT_IN_TEXT.exec(text)) !== null) {
    const start = m.index + m[1].length;
    const raw = (m[2] ?? "") + m[3] + (m[4] ?? "");
    const parsed = parseAmount(raw);
    if (parsed) {
      const end = start + raw.length;
      const repaired = parsed.repaired || original.slice(start, end) !== raw;
      out.push({ ...parsed, repaired, start, end, text: raw.trim() });
    }
    if (m[0].length === 0) AMOUNT_IN_TEXT.lastIndex++;
  }
  return out;
}

/** "1 234 ,56" -> "1 234,56 " and "1234, 56" -> "1234,56 ": the gap moves behind the number. */
function closeDecimalGaps(text: string): string {
  return text.replace(/(\d) ([,.]\d{2})(?![0-9])/g, "$1$2 ").replace(/(\d[,.]) (\d{2})(?![0-9])/g, "$1$2 ");
}

/**
 * Letters OCR reads instead of digits ("O" for 0, "l", "I" or "|" for 1), replaced inside
 * number-like tokens that also contain a real digit. Words are left alone.
 */
export function repairOcrDigits(text: string): string {
  return String(text ?? "").replace(/[0-9OoIl|][0-9OoIl|.,]*[0-9OoIl|]/g, (token) => {
    if (!/[0-9]/.test(token) || !/[OoIl|]/.test(token)) return token;
    // Mostly letters ("lo1"), or one digit after a letter ("CO2", "O2"), is a word, not a number.
    const letters = token.replace(/[^OoIl|]/g, "").length;
    const digits = token.replace(/[^0-9]/g, "").length;
    if (letters > digits || (digits < 2 && !/^[0-9]/.test(token))) return token;
    return token.replace(/[Oo]/g, "0").replace(/[Il|]/g, "1");
  });
}

export interface FormatOptions {
  /** Thousands separator; default a no-break space, so "1 234,56 zł" never wraps inside. */
  space?: string;
  /** Write "PLN" instead of "zł". */
  code?: boolean;
}

/** Polish notation: "1 234,56 zł", "-12,00 zł", "99,90 EUR"; no currency suffix for null. */
export function formatAmount(grosze: number, currency: string | null = "PLN", options: FormatOptions = {}): string {
  const space = options.space ?? "\u00a0";
  const number = groupDigits(grosze, space, ",");
  if (!currency) return number;
  const suffix = currency === "PLN" && !options.code ? "zł" : currency;
  return number + space + suffix;
}

/** Plain decimal with a dot and no grouping ("1234.56"), as KSeF XML and CSV exports write it. */
export function formatDecimal(grosze: number): string {
  return groupDigits(grosze, "", ".");
}

function groupDigits(grosze: number, space: string, decimalMark: string): string {
  if (!Number.isSafeInteger(grosze)) throw new RangeError(`Not an amount in grosze: ${grosze}`);
  const negative = grosze < 0;
  const abs = negative ? -grosze : grosze;
  const whole = String(Math.floor(abs / 100));
  const frac = String(abs % 100).padStart(2, "0");
  let grouped = "";
  for (let i = 0; i < whole.length; i++) {
    if (i > 0 && (whole.length - i) % 3 === 0) grouped += space;
    grouped += whole[i];
  }
  return (negative ? "-" : "") + grouped + decimalMark + frac;
}

/**
 * Major units as a JS number (12345 -> 123.45) for storage in a PocketBase number field such as
 * invoices.totalAmount. Only for storing and display: do arithmetic on grosze.
 */
export function toMajorUnits(grosze: number): number {
  return grosze / 100;
}

/** Major units (a stored number such as 123.45) back to grosze, rounding away float noise. */
export function fromMajorUnits(amount: number): number | null {
  if (typeof amount !== "number" || !Number.isFinite(amount)) return null;
  return parseAmount(amount.toFixed(2))?.grosze ?? null;
}

/** Sum of integer grosze; null if any is not a safe integer or the sum overflows. */
export function sumGrosze(values: readonly number[]): number | null {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isSafeInteger(values[i])) return null;
    sum += values[i];
  }
  return Number.isSafeInteger(sum) ? sum : null;
}

/**
 * `percent` % of an amount, rounded half away from zero to whole grosze, in integer arithmetic:
 * VAT of 23% on 10,05 zł is 2,31 zł (231.15 grosze).
 */
export function percentOf(grosze: number, percent: number): number {
  const negative = grosze < 0;
  const product = (negative ? -grosze : grosze) * percent; // percents are whole numbers
  const result = Math.floor((product * 2 + 100) / 200);
  return negative ? -result : result;
}

/**
 * Reads a decimal number with a Polish or English decimal mark ("1,05", "2.4", "0,5") as an
 * integer scaled by 10^decimals (decimals <= 6), e.g. ("1,05", 3) -> 1050. Null for anything else
 * or for more decimals than asked. Used for quantities such as refrigerant charge in grams.
 */
export function parseScaledDecimal(text: string, decimals: number): number | null {
  const s = normalizeSpaces(text).trim().replace(/\s+/g, "");
  const m = /^(-?)(\d+)(?:[.,](\d+))?$/.exec(s);
  if (!m) return null;
  const frac = m[3] ?? "";
  if (frac.length > decimals || m[2].length > 12) return null;
  const scaled = Number(m[2]) * Math.pow(10, decimals) + Number((frac + "000000").slice(0, decimals) || "0");
  return m[1] === "-" && scaled !== 0 ? -scaled : scaled;
}
