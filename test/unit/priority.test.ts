import { describe, it, expect } from "vitest";
import {
  decidePriority, matchRules, maxPriority, nextPriority, overdueEscalation, rank, OVERDUE_AFTER_MS,
  type PriorityInput, type PriorityRule,
} from "../../src/domain/priority";
import type { Priority } from "../../src/domain/types";

const WINTER = new Date("2026-01-15T10:00:00Z"); // heating season
const JUNE = new Date("2026-06-15T10:00:00Z"); // not heating season

function rulesFor(description: string, opts: Partial<PriorityInput> = {}): PriorityRule[] {
  return matchRules({ description, type: "maintenance", propertyType: "apartment", now: JUNE, ...opts }).map((m) => m.rule);
}

function decide(description: string, requested: Priority = "medium", opts: Partial<PriorityInput> = {}, chosen = false) {
  return decidePriority({ description, type: "maintenance", propertyType: "apartment", now: JUNE, ...opts }, requested, chosen);
}

describe("priority helpers", () => {
  it.each([
    ["low", 0], ["medium", 1], ["high", 2], ["urgent", 3], ["", -1], ["bogus", -1],
  ])("rank(%j) = %i", (p, r) => {
    expect(rank(p)).toBe(r);
  });

  it.each([
    ["low", "medium"], ["medium", "high"], ["high", "urgent"], ["urgent", "urgent"],
  ] as [Priority, Priority][])("nextPriority(%s) = %s", (p, next) => {
    expect(nextPriority(p)).toBe(next);
  });

  it.each([
    ["low", "urgent", "urgent"], ["urgent", "low", "urgent"], ["high", "medium", "high"], ["medium", "medium", "medium"],
  ] as [Priority, Priority, Priority][])("maxPriority(%s, %s) = %s", (a, b, m) => {
    expect(maxPriority(a, b)).toBe(m);
  });
});

describe("safety words -> urgent", () => {
  it.each([
    // Polish
    ["Zapach gazu w kuchni", "zapach gazu"],
    ["Czuć zapach gazu przy kotle", "zapach gazu"],
    ["ZAPACH GAZU", "zapach gazu"],
    ["zapach gazów z kotła", "zapach gaz"],
    ["Czuć gazem na klatce", "czuc gaz"],
    ["Śmierdzi gazem w łazience", "smierdzi gaz"],
    ["Ulatnia się gaz", "ulatnia sie gaz"],
    ["ulatnia sie gaz", "ulatnia sie gaz"],
    ["ULATNIA SIĘ GAZ przy kotle", "ulatnia sie gaz"],
    ["Gaz się ulatnia", "gaz sie ulatnia"],
    ["Wyciek gazu w piwnicy", "wyciek gazu"],
    ["Czad w mieszkaniu", "czad"],
    ["Czujnik czadu piszczy", "czad"],
    ["CZAD!", "czad"],
    ["Tlenek węgla - alarm", "tlen wegla"],
    ["Podejrzenie tlenku wegla", "tlen wegla"],
    ["Czujnik CO piszczy od rana", "czujnik co"],
    ["Alarm CO w kotłowni", "alarm co"],
    ["Z pieca leci dym", "dym"],
    ["Dużo dymu z kotła", "dymu"],
    ["Kocioł dymi", "dymi"],
    ["Piec dymił całą noc", "dymil"],
    ["Zadymiona kotłownia", "zadymi"],
    ["Pożar w kotłowni", "pozar"],
    ["POZAR", "pozar"],
    ["Podejrzenie pożaru instalacji", "pozaru"],
    ["Pali się przy kotle", "pali sie"],
    ["Ogień w obudowie kotła", "ogien"],
    ["Płomienie wychodzą z pieca", "plomienie"],
    ["Iskrzy przy sterowniku kotła", "iskrz"],
    ["Iskrzenie w skrzynce", "iskrz"],
    ["Zwarcie w sterowniku", "zwarci"],
    ["Czuć spaleniznę", "spalenizn"],
    ["Zapach spalin w łazience", "zapach spalin"],
    // English
    ["Gas smell in the boiler room", "gas smell"],
    ["I can smell gas", "smell gas"],
    ["It smells like gas in here", "smells like gas"],
    ["GAS LEAK in the basement", "gas leak"],
    ["Leaking gas from the pipe", "leaking gas"],
    ["Carbon monoxide alarm going off", "carbon monoxide"],
    ["CO alarm beeping", "co alarm"],
    ["CO detector went off", "co detector"],
    ["Smoke coming from the unit", "smoke"],
    ["Unit is smoking", "smoking"],
    ["Fire in the boiler room", "fire"],
    ["Flames from the burner", "flames"],
    ["Outlet sparking near the AC", "sparking"],
    ["Burning smell from the AC", "burning smell"],
  ])("%j -> urgent (%s)", (description, phrase) => {
    const d = decide(description, "medium");
    expect(d.priority).toBe("urgent");
    expect(d.rules).toContain("safety");
    expect(d.raised).toBe(true);
    expect(d.reason).toContain(`Zagrożenie bezpieczeństwa („${phrase}”) → pilny`);
  });

  it("finds safety words in the title too", () => {
    const d = decidePriority({ title: "ZAPACH GAZU", description: "", type: "inspection", propertyType: "house", now: JUNE }, "low", false);
    expect(d).toEqual({
      priority: "urgent",
      reason: "Zagrożenie bezpieczeństwa („zapach gazu”) → pilny",
      rules: ["safety"],
      raised: true,
    });
  });
});

