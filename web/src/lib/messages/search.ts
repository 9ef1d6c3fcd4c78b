// Texts of the global search box (GlobalSearch.svelte).
export const pl = {
  "search.label": "Szukaj",
  "search.placeholder": "Szukaj: zlecenia, klienci, faktury… (/)",
  "search.results": "Wyniki wyszukiwania",
  "search.none": "Nic nie znaleziono dla „{q}”",
  "search.searching": "Szukam…",
  "search.type.jobs": "Zlecenia",
  "search.type.contacts": "Klienci",
  "search.type.invoices": "Faktury",
  "search.type.photos": "Zdjęcia",
  "search.invoiceStatus.pending": "do sprawdzenia",
  "search.invoiceStatus.processed": "przetworzona",
  "search.invoiceStatus.paid": "zapłacona",
  "search.hint": "↑↓ wybór, Enter otwiera, Esc zamyka",
};

export const en: Record<keyof typeof pl, string> = {
  "search.label": "Search",
  "search.placeholder": "Search: jobs, customers, invoices… (/)",
  "search.results": "Search results",
  "search.none": "Nothing found for “{q}”",
  "search.searching": "Searching…",
  "search.type.jobs": "Jobs",
  "search.type.contacts": "Customers",
  "search.type.invoices": "Invoices",
  "search.type.photos": "Photos",
  "search.invoiceStatus.pending": "to check",
  "search.invoiceStatus.processed": "processed",
  "search.invoiceStatus.paid": "paid",
  "search.hint": "↑↓ choose, Enter opens, Esc closes",
};
