/** A stretch of transcript with its times in seconds, as engines return segments. */
export interface TimedText {
  start: number;
  end: number;
  text: string;
}

/** What {@link checkCoverage} needs of a piece of audio (a `StressPiece` fits). */
export interface TimedPiece {
  start: number;
  end: number;
  partial?: boolean;
}

/** Options for {@link checkCoverage}. */
export interface CoverageOptions {
  /**
   * Seconds by which a piece's span is widened on both sides before segments are compared with
   * it, since segment times are approximate. Default 0.3.
   */
  toleranceSec?: number;
  /** Share of the piece's duration that segments must overlap for it to count as covered. Default 0.5. */
  minCoveredRatio?: number;
}

/** How much transcript lies over one piece. */
export interface PieceCoverage<P extends TimedPiece = TimedPiece> {
  piece: P;
  /** Seconds of the (widened) piece overlapped by segments with text, overlaps counted once. */
  coveredSec: number;
  /** `coveredSec` over the piece's own duration, at most 1. */
  ratio: number;
  covered: boolean;
}

/** Result of {@link checkCoverage}: every full piece, and those the transcript missed. */
export interface CoverageReport<P extends TimedPiece = TimedPiece> {
  pieces: PieceCoverage<P>[];
  uncovered: PieceCoverage<P>[];
}

/**
 * Checks that transcript segments lie over every piece of audio that is not `partial`: a piece
 * is covered when segments with non-blank text overlap at least `minCoveredRatio` of its
 * duration (its span widened by `toleranceSec`). Partial pieces are left out, since how much of
 * a cut-off sentence an engine should transcribe is not defined.
 */
export function checkCoverage<P extends TimedPiece>(
  pieces: readonly P[],
  segments: readonly TimedText[],
  options: CoverageOptions = {},
): CoverageReport<P> {
  const tolerance = options.toleranceSec ?? 0.3;
  const minRatio = options.minCoveredRatio ?? 0.5;
  const spans = segments
    .filter((segment) => segment.text.trim() !== "" && segment.end > segment.start)
    .map((segment) => [segment.start, segment.end] as const)
    .sort((a, b) => a[0] - b[0]);
  const results = pieces
    .filter((piece) => !piece.partial)
    .map((piece): PieceCoverage<P> => {
      const from = piece.start - tolerance;
      const to = piece.end + tolerance;
      let coveredSec = 0;
      let reached = from;
      for (const [start, end] of spans) {
        if (start >= to) break;
        const overlapStart = Math.max(start, reached);
        const overlapEnd = Math.min(end, to);
        if (overlapEnd > overlapStart) {
          coveredSec += overlapEnd - overlapStart;
          reached = overlapEnd;
        }
      }
      const duration = piece.end - piece.start;
      const ratio = duration > 0 ? Math.min(1, coveredSec / duration) : coveredSec > 0 ? 1 : 0;
      return { piece, coveredSec, ratio, covered: coveredSec > 0 && ratio >= minRatio };
    });
  return { pieces: results, uncovered: results.filter((result) => !result.covered) };
}

/** Lower-cases and splits into words, dropping punctuation (apostrophes stay inside words). */
export function splitWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}']+/gu, " ")
    .split(" ")
    .map((word) => word.replace(/^'+|'+$/g, ""))
    .filter(Boolean);
}

/** Number of words in `text`, counted as {@link splitWords} splits them. */
export function countWords(text: string): number {
  return splitWords(text).length;
}

/** A word or n-gram said several times in a row. */
export interface Repetition {
  /** The repeated words, normalised as {@link splitWords} returns them, joined by spaces. */
  ngram: string;
  n: number;
  /** How many times in a row it occurs (at least 2). */
  repeats: number;
  /** Words the run spans: `n * repeats`. */
  words: number;
  /** Index of the run's first word among the text's words. */
  startWord: number;
}

/**
 * Finds the longest run of a word or n-gram (n = 1..`maxN`) repeated back to back, the mark
 * of a decoder stuck in a loop. Runs are ranked by the words they span, then by repeats (so
 * "no no no no" is one word four times, not "no no" twice). Returns null when nothing repeats.
 */
export function findRepetition(text: string, maxN = 8): Repetition | null {
  const words = splitWords(text);
  let best: Repetition | null = null;
  for (let n = 1; n <= maxN; n++) {
    // A run of `length` consecutive positions where words[i] === words[i + n] means the
    // stretch of `length + n` words has period n.
    let runStart = 0;
    let length = 0;
    for (let i = 0; i + n <= words.length; i++) {
      const same = i + n < words.length && words[i] === words[i + n];
      if (same) {
        if (length === 0) runStart = i;
        length++;
        continue;
      }
      const repeats = Math.floor((length + n) / n);
      if (length > 0 && repeats >= 2) {
        const candidate: Repetition = {
          ngram: words.slice(runStart, runStart + n).join(" "),
          n,
          repeats,
          words: n * repeats,
          startWord: runStart,
        };
        if (
          !best ||
          candidate.words > best.words ||
          (candidate.words === best.words && candidate.repeats > best.repeats)
        ) {
          best = candidate;
        }
      }
      length = 0;
    }
  }
  return best;
}
