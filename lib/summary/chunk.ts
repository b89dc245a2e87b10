/**
 * Cuts text into pieces of at most `maxChars`, at sentence ends where possible (then at spaces),
 * so each piece fits a model's context.
 */
export function chunkText(text: string, maxChars: number): string[] {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= maxChars) return clean ? [clean] : [];
  const chunks: string[] = [];
  let start = 0;
  while (start < clean.length) {
    let end = Math.min(clean.length, start + maxChars);
    if (end < clean.length) {
      const window = clean.slice(start, end);
      const sentenceEnd = Math.max(
        window.lastIndexOf(". "),
        window.lastIndexOf("? "),
        window.lastIndexOf("! "),
      );
      const space = window.lastIndexOf(" ");
      if (sentenceEnd > maxChars * 0.5) end = start + sentenceEnd + 1;
      else if (space > maxChars * 0.5) end = start + space;
    }
    chunks.push(clean.slice(start, end).trim());
    start = end;
  }
  return chunks.filter(Boolean);
}
