// Priority rules. They only ever raise a priority, never lower one a dispatcher chose, and always
// explain the outcome in `priorityReason`. Phrases are matched on folded words, so case and Polish
// diacritics do not matter ("kociol" = "Kocioł"). A word ending in "*" matches any ending.

import { PRIORITIES, type JobType, type Priority, type PropertyType } from "./types";
import { hasPhrase, PhraseSet, phraseRegExp, words } from "./text";
import { isHeatingSeason } from "./time";

export const SAFETY_PHRASES = [
  // Polish
  "zapach gazu", "zapach gaz*", "czuc gaz*", "czuje gaz*", "czuc zapach gaz*", "smierdzi gaz*", "wali gaz*",
  "ulatnia sie gaz", "gaz sie ulatnia", "ulatnianie gazu", "ulatniajacy sie gaz", "wyciek gazu", "nieszczelnosc gazu",
  "nieszczelna instalacja gazowa", "nieszczelnosc instalacji gazowej", "zapach spalin", "cofaja sie spaliny",
  "czad*", "tlen* wegla", "czujnik co", "czujka co", "alarm co", "czujnik czadu",
  // Explicit forms of "dym" (smoke): a prefix would also hit "przewody dymowe" (flues, a routine
  // inspection), "klapa dymowa" and "dymoszczelność".
  "dym", "dymu", "dymem", "dymi", "dymia", "dymil*", "dymienie", "dymienia", "dymiac*", "zadymi*",
  // Explicit forms of "pożar" (fire): "klapy pożarowe" (fire dampers) are routine commercial work.
  "pozar", "pozaru", "pozarem", "pozarze", "zagrozenie pozarowe", "pali sie", "ogien", "ognia",
  // Not "płomienia" (genitive singular): "brak / zanik / czujnik płomienia" is an ordinary boiler fault.
  "plomien", "plomienie", "plomieni", "plomieniami", "plomieniach", "iskrz*", "zwarci*", "spalenizn*",
  // English
  "gas smell", "smell of gas", "smells of gas", "smell gas", "smelling gas", "smells like gas", "smell like gas",
  "smelling of gas", "gas odour", "gas odor", "odour of gas", "odor of gas", "gas leak*", "leaking gas",
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
  "kociol gazowy nie dziala", "piec gazowy nie dziala", "kociol przestal dzialac", "piec przestal dzialac",
  "kociol nie odpala", "piec nie odpala", "kociol sie nie uruchamia", "piec sie nie uruchamia",
  // English
  "no heat", "no heating", "heating not working", "heating is not working", "heating isn t working",
  "heating does not work", "heating doesn t work", "heating stopped working", "boiler not working",
  "boiler is not working", "boiler isn t working", "boiler does not work", "boiler doesn t work",
  "boiler stopped working", "boiler broken", "boiler broke", "furnace not working", "heat pump not working",
  "radiators cold", "cold radiators",
] as const;

export const WATER_LEAK_PHRASES = [
  "wyciek*", "ciekn*", "przeciek*", "zalewa", "zalewaja", "zalal*", "zalan*", "kapie",
  "leje sie woda", "woda sie leje", "woda leci", "leci woda", "leak*", "flood*", "dripping",
] as const;

/**
 * Routine contexts that contain a hazard word without reporting a hazard ("montaż czujnika czadu",
 * "brak płomienia", "boiler won't fire up", "F-gas leak check"). Their words are blanked out before
 * the safety and water-leak phrases are looked for; other mentions in the same text still count.
 */
function routinePhrases(): string[] {
  const out: string[] = [];
  const verbs = [
    "montaz", "instalacja", "zamontowanie", "zamontowac", "wymiana", "wymienic", "przeglad", "legalizacja",
    "kalibracja", "dostawa", "dostarczenie",
  ];
  const detectors = ["czujnik*", "czujk*", "detektor*"];
  const hazards = ["czadu", "dymu", "co", "tlenku wegla", "gazu"];
  for (const v of verbs) for (const d of detectors) for (const h of hazards) out.push(`${v} ${d} ${h}`);
  for (const d of ["smoke", "co", "carbon monoxide", "gas"]) {
    for (const n of ["detector*", "alarm*", "sensor*"]) {
      for (const a of ["", "a ", "the ", "new ", "a new "]) {
        out.push(`install* ${a}${d} ${n}`, `replac* ${a}${d} ${n}`, `fit* ${a}${d} ${n}`);
      }
      out.push(`${d} ${n} install*`, `${d} ${n} replacement`);
    }
  }
  out.push(
    // indicator lights that "pali się" (are lit)
    "pali sie lampk*", "pali sie kontrolk*", "pali sie diod*", "pali sie swiat*", "pali sie ikon*",
    "pali sie wskaznik*", "pali sie symbol*", "pali sie czerwon*", "pali sie pomaranczow*", "pali sie zolt*",
    "pali sie na czerwono", "pali sie na pomaranczowo", "pali sie na zolto",
    "lampk* pali sie", "kontrolk* pali sie", "diod* pali sie", "swiatelk* pali sie", "ikon* pali sie",
    // flame failure is a boiler fault, not a fire
    "gasnie plomien", "plomien gasnie", "zgasl plomien", "plomien zgasl", "plomien nie", "brak ognia",
    "nie ma ognia", "zgasl ogien", "ogien zgasl", "wygasl ogien",
    // English "fire" as a verb (ignite) and fire-safety equipment
    "fire up", "fires up", "won t fire", "wont fire", "doesn t fire", "does not fire", "will not fire",
    "not fire", "fails to fire", "fail to fire", "fire damper*", "fire safety", "fire protection",
    "igniter sparks", "ignitor sparks", "ignition sparks",
    // periodic leak-tightness checks (F-gas regulation)
    "leak check*", "leak test*", "leak tightness", "leak inspection*", "kontrol* wyciek*",
  );
  return out;
}