describe("ordinary descriptions do not fire the safety rule", () => {
  it.each([
    "Przegląd kotła gazowego",
    "Przegląd gazowego kotła kondensacyjnego",
    "Montaż klimatyzacji",
    "Montaż klimatyzacji w sypialni",
    "gas boiler service",
    "Annual gas boiler service",
    "kominek / fireplace check",
    "Przegląd kominka",
    "co roku przegląd",
    "Co roku ten sam problem, co zrobić?",
    "Czyszczenie wymiennika co 2 lata",
    "Wymiana filtra",
    "Serwis pompy ciepła",
    "Przegląd przewodów dymowych i wentylacyjnych",
    "Sprawdzenie dymoszczelności",
    "Klapa dymowa w biurze",
    "Przegląd klap pożarowych",
    "Fire damper inspection",
    "Montaż czujnika czadu",
    "Montaż czujnika dymu w kuchni",
    "Wymiana czujnika CO",
    "Install a CO detector",
    "Smoke detector installation",
    "Na kotle pali się czerwona lampka",
    "Pali się kontrolka awarii",
    "Dioda pali się na czerwono",
    "Brak płomienia, błąd F28",
    "Kocioł gaśnie, zanik płomienia",
    "Czujnik płomienia do wymiany",
    "Boiler won't fire up",
    "Boiler does not fire",
    "Igniter sparks but no flame",
    "F-gas leak check",
    "Dwutlenek węgla - pomiar",
    "Gazomierz do legalizacji",
    "Spotkanie w sprawie oferty",
    "",
  ])("%j", (description) => {
    const rules = rulesFor(description);
    expect(rules).not.toContain("safety");
    expect(decide(description, "medium").priority).not.toBe("urgent");
  });

  it("a routine context does not hide a real hazard mentioned elsewhere", () => {
    expect(rulesFor("Montaż czujnika czadu - czuć gaz w kuchni")).toEqual(["safety"]);
    expect(rulesFor("Pali się lampka, a z pieca leci dym")).toEqual(["safety"]);
    expect(rulesFor("Brak płomienia i zapach gazu")).toEqual(["safety"]);
  });
});

describe("no heating in the heating season -> at least high", () => {
  it.each([
    "Brak ogrzewania",
    "brak ogrzewania od wczoraj",
    "Nie grzeje",
    "Kaloryfery nie grzeją",
    "NIE GRZEJE KALORYFER",
    "No heat in the office",
    "No heating since Monday",
    "Kocioł nie działa",
    "kociol nie dziala",
    "KOCIOŁ NIE DZIAŁA",
    "Piec gazowy nie działa",
    "Kocioł przestał działać",
    "Awaria kotła",
    "Zimne kaloryfery w całym domu",
    "Heating isn't working",
    "Boiler not working",
  ])("%j: high in January, no rule in June", (description) => {
    const winter = decide(description, "medium", { now: WINTER });
    expect(winter.priority).toBe("high");
    expect(winter.rules).toEqual(["no_heat"]);
    expect(winter.raised).toBe(true);
    expect(winter.reason).toContain("Brak ogrzewania w sezonie grzewczym");
    expect(winter.reason).toContain("→ co najmniej wysoki");

    const summer = decide(description, "medium", { now: JUNE });
    expect(summer.priority).toBe("medium");
    expect(summer.rules).toEqual([]);
    expect(summer.raised).toBe(false);
    expect(summer.reason).toBe("Priorytet domyślny: żadna reguła nie pasuje");
  });

  it.each([
    // [instant (UTC), Warsaw local time, in season?]
    ["2026-04-30T21:30:00Z", "30 Apr 23:30", true],
    ["2026-04-30T22:30:00Z", "1 May 00:30", false],
    ["2026-09-30T21:30:00Z", "30 Sep 23:30", false],
    ["2026-09-30T22:30:00Z", "1 Oct 00:30", true],
    ["2026-01-01T00:00:00Z", "1 Jan 01:00", true],
    ["2026-12-31T22:59:00Z", "31 Dec 23:59", true],
    ["2026-07-01T12:00:00Z", "1 Jul 14:00", false],
  ])("season boundary %s (%s Warsaw) -> %s", (iso, _local, season) => {
    const d = decide("Brak ogrzewania", "low", { now: new Date(iso) });
    expect(d.rules).toEqual(season ? ["no_heat"] : []);
    expect(d.priority).toBe(season ? "high" : "low");
  });

  it("does not lower an urgent request", () => {
    expect(decide("nie grzeje", "urgent", { now: WINTER }).priority).toBe("urgent");
  });
});

