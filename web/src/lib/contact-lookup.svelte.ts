// Contacts as you type (name, phone, street, e-mail; the rules in $domain/intake), 200 ms after
// the last key; only the answer to the latest request is shown. Shared by call intake's search and
// the F-gas register's customer picker.
import { contactQuery, matchesContact, SEARCH_LIMIT } from "$domain/intake";
import type { ContactRecord } from "$domain/types";
import { errorText } from "$lib/errors";
import { pb } from "$lib/session.svelte";

const DEBOUNCE_MS = 200;

export class ContactLookup {
  query = $state("");
  results = $state<ContactRecord[]>([]);
  /** The query the shown results belong to ("" = nothing searched yet). */
  searched = $state("");
  loading = $state(false);
  problem = $state("");
  #timer: ReturnType<typeof setTimeout> | undefined;
  #seq = 0;

  /** Call on every input event. */
  typed(): void {
    clearTimeout(this.#timer);
    const q = this.query;
    if (!contactQuery(q)) {
      this.#seq++;
      this.results = [];
      this.searched = "";
      this.loading = false;
      return;
    }
    this.loading = true;
    this.#timer = setTimeout(() => void this.search(q), DEBOUNCE_MS);
  }

  /** Searches now (Enter before the debounce ran out). */
  searchNow(): void {
    if (!contactQuery(this.query)) return;
    clearTimeout(this.#timer);
    void this.search(this.query);
  }

  /** Whether the shown results answer what is typed now. */
  get current(): boolean {
    return this.results.length > 0 && this.searched === this.query;
  }

  clear(): void {
    this.stop();
    this.query = "";
    this.results = [];
    this.searched = "";
    this.loading = false;
    this.problem = "";
  }

  /** Drops a pending search (the component is going away). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#seq++;
  }

  private async search(q: string): Promise<void> {
    const spec = contactQuery(q);
    if (!spec) return;
    const mine = ++this.#seq;
    this.loading = true;
    try {
      // Twice the limit: loose phone-digit hits are dropped below.
      const page = await pb.collection("contacts").getList<ContactRecord>(1, SEARCH_LIMIT * 2, {
        filter: pb.filter(spec.filter, spec.params),
        sort: "name",
        skipTotal: true,
      });
      if (mine !== this.#seq) return;
      this.results = page.items.filter((c) => matchesContact(c, q)).slice(0, SEARCH_LIMIT);
      this.searched = q;
      this.problem = "";
    } catch (err) {
      if (mine !== this.#seq) return;
      this.results = [];
      this.problem = errorText(err);
    } finally {
      if (mine === this.#seq) this.loading = false;
    }
  }
}