/** Gas-leak wording, so the water-leak rule does not also claim "wyciek gazu" / "gas leak". */
const GAS_LEAK_PHRASES: readonly string[] = ["wyciek* gazu", "gas leak*", "leak* gas", "leak* of gas"];

const BLANK = "_"; // fold() never yields "_", so no phrase matches a blanked word

// Indexed on first use: PocketBase keeps a pool of JS VMs and each builds its own copy, and the
// routine-context set (hundreds of phrases) is needed only when a hazard word appears at all.
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value === undefined ? (value = make()) : value);
}
const SAFETY = once(() => new PhraseSet(SAFETY_PHRASES));
const NO_HEAT = once(() => new PhraseSet(NO_HEAT_PHRASES));
const WATER_LEAK = once(() => new PhraseSet(WATER_LEAK_PHRASES));
const ROUTINE = once(() => new PhraseSet(routinePhrases()));
const GAS_LEAK = once(() => new PhraseSet(GAS_LEAK_PHRASES));
/**
 * Every phrase of every text rule as one native regex: one call tells whether any rule can fire
 * at all, before the text is folded and split (most descriptions contain no rule phrase).
 */
const ANY_RULE = once(() => phraseRegExp([...SAFETY_PHRASES, ...NO_HEAT_PHRASES, ...WATER_LEAK_PHRASES]));

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

const COMMERCIAL_REPAIR: RuleMatch = {
  rule: "commercial_repair", atLeast: "high", reason: "Naprawa w obiekcie komercyjnym (SLA) → co najmniej wysoki",
};

/** Every rule that fires for a job description, strongest first. */
export function matchRules(input: PriorityInput): RuleMatch[] {
  const raw = `${input.title ?? ""} ${input.description ?? ""}`;
  const commercialRepair = input.type === "repair" && input.propertyType === "commercial";
  // Most descriptions contain no rule phrase at all: one native regex test, and done.
  if (!hasPhrase(ANY_RULE(), raw)) {
    return commercialRepair ? [COMMERCIAL_REPAIR] : [];
  }
  const text = words(raw);
  // Routine contexts only matter when a hazard word is there at all.
  const maybeHazard = SAFETY().find(text) !== undefined || WATER_LEAK().find(text) !== undefined;
  const hazardText = maybeHazard ? ROUTINE().blank(text, BLANK) : text;
  const out: RuleMatch[] = [];
  const safety = maybeHazard ? SAFETY().find(hazardText) : undefined;
  if (safety) {
    out.push({ rule: "safety", atLeast: "urgent", reason: `Zagrożenie bezpieczeństwa („${safety.replace(/\*/g, "")}”) → pilny` });
  }
  const noHeat = NO_HEAT().find(text);
  if (noHeat && isHeatingSeason(input.now)) {
    out.push({ rule: "no_heat", atLeast: "high", reason: `Brak ogrzewania w sezonie grzewczym („${noHeat.replace(/\*/g, "")}”) → co najmniej wysoki` });
  }
  const leak = maybeHazard ? WATER_LEAK().find(GAS_LEAK().blank(hazardText, BLANK)) : undefined;
  if (leak) {
    out.push({ rule: "water_leak", atLeast: "high", reason: `Wyciek wody („${leak.replace(/\*/g, "")}”) → co najmniej wysoki` });
  }
  if (commercialRepair) out.push(COMMERCIAL_REPAIR);
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
  for (let i = 0; i < matches.length; i++) priority = maxPriority(priority, matches[i].atLeast);
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
  if (!Number.isFinite(job.scheduledAtMs) || !Number.isFinite(nowMs)) return null;
  if (nowMs - job.scheduledAtMs < OVERDUE_AFTER_MS) return null;
  const priority = nextPriority(job.priority);
  const late = Math.floor((nowMs - job.scheduledAtMs) / 60_000);
  return {
    priority,
    reason: `Nierozpoczęte ${late} min po planowanym terminie → podniesiony z „${PRIORITY_LABEL_PL[job.priority]}” na „${PRIORITY_LABEL_PL[priority]}”`,
  };
}
