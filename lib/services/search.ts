/** A piece of transcript text around the first match, with the matched spans. */
export interface Snippet {
  snippet: string;
  /** `[start, end)` offsets into `snippet`. */
  matches: Array<[number, number]>;
}

const SNIPPET_RADIUS = 90;

/** Lower-cases and strips accents one UTF-16 unit at a time, so offsets stay aligned with the source. */
export function foldText(text: string): string {
  let out = "";
  for (const char of text) {
    const folded = char
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
    out +=
      folded.length === char.length
        ? folded
        : char.toLowerCase().length === char.length
          ? char.toLowerCase()
          : char;
  }
  return out;
}

/** Splits a query into folded terms (at most 8, each at least one character). */
export function parseQuery(query: string): string[] {
  return [...new Set(foldText(query).split(/\s+/).filter(Boolean))].slice(0, 8);
}

/** True when every term occurs in the title or the text. */
export function matchesAll(terms: string[], title: string, text: string): boolean {
  const haystack = `${foldText(title)}\n${foldText(text)}`;
  return terms.every((term) => haystack.includes(term));
}

/** A snippet of `text` around the first occurrence of any term, with every term occurrence marked. */
export function buildSnippet(terms: string[], text: string): Snippet {
  const folded = foldText(text);
  const hits = terms
    .map((term) => ({ at: folded.indexOf(term), length: term.length }))
    .filter((hit) => hit.at >= 0)
    .sort((a, b) => a.at - b.at);
  const center = hits[0]?.at ?? 0;
  const centerEnd = center + (hits[0]?.length ?? 0);
  let start = Math.max(0, center - SNIPPET_RADIUS);
  let end = Math.min(text.length, Math.max(centerEnd, center + SNIPPET_RADIUS * 2));
  // Snap to word boundaries only where that keeps the first match inside the window.
  if (start > 0) {
    const space = text.indexOf(" ", start);
    if (space >= 0 && space < center) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    if (space >= centerEnd && space > start) end = space;
  }
  const prefix = start > 0 ? "…" : "";
  const suffix = end < text.length ? "…" : "";
  const window = folded.slice(start, end);
  const matches: Array<[number, number]> = [];
  for (const term of terms) {
    for (let at = window.indexOf(term); at >= 0; at = window.indexOf(term, at + term.length)) {
      matches.push([prefix.length + at, prefix.length + at + term.length]);
    }
  }
  matches.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const match of matches) {
    const last = merged.at(-1);
    if (last && match[0] <= last[1]) last[1] = Math.max(last[1], match[1]);
    else merged.push([...match]);
  }
  return { snippet: prefix + text.slice(start, end) + suffix, matches: merged };
}
