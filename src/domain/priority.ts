// Priority rules. They only ever raise a priority, never lower one a dispatcher chose, and always
// explain the outcome in `priorityReason`. Phrases are matched on folded words, so case and Polish
// diacritics do not matter ("kociol" = "Kocioł"). A word ending in "*" matches any ending.

import { PRIORITIES, type JobType, type Priority, type PropertyType } from "./types";
import { findPhrase, words } from "./text";
import { isHeatingSeason } from "./time";

export const SAFETY_PHRASES = [
  // Polish
  "zapach gazu", "zapach gaz*", "czuc gaz*", "czuje gaz*", "czuc zapach gaz*", "ulatnia sie gaz", "gaz sie ulatnia",
  "ulatnianie gazu", "ulatniajacy sie gaz", "wyciek gazu", "nieszczelnosc gazu", "czad*", "tlen* wegla",
  "czujnik co", "alarm co", "czujnik czadu", "dym*", "pozar*", "pali sie", "ogien", "ognia", "plomien*", "iskrz*",
  "zwarci*", "spalenizn*",
  // English
  "gas smell", "smell of gas", "smells of gas", "smell gas", "smelling gas", "gas leak*", "leaking gas",
  "carbon monoxide", "co alarm", "co detector", "co sensor", "smoke", "smoking", "fire", "flames", "sparking",
  "sparks", "burning smell",
] as const;

export const NO_HEAT_PHRASES = [
  // Polish
  "brak ogrzewania", "nie ma ogrzewania", "bez ogrzewania", "nie grzeje", "nie grzeja", "nie grzeje kaloryfer*",
  "przestal grzac", "przestaly grzac", "zimne kaloryfery", "zimne grzejniki", "kaloryfery sa zimne",
  "kaloryfery zimne", "grzejniki zimne", "kociol nie dziala", "piec nie dziala", "kociol sie wylacza",
  "kociol zgasl", "piec zgasl", "awaria kotla", "awaria pieca", "awaria ogrzewania", "pompa ciepla nie dziala",
  "nie dziala ogrzewanie", "ogrzewanie nie dziala", "nie dziala kociol", "nie dziala piec",
  // English
  "no heat", "no heating", "heating not working", "heating is not working", "heating does not work",
  "heating doesn t work", "boiler not working", "boiler is not working", "boiler broken", "boiler broke",
  "furnace not working", "heat pump not working", "radiators cold", "cold radiators",
] as const;

export const WATER_LEAK_PHRASES = [
  "wyciek*", "cieknie", "cieknie woda", "przeciek*", "zalewa", "zalewaja", "zalal*", "zalan*", "kapie",
  "leje sie woda", "woda leci", "leak*", "flood*", "dripping",
] as const;

export type PriorityRule = "safety" | "no_heat" | "water_leak" | "commercial_repair" | "overdue";

export interface RuleMatch {
  rule: PriorityRule;
  /** The minimum priority this rule demands. */
  atLeast: Priority;
  /** Polish sentence for `priorityReason`. */
  reason: string;
}

export interface PriorityInput {
  title?: string;
  description?: string;
  type?: JobType | string;
  propertyType?: PropertyType | string;
  /** Evaluation instant; decides the heating season. */
  now: Date;
}

export const PRIORITY_LABEL_PL: Record<Priority, string> = { low: "niski", medium: "średni", high: "wysoki", urgent: "pilny" };

export function rank(p: string): number {
  return PRIORITIES.indexOf(p as Priority);
}

export function maxPriority(a: Priority, b: Priority): Priority {
  return rank(a) >= rank(b) ? a : b;
}

/** One level up; urgent stays urgent. */
export function nextPriority(p: Priority): Priority {
  const i = rank(p);
  return PRIORITIES[Math.min(PRIORITIES.length - 1, Math.max(0, i) + 1)];
}

/** Every rule that fires for a job description, strongest first. */
export function matchRules(input: PriorityInput): RuleMatch[] {
  const text = words(`${input.title ?? ""} ${input.description ?? ""}`);
  const out: RuleMatch[] = [];
  const safety = findPhrase(text, SAFETY_PHRASES);
  if (safety) {
    out.push({ rule: "safety", atLeast: "urgent", reason: `Zagrożenie bezpieczeństwa („${safety.replace(/\*/g, "")}”) → pilny` });
  }
  const noHeat = findPhrase(text, NO_HEAT_PHRASES);
  if (noHeat && isHeatingSeason(input.now)) {
    out.push({ rule: "no_heat", atLeast: "high", reason: `Brak ogrzewania w sezonie grzewczym („${noHeat.replace(/\*/g, "")}”) → co najmniej wysoki` });
  }
  const leak = findPhrase(text, WATER_LEAK_PHRASES);
  if (leak) {
    out.push({ rule: "water_leak", atLeast: "high", reason: `Wyciek wody („${leak.replace(/\*/g, "")}”) → co najmniej wysoki` });
  }
  if (input.type === "repair" && input.propertyType === "commercial") {
    out.push({ rule: "commercial_repair", atLeast: "high", reason: "Naprawa w obiekcie komercyjnym (SLA) → co najmniej wysoki" });
  }
  return out;
}

export interface PriorityDecision {
  priority: Priority;
  reason: string;
  rules: PriorityRule[];
  /** True when a rule raised the priority above the requested one. */
  raised: boolean;
}

/**
 * Applies the rules to a requested priority. `requested` is what the dispatcher chose (or the
 * default "medium"); `chosenByDispatcher` only changes the wording of the reason.
 */
export function decidePriority(
  input: PriorityInput,
  requested: Priority,
  chosenByDispatcher: boolean,
): PriorityDecision {
  const matches = matchRules(input);
  let priority = requested;
  for (const m of matches) priority = maxPriority(priority, m.atLeast);
  const raised = rank(priority) > rank(requested);
  let reason: string;
  if (matches.length > 0) {
    reason = matches.map((m) => m.reason).join("; ");
    if (!raised) reason += chosenByDispatcher ? ` (dyspozytor już ustawił: ${PRIORITY_LABEL_PL[requested]})` : "";
  } else {
    reason = chosenByDispatcher ? "Priorytet ustawiony przez dyspozytora" : "Priorytet domyślny: żadna reguła nie pasuje";
  }
  return { priority, reason, rules: matches.map((m) => m.rule), raised };
}

export const OVERDUE_AFTER_MS = 2 * 60 * 60 * 1000;

/**
 * A scheduled job not started two hours after its scheduled time goes one level up, once.
 * Returns null when nothing should change.
 */
export function overdueEscalation(
  job: { status: string; priority: Priority; scheduledAtMs: number; alreadyEscalated: boolean },
  nowMs: number,
): { priority: Priority; reason: string } | null {
  if (job.status !== "scheduled" || job.alreadyEscalated) return null;
  if (!Number.isFinite(job.scheduledAtMs) || nowMs - job.scheduledAtMs < OVERDUE_AFTER_MS) return null;
  const priority = nextPriority(job.priority);
  const late = Math.floor((nowMs - job.scheduledAtMs) / 60_000);
  return {
    priority,
    reason: `Nierozpoczęte ${late} min po planowanym terminie → podniesiony z „${PRIORITY_LABEL_PL[job.priority]}” na „${PRIORITY_LABEL_PL[priority]}”`,
  };
}