describe("water leak -> at least high", () => {
  it.each([
    ["Wyciek wody spod kotła", "wyciek"],
    ["wyciek", "wyciek"],
    ["Zalewa sąsiada z dołu", "zalewa"],
    ["Zalało łazienkę", "zalal"],
    ["Cieknie z grzejnika", "ciekn"],
    ["Ciekną grzejniki", "ciekn"],
    ["Przecieka zawór", "przeciek"],
    ["Kapie z klimatyzatora", "kapie"],
    ["Leci woda z kotła", "leci woda"],
    ["Water leak under the unit", "leak"],
    ["The unit is leaking", "leak"],
    ["Flooding in the plant room", "flood"],
  ])("%j -> high (%s)", (description, phrase) => {
    const d = decide(description, "low");
    expect(d.priority).toBe("high");
    expect(d.rules).toEqual(["water_leak"]);
    expect(d.raised).toBe(true);
    expect(d.reason).toBe(`Wyciek wody („${phrase}”) → co najmniej wysoki`);
  });

  it.each(["F-gas leak check", "Annual leak test of the AC", "Kontrola wycieków czynnika chłodniczego", "Kontrola szczelności instalacji"])(
    "periodic leak-tightness check %j is not a leak",
    (description) => {
      expect(rulesFor(description)).toEqual([]);
    },
  );

  it("a gas leak is a safety matter, not a water leak", () => {
    expect(rulesFor("Wyciek gazu w piwnicy")).toEqual(["safety"]);
    expect(rulesFor("Gas leak in the basement")).toEqual(["safety"]);
    expect(rulesFor("Wyciek gazu i wyciek wody")).toEqual(["safety", "water_leak"]);
  });
});

describe("commercial repair -> at least high", () => {
  it.each([
    ["repair", "commercial", "medium", "high", ["commercial_repair"]],
    ["repair", "commercial", "low", "high", ["commercial_repair"]],
    ["repair", "commercial", "urgent", "urgent", ["commercial_repair"]],
    ["repair", "apartment", "medium", "medium", []],
    ["repair", "house", "low", "low", []],
    ["maintenance", "commercial", "medium", "medium", []],
    ["installation", "commercial", "low", "low", []],
    ["inspection", "commercial", "medium", "medium", []],
  ] as [string, string, Priority, Priority, PriorityRule[]][])(
    "%s at %s, asked %s -> %s",
    (type, propertyType, requested, expected, rules) => {
      const d = decide("Wymiana filtra", requested, { type, propertyType });
      expect(d.priority).toBe(expected);
      expect(d.rules).toEqual(rules);
      expect(d.raised).toBe(expected !== requested);
      if (rules.length) expect(d.reason).toContain("Naprawa w obiekcie komercyjnym (SLA) → co najmniej wysoki");
    },
  );
});

