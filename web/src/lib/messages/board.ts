// The dispatch board's own texts (field refusals use the job page's, by error code).
export const pl = {
  "board.conflict": "Ktoś inny właśnie zmienił to zlecenie — tablica pokazuje już nową wersję, spróbuj ponownie.",
};

export const en: Record<keyof typeof pl, string> = {
  "board.conflict": "Someone else has just changed this job — the board already shows the new version; try again.",
};
