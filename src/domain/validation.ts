// Checks of raw request values against a collection's field specs, and of list filter
// expressions. Pure: the hooks (pb_hooks/src/guards.ts) feed them PocketBase's schema and query.
import { strictNumber } from "./geo";
import type { FieldError } from "./lifecycle";
import { parseTimestamp, toPbDate } from "./time";

export interface FieldSpec {
  name: string;
  type: string;
  options: { min?: number | null; max?: number | null; noDecimal?: boolean };
}

const TRUE_FALSE = ["true", "false", "1", "0", "on", "off", ""];

export interface RawValueCheck {
  /** Submitted values whose type or range does not fit the schema. */
  errors: FieldError[];
  /**
   * Valid submitted dates in PocketBase's own format ("2026-11-24 10:00:00.000Z"), by field:
   * PocketBase silently stores "" for ISO forms it cannot parse (e.g. without seconds).
   */
  dates: Record<string, string>;
}

/** Checks submitted values against the collection's field specs, in one pass. */
export function checkRawValues(fields: Map<string, FieldSpec>, data: Record<string, unknown>): RawValueCheck {
  const errors: FieldError[] = [];
  const dates: Record<string, string> = {};
  // (PocketBase resolves "field+" / "field-" modifiers before hooks run: values are plain.)
  // An indexed loop: in PocketBase's JS VM for...of allocates an iterator result per element.
  const keys = Object.keys(data);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const spec = fields.get(key);
    if (!spec) continue;
    const v = data[key];
    if (spec.type === "number") {
      if (v === "" || v === null) continue; // clears the field
      const n = strictNumber(v);
      if (n === undefined) {
        errors.push({ field: key, code: "invalid_number", message: `${key} must be a number.` });
        continue;
      }
      const { min, max, noDecimal } = spec.options;
      if (typeof min === "number" && n < min) errors.push({ field: key, code: "number_too_small", message: `${key} must be at least ${min}.` });
      else if (typeof max === "number" && n > max) errors.push({ field: key, code: "number_too_large", message: `${key} must be at most ${max}.` });
      else if (noDecimal && Math.floor(n) !== n) errors.push({ field: key, code: "not_integer", message: `${key} must be a whole number.` });
    } else if (spec.type === "date") {
      if (v === "" || v === null) continue;
      const ms = typeof v === "string" ? parseTimestamp(v) : NaN;
      if (Number.isFinite(ms)) dates[key] = toPbDate(ms);
      else errors.push({ field: key, code: "invalid_date", message: `${key} must be a date and time such as 2026-11-24 14:30:00Z (ISO 8601).` });
    } else if (spec.type === "bool") {
      const ok = typeof v === "boolean" || v === 0 || v === 1 || (typeof v === "string" && TRUE_FALSE.includes(v.toLowerCase()));
      if (!ok) errors.push({ field: key, code: "invalid_bool", message: `${key} must be true or false.` });
    }
  }
  return { errors, dates };
}

// Without backslashes a quoted literal simply runs to the next matching quote, which is how
// PocketBase's parser reads it too; with them, the two could disagree about where a string ends.
const LITERAL = /'[^']*'|"[^"]*"/g;
const REQUEST_MACRO = /@request\.[A-Za-z0-9_.:]+/g;
const RELATION_PATH = /[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z]+)?\.[A-Za-z_@]|@collection|_via_/;

/**
 * Why a filter or sort expression may not be used by someone who sees only part of the data, or
 * null when it is fine: it must not reach into related records (PocketBase 0.22 does not apply the
 * related collection's rules inside filters) and, to keep quoting unambiguous, has no backslash.
 */
export function restrictedFilterProblem(expr: string): string | null {
  const text = String(expr ?? "");
  if (text.includes("\\")) return "may not contain a backslash";
  const bare = text.replace(LITERAL, "''");
  if (/['"]/.test(bare.replace(/''/g, ""))) return "has an unterminated quote";
  if (RELATION_PATH.test(bare.replace(REQUEST_MACRO, ""))) return "may only use this collection's own fields";
  return null;
}
