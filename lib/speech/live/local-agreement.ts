import { normalizedWords } from "../local/text-quality";

/** A word of a hypothesis, with times in seconds from the start of the stream. */
export interface TimedWord {
  text: string;
  start: number;
  end: number;
}

/** What the live transcript shows after a decode: words confirmed for good, and the rest. */
export interface Agreement {
  /** Words confirmed by this decode (to append to everything confirmed before). */
  confirmed: TimedWord[];
  /** The words after them: the current guess, shown lighter, replaced by the next decode. */
  tentative: TimedWord[];
}

/** Up to this many words at the start of a hypothesis may repeat the end of what is confirmed. */
const MAX_OVERLAP_WORDS = 5;

/**
 * The local-agreement rule of streaming Whisper (as in whisper_streaming's HypothesisBuffer): the
 * open audio is decoded again and again as it grows, and a word is confirmed once two decodes in a
 * row agree on it and on every word before it. Confirmed words never change, so the text on
 * screen does not flicker; the words after them are a guess until the next decode.
 */
export class LocalAgreement {
  private confirmedEnd = 0;
  private confirmedTail: string[] = [];
  private confirmedAll: TimedWord[] = [];
  private previous: TimedWord[] = [];

  /** Feeds the words of a new decode of the open audio; returns what it confirms. */
  insert(hypothesis: readonly TimedWord[]): Agreement {
    const fresh = this.dropConfirmed(hypothesis);
    const confirmed: TimedWord[] = [];
    let index = 0;
    while (
      index < fresh.length &&
      index < this.previous.length &&
      sameWord(fresh[index]!.text, this.previous[index]!.text)
    ) {
      confirmed.push(fresh[index]!);
      index++;
    }
    this.previous = fresh.slice(index);
    this.remember(confirmed);
    return { confirmed, tentative: this.previous };
  }

  /** Everything confirmed so far, in order. */
  get confirmedWords(): readonly TimedWord[] {
    return this.confirmedAll;
  }

  private remember(words: readonly TimedWord[]): void {
    if (words.length === 0) return;
    this.confirmedEnd = Math.max(this.confirmedEnd, words.at(-1)!.end);
    this.confirmedAll.push(...words);
    this.confirmedTail = [...this.confirmedTail, ...words.map((word) => word.text)].slice(-MAX_OVERLAP_WORDS);
  }

  /**
   * The words of a hypothesis not confirmed yet: those that end after the confirmed audio, less a
   * head that repeats the confirmed tail (a decode that re-hears the last confirmed words).
   */
  private dropConfirmed(hypothesis: readonly TimedWord[]): TimedWord[] {
    const after = hypothesis.filter((word) => word.end > this.confirmedEnd + 0.05);
    if (after.length === 0 || this.confirmedTail.length === 0) return after;
    const first = after[0]!;
    if (first.start > this.confirmedEnd + 1) return after;
    for (let size = Math.min(MAX_OVERLAP_WORDS, this.confirmedTail.length, after.length); size > 0; size--) {
      const tail = this.confirmedTail.slice(-size);
      const head = after.slice(0, size).map((word) => word.text);
      if (tail.every((text, index) => sameWord(text, head[index]!))) return after.slice(size);
    }
    return after;
  }
}

/** Case and punctuation aside, as a reader compares words. */
export function sameWord(a: string, b: string): boolean {
  return normalizedWords(a).join(" ") === normalizedWords(b).join(" ");
}

/**
 * Splits segments into words with times spread over each segment by length (the decoder gives
 * times per segment, not per word).
 */
export function wordsOf(segments: ReadonlyArray<{ start: number; end: number; text: string }>): TimedWord[] {
  const words: TimedWord[] = [];
  for (const segment of segments) {
    const texts = segment.text.split(/\s+/).filter(Boolean);
    const total = texts.reduce((sum, text) => sum + text.length + 1, 0);
    let at = segment.start;
    for (const text of texts) {
      const end = at + ((segment.end - segment.start) * (text.length + 1)) / Math.max(1, total);
      words.push({ text, start: round(at), end: round(end) });
      at = end;
    }
  }
  return words;
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
