// The dispatch board's refusals, by the server's error code and field.
export const pl = {
  "board.conflict": "Ktoś inny właśnie zmienił to zlecenie — tablica pokazuje już nową wersję, spróbuj ponownie.",
  "board.refused.required_for_status.technicianId": "Zlecenie w tym statusie musi mieć technika.",
  "board.refused.required_for_status.scheduledDate": "Zlecenie w tym statusie musi mieć termin.",
  "board.refused.invalid_transition.status": "Tej zmiany statusu nie można wykonać z obecnego statusu.",
  "board.refused.not_a_technician.technicianId": "Wybrana osoba nie jest technikiem.",
};

export const en: Record<keyof typeof pl, string> = {
  "board.conflict": "Someone else has just changed this job — the board already shows the new version; try again.",
  "board.refused.required_for_status.technicianId": "A job in this status needs a technician.",
  "board.refused.required_for_status.scheduledDate": "A job in this status needs a date.",
  "board.refused.invalid_transition.status": "This status change is not possible from the current status.",
  "board.refused.not_a_technician.technicianId": "The chosen person is not a technician.",
};
