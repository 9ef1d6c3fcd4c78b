// Polish by default, English on request; the choice is kept in localStorage.
export type Lang = "pl" | "en";

const pl = {
  appName: "HVAC CRM",
  login: "Logowanie",
  email: "E-mail",
  password: "Hasło",
  signIn: "Zaloguj się",
  signingIn: "Logowanie…",
  logout: "Wyloguj",
  switchLang: "English",
  board: "Tablica zleceń",
  myJobs: "Moje zlecenia",
  unassigned: "Nieprzydzielone",
  day: "Dzień",
  today: "Dziś",
  prevDay: "Poprzedni dzień",
  nextDay: "Następny dzień",
  filters: "Filtry",
  district: "Dzielnica",
  status: "Status",
  priority: "Priorytet",
  type: "Typ",
  all: "Wszystkie",
  loading: "Ładowanie…",
  noJobs: "Brak zleceń",
  assign: "Przydziel",
  technician: "Technik",
  time: "Godzina",
  save: "Zapisz",
  cancel: "Anuluj",
  start: "Rozpocznij",
  complete: "Zakończ",
  actualDuration: "Czas pracy (min)",
  notes: "Notatki",
  navigate: "Nawiguj",
  live: "Na żywo",
  offline: "Brak połączenia na żywo",
  wrongLogin: "Nieprawidłowy e-mail lub hasło.",
  noRole: "To konto nie ma roli w systemie.",
  error: "Błąd",
  saved: "Zapisano",
  dropHere: "Upuść tutaj",
  jobsCount: "zleceń",
  "status.pending": "oczekujące",
  "status.scheduled": "zaplanowane",
  "status.in_progress": "w trakcie",
  "status.completed": "zakończone",
  "status.cancelled": "anulowane",
  "priority.low": "niski",
  "priority.medium": "średni",
  "priority.high": "wysoki",
  "priority.urgent": "pilny",
  "type.installation": "montaż",
  "type.maintenance": "serwis",
  "type.repair": "naprawa",
  "type.inspection": "przegląd",
};

type Key = keyof typeof pl;

const en: Record<Key, string> = {
  appName: "HVAC CRM",
  login: "Sign in",
  email: "Email",
  password: "Password",
  signIn: "Sign in",
  signingIn: "Signing in…",
  logout: "Log out",
  switchLang: "Polski",
  board: "Dispatch board",
  myJobs: "My jobs",
  unassigned: "Unassigned",
  day: "Day",
  today: "Today",
  prevDay: "Previous day",
  nextDay: "Next day",
  filters: "Filters",
  district: "District",
  status: "Status",
  priority: "Priority",
  type: "Type",
  all: "All",
  loading: "Loading…",
  noJobs: "No jobs",
  assign: "Assign",
  technician: "Technician",
  time: "Time",
  save: "Save",
  cancel: "Cancel",
  start: "Start",
  complete: "Complete",
  actualDuration: "Time worked (min)",
  notes: "Notes",
  navigate: "Navigate",
  live: "Live",
  offline: "Live updates disconnected",
  wrongLogin: "Wrong email or password.",
  noRole: "This account has no role in the system.",
  error: "Error",
  saved: "Saved",
  dropHere: "Drop here",
  jobsCount: "jobs",
  "status.pending": "pending",
  "status.scheduled": "scheduled",
  "status.in_progress": "in progress",
  "status.completed": "completed",
  "status.cancelled": "cancelled",
  "priority.low": "low",
  "priority.medium": "medium",
  "priority.high": "high",
  "priority.urgent": "urgent",
  "type.installation": "installation",
  "type.maintenance": "maintenance",
  "type.repair": "repair",
  "type.inspection": "inspection",
};

const DICTS: Record<Lang, Record<Key, string>> = { pl, en };
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
export function t(key: Key | string): string {
  return (DICTS[lang] as Record<string, string>)[key] ?? key;
}

/** "wtorek, 24 listopada 2026" / "Tuesday, 24 November 2026" for a Warsaw day key. */
export function formatDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Intl.DateTimeFormat(lang === "pl" ? "pl-PL" : "en-GB", {
    weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** Money as the owner reads it: "1 234,50 zł". */
export function formatPln(amount: number): string {
  return new Intl.NumberFormat(lang === "pl" ? "pl-PL" : "en-GB", { style: "currency", currency: "PLN" }).format(amount);
}
