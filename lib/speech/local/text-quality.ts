/** A word or phrase said again and again in a row. */
export interface Repetition {
  /** The repeated words, normalised (lower case, no punctuation). */
  phrase: string;
  /** Words in the phrase. */
  size: number;
  /** How many times in a row it occurs. */
  count: number;
  /** Index of the first word of the run, in {@link normalizedWords} of the text. */
  at: number;
}

/** Lower-cased words without punctuation, for comparing texts. */
export function normalizedWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, " ")
    .split(/\s+/)
    .filter(Boolean);
}

/** Words in a text as a reader counts them. */
export function countWords(text: string): number {
  return normalizedWords(text).length;
}

/** The longest run (in words) of one phrase of 1 to `maxSize` words repeated back to back. */
export function findRepetition(words: readonly string[], maxSize = 40): Repetition | null {
  let best: Repetition | null = null;
  for (let size = 1; size <= maxSize; size++) {
    for (let at = 0; at + 2 * size <= words.length; at++) {
      let count = 1;
      while (at + (count + 1) * size <= words.length && sameRun(words, at, at + count * size, size)) count++;
      if (count > 1 && (!best || count * size > best.count * best.size)) {
        best = { phrase: words.slice(at, at + size).join(" "), size, count, at };
      }
      if (count > 1) at += (count - 1) * size;
    }
  }
  return best;
}

/**
 * True when a run of repeats is longer than people say: one word four times or more, a phrase of
 * two or more words three times or more. ("No, no, no." and "very very" stay.)
 */
export function isLoop(repetition: Repetition | null): boolean {
  if (!repetition) return false;
  return repetition.size === 1 ? repetition.count >= 4 : repetition.count >= 3;
}

/**
 * Cuts looping runs down to one occurrence, keeping the original spelling of what remains.
 * Used only when every decoding fallback still loops.
 */
export function collapseLoops(text: string): string {
  const tokens = text.split(/\s+/).filter(Boolean);
  let words = tokens.map((token) => normalizedWords(token).join(" "));
  let kept = tokens;
  for (;;) {
    const repetition = findRepetition(words.filter(Boolean));
    if (!isLoop(repetition) || !repetition) return kept.join(" ");
    // Map the run (counted over non-empty words) back to token positions.
    const positions = words.flatMap((word, index) => (word ? [index] : []));
    const from = positions[repetition.at + repetition.size]!;
    const to = positions[repetition.at + repetition.count * repetition.size - 1]!;
    kept = [...kept.slice(0, from), ...kept.slice(to + 1)];
    words = [...words.slice(0, from), ...words.slice(to + 1)];
  }
}

function sameRun(words: readonly string[], a: number, b: number, size: number): boolean {
  for (let i = 0; i < size; i++) if (words[a + i] !== words[b + i]) return false;
  return true;
}

/**
 * True for Whisper's sound labels rather than words: "[BLANK_AUDIO]", "(music)", "[Applause]",
 * "♪ ♪". They describe what was heard, so they never go into a transcript.
 */
export function isSoundLabel(text: string): boolean {
  const rest = text.replace(/\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|[♪♫♬]/gu, "");
  return rest !== text && normalizedWords(rest).length === 0;
}
