// Texts of the toasts (Toasts.svelte) and of the toasts the pages show.
export const pl = {
  "toasts.region": "Powiadomienia (Alt+T)",
  "toasts.dismiss": "Zamknij powiadomienie",
  "toasts.repeated": "(powtórzone {n} razy)",
  "toasts.otherFields": "Serwer nie przyjął danych spoza tego formularza:",
  "toasts.aboutJob": "„{title}”",
  "toasts.notesSaved": "Zapisano notatki: „{title}”",
  "toasts.ackError": "Nie udało się potwierdzić alarmu ({what}): {why}",
  "toasts.photoError": "Nie wysłano zdjęcia",
  "toasts.photoErrorOf": "Nie wysłano zdjęcia do „{title}”",
};

export const en: Record<keyof typeof pl, string> = {
  "toasts.region": "Notifications (Alt+T)",
  "toasts.dismiss": "Dismiss notification",
  "toasts.repeated": "(repeated {n} times)",
  "toasts.otherFields": "The server refused data this form does not show:",
  "toasts.aboutJob": "“{title}”",
  "toasts.notesSaved": "Notes saved: “{title}”",
  "toasts.ackError": "Could not acknowledge the alert ({what}): {why}",
  "toasts.photoError": "The photo was not sent",
  "toasts.photoErrorOf": "The photo for “{title}” was not sent",
};
