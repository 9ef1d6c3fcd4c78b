// What the dashboard's global search box shows for an answer of GET /api/hvac/search: where each
// hit leads, and the snippet cut into plain and marked parts (rendered as text, never as HTML).
import type { SearchType } from "./search";

export interface SearchItem {
  type: SearchType;
  id: string;
  title: string;
  /** [start, end) ranges of `title` that matched. */
  titleMarks?: Array<[number, number]>;
  snippet: { text: string; marks: Array<[number, number]> };
  details: Record<string, unknown>;
}

export interface SearchAnswer {
  items: SearchItem[];
  query: string[];
  /** Which engine found the hits: "fts5" (embedded) or "weaviate" (when WEAVIATE_URL is set). */
  source: string;
  /** Why FTS5 answered although Weaviate is configured (e.g. "http 503: ..."); absent otherwise. */
  fallback?: string;
}

/** The dashboard page of a hit; a photo opens its job (photos have no page of their own). */
export function hitHref(item: SearchItem): string | null {
  switch (item.type) {
    case "jobs":
      return `/jobs/${item.id}`;
    case "contacts":
      return `/contacts/${item.id}`;
    case "invoices":
      return `/invoices/${item.id}`;
    case "photos": {
      const job = item.details?.jobId;
      return typeof job === "string" && job ? `/jobs/${job}` : null;
    }
  }
  return null;
}

export interface SnippetPart {
  text: string;
  mark: boolean;
}

/** The snippet as consecutive parts; bad or overlapping ranges are ignored, never thrown on. */
export function snippetParts(snippet: { text: string; marks: Array<[number, number]> } | null | undefined): SnippetPart[] {
  const text = String(snippet?.text ?? "");
  const marks = Array.isArray(snippet?.marks) ? snippet!.marks : [];
  const parts: SnippetPart[] = [];
  let at = 0;
  for (const m of marks) {
    if (!Array.isArray(m)) continue;
    const [a, b] = m;
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < at || b <= a || b > text.length) continue;
    if (a > at) parts.push({ text: text.slice(at, a), mark: false });
    parts.push({ text: text.slice(a, b), mark: true });
    at = b;
  }
  if (at < text.length) parts.push({ text: text.slice(at), mark: false });
  return parts;
}

/** Hits grouped by type in a fixed order, keeping the ranking inside each group. */
export function groupHits(items: readonly SearchItem[]): Array<{ type: SearchType; items: SearchItem[] }> {
  const order: SearchType[] = ["jobs", "contacts", "invoices", "photos"];
  return order
    .map((type) => ({ type, items: items.filter((i) => i.type === type) }))
    .filter((g) => g.items.length > 0);
}