describe("decidePriority never lowers and always explains", () => {
  it.each([
    // [description, requested, chosenByDispatcher, expected priority, raised, exact reason]
    ["Wyciek wody", "urgent", true, "urgent", false, "Wyciek wody („wyciek”) → co najmniej wysoki (dyspozytor już ustawił: pilny)"],
    ["Wyciek wody", "urgent", false, "urgent", false, "Wyciek wody („wyciek”) → co najmniej wysoki"],
    ["Wyciek wody", "high", true, "high", false, "Wyciek wody („wyciek”) → co najmniej wysoki (dyspozytor już ustawił: wysoki)"],
    ["Wyciek wody", "medium", true, "high", true, "Wyciek wody („wyciek”) → co najmniej wysoki"],
    ["Przegląd", "high", true, "high", false, "Priorytet ustawiony przez dyspozytora"],
    ["Przegląd", "low", true, "low", false, "Priorytet ustawiony przez dyspozytora"],
    ["Przegląd", "medium", false, "medium", false, "Priorytet domyślny: żadna reguła nie pasuje"],
    ["Zapach gazu", "urgent", true, "urgent", false, "Zagrożenie bezpieczeństwa („zapach gazu”) → pilny (dyspozytor już ustawił: pilny)"],
    ["Zapach gazu", "low", true, "urgent", true, "Zagrożenie bezpieczeństwa („zapach gazu”) → pilny"],
  ] as [string, Priority, boolean, Priority, boolean, string][])(
    "%j asked %s (dispatcher %s) -> %s",
    (description, requested, chosen, expected, raised, reason) => {
      const d = decide(description, requested, {}, chosen);
      expect(d.priority).toBe(expected);
      expect(d.raised).toBe(raised);
      expect(d.reason).toBe(reason);
    },
  );

  it("lists every rule that fired, strongest first, and joins their reasons", () => {
    const d = decidePriority(
      { description: "Brak ogrzewania, wyciek wody i zapach gazu", type: "repair", propertyType: "commercial", now: WINTER },
      "low",
      false,
    );
    expect(d.priority).toBe("urgent");
    expect(d.raised).toBe(true);
    expect(d.rules).toEqual(["safety", "no_heat", "water_leak", "commercial_repair"]);
    expect(d.reason).toBe(
      "Zagrożenie bezpieczeństwa („zapach gazu”) → pilny; " +
        "Brak ogrzewania w sezonie grzewczym („brak ogrzewania”) → co najmniej wysoki; " +
        "Wyciek wody („wyciek”) → co najmniej wysoki; " +
        "Naprawa w obiekcie komercyjnym (SLA) → co najmniej wysoki",
    );
  });

  it.each(["low", "medium", "high", "urgent"] as Priority[])("reason is never empty (requested %s)", (requested) => {
    for (const description of ["", "Przegląd", "Wyciek", "Czad", "Brak ogrzewania"]) {
      for (const chosen of [true, false]) {
        const d = decide(description, requested, { now: WINTER }, chosen);
        expect(d.reason.length).toBeGreaterThan(0);
        expect(rank(d.priority)).toBeGreaterThanOrEqual(rank(requested));
      }
    }
  });
});

describe("overdueEscalation", () => {
  const T = Date.UTC(2026, 0, 15, 8, 0, 0);
  const H = 60 * 60 * 1000;
  const M = 60 * 1000;
  const job = (over: Partial<{ status: string; priority: Priority; scheduledAtMs: number; alreadyEscalated: boolean }> = {}) => ({
    status: "scheduled",
    priority: "medium" as Priority,
    scheduledAtMs: T,
    alreadyEscalated: false,
    ...over,
  });

  it("OVERDUE_AFTER_MS is two hours", () => {
    expect(OVERDUE_AFTER_MS).toBe(2 * H);
  });

  it.each([
    // [case, job overrides, now, expected priority or null]
    ["exactly 2h late", {}, T + 2 * H, "high"],
    ["3h late", {}, T + 3 * H, "high"],
    ["low, 2h late", { priority: "low" }, T + 2 * H, "medium"],
    ["high, 2h late", { priority: "high" }, T + 2 * H, "urgent"],
    ["urgent stays urgent", { priority: "urgent" }, T + 5 * H, "urgent"],
    ["1h59m late", {}, T + 2 * H - M, null],
    ["1 ms short", {}, T + 2 * H - 1, null],
    ["not yet due", {}, T - H, null],
    ["already escalated", { alreadyEscalated: true }, T + 5 * H, null],
    ["pending", { status: "pending" }, T + 5 * H, null],
    ["in_progress", { status: "in_progress" }, T + 5 * H, null],
    ["completed", { status: "completed" }, T + 5 * H, null],
    ["cancelled", { status: "cancelled" }, T + 5 * H, null],
    ["NaN scheduled date", { scheduledAtMs: NaN }, T + 5 * H, null],
    ["infinite scheduled date", { scheduledAtMs: -Infinity }, T + 5 * H, null],
    ["NaN now", {}, NaN, null],
  ] as [string, object, number, Priority | null][])("%s -> %s", (_case, over, now, expected) => {
    const r = overdueEscalation(job(over), now);
    if (expected === null) expect(r).toBeNull();
    else expect(r?.priority).toBe(expected);
  });

  it("explains how late the job is and the change", () => {
    expect(overdueEscalation(job({ priority: "high" }), T + 2 * H + 30 * M + 59_000)).toEqual({
      priority: "urgent",
      reason: "Nierozpoczęte 150 min po planowanym terminie → podniesiony z „wysoki” na „pilny”",
    });
    expect(overdueEscalation(job({ priority: "low" }), T + 2 * H)?.reason).toBe(
      "Nierozpoczęte 120 min po planowanym terminie → podniesiony z „niski” na „średni”",
    );
  });
});
