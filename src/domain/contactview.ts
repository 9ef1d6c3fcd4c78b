// The contacts pages' pure logic: the list's search filter, the NIP hint shown while typing and the
// changes a contact edit sends. Shared by the dashboard and its tests; no browser or PocketBase globals.
import { checkNip, normalizeNip } from "./nip";
import { caseVariants } from "./text";
import type { ContactRecord } from "./types";

export interface ContactQuery {
  /** What the user typed into the search box. */
  text: string;
  district: string;
  propertyType: string;
}

/** A PocketBase filter with {:placeholders} and their values (for pb.filter, which escapes them). */
export interface FilterExpr {
  expr: string;
  params: Record<string, string>;
}

const MAX_WORDS = 5;

const WORD_FIELDS = ["name", "phone", "address", "email", "nip"] as const;

/**
 * The list filter: every word of the search must occur in the name, phone, address, e-mail or NIP
 * (contains). SQLite's LIKE ignores case only for ASCII, so each word is also asked lower-case and
 * capitalised ("żoł" finds "Żołnierska", as the intake search does); district and property type
 * match exactly. A NIP typed with dashes ("526-104-08-28") finds the stored digits, and a phone
 * number typed without spaces ("601234567", 6+ digits) finds "+48 601 234 567".
 */
export function contactFilter(q: ContactQuery): FilterExpr {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  const text = String(q.text ?? "").trim();
  if (text) {
    const compact = text.replace(/[\s-]/g, "");
    if (/^(?:PL)?\d{6,}$/i.test(compact)) {
      // A number: the NIP as stored, or the digits of a phone number however it was spaced.
      const digits = normalizeNip(compact);
      params.nip = digits;
      params.phone = `%${digits.split("").join("%")}%`;
      parts.push("(nip ~ {:nip} || phone ~ {:phone})");
    } else {
      const words = text.split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
      words.forEach((w, i) => {
        const alternatives: string[] = [];
        caseVariants(w).forEach((v, j) => {
          const name = j === 0 ? `w${i}` : `w${i}_${j}`;
          params[name] = v;
          alternatives.push(...WORD_FIELDS.map((f) => `${f} ~ {:${name}}`));
        });
        parts.push(`(${alternatives.join(" || ")})`);
      });
    }
  }
  if (q.district) {
    params.district = q.district;
    parts.push("district = {:district}");
  }
  if (q.propertyType) {
    params.propertyType = q.propertyType;
    parts.push("propertyType = {:propertyType}");
  }
  return { expr: parts.join(" && "), params };
}

export type NipHint = "empty" | "incomplete" | "valid" | "format" | "checksum";

/**
 * What to say about a NIP while it is typed: nothing when empty, "incomplete" while fewer than 10
 * digits have been typed (and nothing else), then valid / checksum / format.
 */
export function nipHint(input: string): NipHint {
  const s = String(input ?? "").trim();
  if (s === "") return "empty";
  const digits = normalizeNip(s);
  if (/^\d{0,9}$/.test(digits)) return "incomplete";
  const problem = checkNip(s);
  return problem ?? "valid";
}

/** "5261040828" -> "526-104-08-28"; anything else unchanged. */
export function formatNip(nip: string): string {
  const d = normalizeNip(nip);
  return /^\d{10}$/.test(d) ? `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8)}` : String(nip ?? "");
}

/** The contact form: every editable field as the text its input holds. */
export interface ContactForm {
  name: string;
  email: string;
  phone: string;
  address: string;
  district: string;
  propertyType: string;
  nip: string;
  affluenceScore: string;
  notes: string;
}

export const CONTACT_FORM_FIELDS = [
  "name", "email", "phone", "address", "district", "propertyType", "nip", "affluenceScore", "notes",
] as const satisfies readonly (keyof ContactForm)[];

export function contactToForm(c: Partial<ContactRecord>): ContactForm {
  const score = typeof c.affluenceScore === "number" && Number.isFinite(c.affluenceScore) ? String(c.affluenceScore) : "";
  return {
    name: c.name ?? "",
    email: c.email ?? "",
    phone: c.phone ?? "",
    address: c.address ?? "",
    district: c.district ?? "",
    propertyType: c.propertyType ?? "",
    nip: c.nip ?? "",
    affluenceScore: score,
    notes: c.notes ?? "",
  };
}

/**
 * What a save sends (only changed fields) and what stops it before sending: a NIP that is
 * incomplete or wrong, a score that is not a number.
 */
export function contactChanges(stored: ContactForm, form: ContactForm): {
  patch: Record<string, unknown>;
  errors: Record<string, "nip_format" | "nip_checksum" | "invalid_number">;
} {
  const patch: Record<string, unknown> = {};
  const errors: Record<string, "nip_format" | "nip_checksum" | "invalid_number"> = {};
  for (const f of CONTACT_FORM_FIELDS) {
    const value = f === "notes" ? form[f] : form[f].trim();
    if (value === stored[f]) continue;
    if (f === "nip" && value !== "") {
      const hint = nipHint(value);
      if (hint === "checksum") errors.nip = "nip_checksum";
      else if (hint !== "valid") errors.nip = "nip_format";
      else patch.nip = normalizeNip(value);
    } else if (f === "affluenceScore") {
      if (value === "") patch[f] = null;
      else if (/^\d+$/.test(value)) patch[f] = Number(value);
      else errors[f] = "invalid_number";
    } else patch[f] = value;
  }
  return { patch, errors };
}
