// Polish by default, English on request; the choice is kept in localStorage. Texts live in
// ./messages/*.ts (one file per feature, each exporting `pl` and `en` with the same keys).
export type Lang = "pl" | "en";

type Dict = Record<string, string>;
const files = import.meta.glob<{ pl: Dict; en: Dict }>("./messages/*.ts", { eager: true });
const pl: Dict = {};
const en: Dict = {};
for (const m of Object.values(files)) {
  Object.assign(pl, m.pl);
  Object.assign(en, m.en);
}

const DICTS: Record<Lang, Dict> = { pl, en };
const STORAGE_KEY = "hvac.lang";

function initial(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "pl";
  } catch {
    return "pl";
  }
}

let lang = $state<Lang>(initial());

export const i18n = {
  get lang(): Lang {
    return lang;
  },
  set(next: Lang): void {
    lang = next;
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
    document.documentElement.lang = next;
  },
  toggle(): void {
    this.set(lang === "pl" ? "en" : "pl");
  },
};

/** The UI text for a key in the current language (falls back to the key itself). */
export function t(key: string): string {
  return DICTS[lang][key] ?? key;
}

/** "wtorek, 24 listopada 2026" / "Tuesday, 24 November 2026" for a Warsaw day key. */
export function formatDay(day: string): string {
  const [y, m, d] = String(day).split("-").map(Number);
  if (!Number.isFinite(Date.UTC(y, m - 1, d))) return ""; // a cleared date picker
  return new Intl.DateTimeFormat(lang === "pl" ? "pl-PL" : "en-GB", {
    weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** Money as the owner reads it: "1 234,50 zł". */
export function formatPln(amount: number): string {
  return new Intl.NumberFormat(lang === "pl" ? "pl-PL" : "en-GB", { style: "currency", currency: "PLN" }).format(amount);
}
