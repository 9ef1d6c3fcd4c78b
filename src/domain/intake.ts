// Call intake (the dispatcher on the phone): the contact search as a PocketBase filter, the live
// priority preview with the very rules the jobs hook applies, and the planned start time.
import { warsawTime } from "./board";
import { decidePriority, matchRules, type PriorityInput, type PriorityRule } from "./priority";
import { caseVariants, fold } from "./text";
import type { Priority } from "./types";

/** Shorter input lists half the customer base: wait for this many characters. */
export const SEARCH_MIN_CHARS = 2;
export const SEARCH_LIMIT = 10;
/** Fields the search looks in. */
export const SEARCH_FIELDS = ["name", "phone", "address", "email"] as const;

const PHONE_LIKE = /^[\d\s+()./-]+$/;

/**
 * The digits of a phone number as people dial them: "+48 796 970 724" and "796970724" both give
 * "796970724" (a leading 48 country code is dropped from numbers longer than 9 digits).
 */
export function phoneDigits(value: string): string {
  const d = String(value ?? "").replace(/\D/g, "");
  return d.length > 9 && d.startsWith("48") ? d.slice(2) : d;
}

export interface ContactQuery {
  /** A PocketBase filter with {:placeholders}; pass it through pb.filter(filter, params). */
  filter: string;
  params: Record<string, string>;
}

/**
 * The filter for what the dispatcher typed: `~` (contains) on name, phone, address and email.
 * SQLite's LIKE ignores case only for ASCII, so the lower-case and capitalised spellings are asked
 * too ("żoł" finds "Żołnierska"). A phone typed without the spaces the record has
 * ("796970") is matched digit by digit; matchesContact() then drops loose phone hits.
 * null when the input is too short to search.
 */
export function contactQuery(input: string): ContactQuery | null {
  const q = String(input ?? "").trim().replace(/\s+/g, " ");
  if (q.length < SEARCH_MIN_CHARS) return null;
  const variants = caseVariants(q);
  const params: Record<string, string> = {};
  const parts: string[] = [];
  variants.forEach((v, i) => {
    params[`q${i}`] = v;
    parts.push(...SEARCH_FIELDS.map((f) => `${f} ~ {:q${i}}`));
  });
  const digits = PHONE_LIKE.test(q) ? phoneDigits(q) : "";
  if (digits.length >= 3) {
    // With a % inside, PocketBase uses the pattern as given instead of wrapping it in %...%.
    params.digits = `%${digits.split("").join("%")}%`;
    parts.push("phone ~ {:digits}");
  }
  return { filter: parts.join(" || "), params };
}

export interface SearchableContact {
  name: string;
  phone: string;
  address: string;
  email: string;
}

/** Whether a contact really matches the input (case, Polish letters and phone spacing ignored). */
export function matchesContact(contact: SearchableContact, input: string): boolean {
  const q = fold(input);
  if (q && SEARCH_FIELDS.some((f) => fold(contact[f] ?? "").includes(q))) return true;
  const raw = String(input ?? "").trim();
  const digits = PHONE_LIKE.test(raw) ? phoneDigits(raw) : "";
  return digits.length >= 3 && phoneDigits(contact.phone ?? "").includes(digits);
}

export interface RulePreview {
  rule: PriorityRule;
  atLeast: Priority;
  /** The phrase that fired, without "*" ("zapach gazu"); "" for rules without a phrase. */
  phrase: string;
}

export interface PriorityPreview {
  /** What the server will save. */
  priority: Priority;
  /** The Polish priorityReason the server will save. */
  reason: string;
  /** A rule raised the priority above the requested (or default) one. */
  raised: boolean;
  matches: RulePreview[];
}

export interface IntakeRuleInput {
  title: string;
  description: string;
  type: string;
  /** The contact's property type ("" when no contact is chosen yet). */
  propertyType: string;
  now: Date;
}

/**
 * The priority a new job will get, worked out exactly as the jobs hook does on create
 * (decidePriority with "medium" unless the dispatcher chose one; the property type only counts
 * for repairs).
 */
export function previewPriority(input: IntakeRuleInput, chosen: Priority | ""): PriorityPreview {
  const ruleInput: PriorityInput = {
    title: input.title,
    description: input.description,
    type: input.type,
    propertyType: input.type === "repair" ? input.propertyType : "",
    now: input.now,
  };
  const decision = decidePriority(ruleInput, chosen || "medium", chosen !== "");
  const matches = matchRules(ruleInput).map((m) => ({
    rule: m.rule,
    atLeast: m.atLeast,
    phrase: /„([^”]*)”/.exec(m.reason)?.[1] ?? "",
  }));
  return { priority: decision.priority, reason: decision.reason, raised: decision.raised, matches };
}

/** "HH:MM" (24 h) -> hour and minute; null for anything else. */
export function parseClock(value: string): { hour: number; minute: number } | null {
  const m = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(String(value ?? ""));
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}

/** The instant of a Warsaw day + "HH:MM" as an ISO string for scheduledDate; "" when either is invalid. */
export function plannedStart(day: string, clock: string): string {
  const c = parseClock(clock);
  if (!c) return "";
  const ms = warsawTime(day, c.hour, c.minute);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : "";
}
