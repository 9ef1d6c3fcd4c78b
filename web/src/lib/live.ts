// Realtime plumbing shared by the live pages.
import { ClientResponseError } from "$client";
import { localizedFieldErrors } from "$domain/jobview";

/**
 * A page's unsubscribe functions, all released when the page goes - also those whose subscribe
 * call only resolves after it went (a slow connection), which would otherwise listen forever.
 */
export function pageSubscriptions(): { keep: (u: () => Promise<void>) => void; close: () => void } {
  let closed = false;
  const list: (() => Promise<void>)[] = [];
  return {
    keep(u) {
      if (closed) void u();
      else list.push(u);
    },
    close() {
      closed = true;
      for (const u of list.splice(0)) void u();
    },
  };
}

/** A job save's field errors in the UI's words (the job page's texts, by the server's error code). */
export function jobFieldErrors(err: unknown, t: (key: string) => string): Record<string, string> {
  return err instanceof ClientResponseError ? localizedFieldErrors(err.response?.data, "jobpage.err", t, t("error.field.invalid")) : {};
}
