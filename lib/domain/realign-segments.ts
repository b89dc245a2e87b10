/**
 * Keeps timed segments in step with an edited transcript text. Pure and free of server
 * dependencies: the service uses it when a save brings text only, the editor to show the
 * segments as they will be saved.
 */
import type { Segment } from "@/lib/domain/transcript";

/** Appended text becomes a segment of its own when at least this much audio follows the last one. */
const MIN_TRAILING_AUDIO_SEC = 1;

/**
 * Past this many inserted plus deleted words between the unchanged start and end of the text,
 * the differing middle is treated as one replaced block (bounds the diff's time and memory).
 */
const MAX_EDIT_DISTANCE = 2000;

/** The words of a text: its runs of non-whitespace, punctuation attached. */
export function splitWords(text: string): string[] {
  return text.match(/\S+/g) ?? [];
}

/** A text with every run of whitespace turned into one space and no space at either end. */
export function normalizeWhitespace(text: string): string {
  return splitWords(text).join(" ");
}

/**
 * True when the segments spell out `text`: their texts joined with spaces equal `text` once
 * whitespace is normalised (any run of spaces or line breaks counts as one space) and both are
 * in Unicode NFC.
 */
export function segmentsMatchText(segments: readonly Segment[], text: string): boolean {
  const joined = normalizeWhitespace(segments.map((segment) => segment.text).join(" "));
  return joined.normalize("NFC") === normalizeWhitespace(text).normalize("NFC");
}

/**
 * Makes `segments` (the timed segments of the previous text) follow an edited `text`, with a
 * word-level diff between the segments' words and the text's words. Words are compared without
 * case and punctuation, so a corrected capital or comma keeps its word's place.
 *
 * - Unchanged words stay in their segment; a segment whose words are all unchanged is returned
 *   as it was (same object).
 * - Replaced words go to the segments of the words they replace, spread in order when those
 *   span several segments.
 * - Inserted words join the segment of the word before them (the first segment at the start).
 *   Words appended after the last word join the last segment, or become a new final segment
 *   from its end to `durationSec` when at least a second of audio follows it.
 * - Deleted words disappear, and a segment left without words disappears with them.
 * - Segments keep their times and speaker; without any previous words, the whole text is one
 *   segment from 0 to `durationSec`.
 *
 * Segment texts are the edited text's own words joined with single spaces. Guarantees: the
 * segments' texts joined with spaces equal `text` with whitespace normalised; starts never
 * decrease, each end is at or after its start, and times lie within [0, durationSec] (when
 * `durationSec` is positive).
 */
export function realignSegments(segments: readonly Segment[], text: string, durationSec: number): Segment[] {
  const newWords = splitWords(text);
  if (newWords.length === 0) return [];

  const oldWords: string[] = [];
  const oldOwner: number[] = [];
  const oldCounts = segments.map((segment, index) => {
    const words = splitWords(segment.text);
    for (const word of words) {
      oldWords.push(word);
      oldOwner.push(index);
    }
    return words.length;
  });
  const limit = Number.isFinite(durationSec) && durationSec > 0 ? durationSec : Number.POSITIVE_INFINITY;

  if (oldWords.length === 0) {
    const end = Number.isFinite(limit)
      ? limit
      : segments.reduce((max, segment) => Math.max(max, segment.end), 0);
    return [{ start: 0, end: Number.isFinite(end) ? end : 0, text: newWords.join(" ") }];
  }

  const lastIndex = oldOwner[oldWords.length - 1]!;
  const trailingSegment =
    Number.isFinite(limit) && limit - segments[lastIndex]!.end >= MIN_TRAILING_AUDIO_SEC;
  // Segment index of each new word; `segments.length` stands for a new final segment.
  const owner = new Array<number>(newWords.length);

  const assignGap = (i0: number, i1: number, j0: number, j1: number) => {
    const inserted = j1 - j0;
    if (inserted === 0) return;
    const replaced = i1 - i0;
    for (let k = 0; k < inserted; k++) {
      if (replaced > 0) owner[j0 + k] = oldOwner[i0 + Math.floor((k * replaced) / inserted)]!;
      else if (i0 === 0) owner[j0 + k] = oldOwner[0]!;
      else if (i0 === oldWords.length && trailingSegment) owner[j0 + k] = segments.length;
      else owner[j0 + k] = oldOwner[i0 - 1]!;
    }
  };

  const matchOfOld = alignWords(oldWords.map(wordKey), newWords.map(wordKey), oldOwner);

  let i = 0;
  let j = 0;
  matchOfOld.forEach((matchedNew, matchedOld) => {
    if (matchedNew < 0) return;
    assignGap(i, matchedOld, j, matchedNew);
    owner[matchedNew] = oldOwner[matchedOld]!;
    i = matchedOld + 1;
    j = matchedNew + 1;
  });
  assignGap(i, oldWords.length, j, newWords.length);

  const result: Segment[] = [];
  let start = 0;
  let firstOld = 0;
  for (let index = 0; index <= segments.length; index++) {
    let end = start;
    while (end < newWords.length && owner[end] === index) end++;
    if (end > start) {
      const words = newWords.slice(start, end);
      if (index === segments.length) {
        result.push({ start: segments[lastIndex]!.end, end: limit, text: words.join(" ") });
      } else {
        const original = segments[index]!;
        const count = oldCounts[index]!;
        const unchanged = count === words.length && words.every((word, k) => word === oldWords[firstOld + k]);
        result.push(unchanged ? original : { ...original, text: words.join(" ") });
      }
    }
    start = end;
    firstOld += oldCounts[index] ?? 0;
  }
  return orderTimes(result, limit);
}

/**
 * Replaces the text of segment `index` (removes the segment when `segmentText` has no words) and
 * the same words in `text`, leaving the rest of `text` as it was (line breaks included). Expects
 * `segments` to spell out `text` (see {@link segmentsMatchText}); otherwise the new text is the
 * segments joined with spaces.
 */
export function replaceSegmentText(
  segments: readonly Segment[],
  text: string,
  index: number,
  segmentText: string,
): { segments: Segment[]; text: string } {
  const target = segments[index];
  if (!target) return { segments: [...segments], text };
  const words = splitWords(segmentText);
  const oldWords = splitWords(target.text);
  if (words.length === oldWords.length && words.every((word, k) => word === oldWords[k])) {
    return { segments: [...segments], text };
  }
  const replacement = words.join(" ");
  const nextSegments =
    words.length === 0
      ? segments.filter((_, position) => position !== index)
      : segments.map((segment, position) =>
          position === index ? { ...segment, text: replacement } : segment,
        );

  const positions = [...text.matchAll(/\S+/g)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
  }));
  const counts = segments.map((segment) => splitWords(segment.text).length);
  if (counts.reduce((sum, count) => sum + count, 0) !== positions.length) {
    return { segments: nextSegments, text: nextSegments.map((segment) => segment.text.trim()).join(" ") };
  }
  const first = counts.slice(0, index).reduce((sum, count) => sum + count, 0);
  const after = first + counts[index]!;

  if (oldWords.length === 0) {
    const at = first > 0 ? positions[first - 1]!.end : 0;
    const before = at > 0 ? " " : "";
    const following = first < positions.length ? " " : "";
    return {
      segments: nextSegments,
      text: text.slice(0, at) + before + replacement + following + text.slice(at),
    };
  }
  if (words.length > 0) {
    const from = positions[first]!.start;
    const to = positions[after - 1]!.end;
    return { segments: nextSegments, text: text.slice(0, from) + replacement + text.slice(to) };
  }
  // Removed words go with the whitespace before them, so the break that followed them stays.
  const from = first > 0 ? positions[first - 1]!.end : 0;
  const to = first > 0 || after === positions.length ? positions[after - 1]!.end : positions[after]!.start;
  return { segments: nextSegments, text: text.slice(0, from) + text.slice(to) };
}

/**
 * Aligns two word sequences: for each old word, the index of the new word it is matched with,
 * or -1 when it was deleted. Matched words are equal, matched indices increase in both sequences,
 * and as many words are matched as the sequences' longest common subsequence has (unless more
 * than MAX_EDIT_DISTANCE words were inserted and deleted between their common start and end,
 * then only those are matched). `segmentOf` gives each old word's segment, used to choose among
 * equally long alignments (see {@link slideDeletions}).
 */
export function alignWords(
  oldWords: readonly string[],
  newWords: readonly string[],
  segmentOf: readonly number[],
): Int32Array {
  const matchOfOld = new Int32Array(oldWords.length).fill(-1);
  for (const [matchedOld, matchedNew] of matchWords(oldWords, newWords)) matchOfOld[matchedOld] = matchedNew;
  slideDeletions(matchOfOld, oldWords, segmentOf, newWords.length);
  return matchOfOld;
}

/** Compares words by their letters and digits only; a word without any is compared as written. */
function wordKey(word: string): string {
  return word.toLowerCase().replace(/[^\p{L}\p{M}\p{N}]+/gu, "") || word;
}

/**
 * A run of deleted words with nothing inserted in its place can often move: when repeated words
 * surround it, deleting "A B [C A B]" is the same edit as deleting "[A B C] A B". Of the places
 * where each run can sit, this picks one that starts and ends at segment boundaries, so deleting
 * a sentence that repeats words of the next one removes its own segment. Updates `matchOfOld`.
 */
function slideDeletions(
  matchOfOld: Int32Array,
  keys: readonly string[],
  segmentOf: readonly number[],
  newCount: number,
): void {
  const count = matchOfOld.length;
  const fit = (from: number, to: number) =>
    Number(from === 0 || segmentOf[from - 1] !== segmentOf[from]) +
    Number(to === count || segmentOf[to - 1] !== segmentOf[to]);
  let p = 0;
  while (p < count) {
    if (matchOfOld[p]! >= 0) {
      p++;
      continue;
    }
    let q = p;
    while (q < count && matchOfOld[q]! < 0) q++;
    const before = p > 0 ? matchOfOld[p - 1]! : -1;
    const after = q < count ? matchOfOld[q]! : newCount;
    // Only a pure deletion slides: the words on both sides of it are matched next to each other.
    let best = 0;
    if (after === before + 1) {
      let left = 0;
      while (
        p - left > 0 &&
        matchOfOld[p - left - 1] === before - left &&
        keys[p - left - 1] === keys[q - left - 1]
      ) {
        left++;
      }
      let right = 0;
      while (
        q + right < count &&
        matchOfOld[q + right] === after + right &&
        keys[p + right] === keys[q + right]
      ) {
        right++;
      }
      for (let shift = -left; shift <= right; shift++) {
        if (fit(p + shift, q + shift) > fit(p + best, q + best)) best = shift;
      }
    }
    if (best !== 0) {
      const moved = Math.abs(best);
      const firstMatched = best < 0 ? q + best : p;
      const anchor = best < 0 ? before + best + 1 : after;
      matchOfOld.fill(-1, Math.min(p + best, p), Math.max(q + best, q));
      for (let k = 0; k < moved; k++) matchOfOld[firstMatched + k] = anchor + k;
    }
    p = q + best;
  }
}

/** Starts never decrease, ends never precede their start, everything within [0, limit]. */
function orderTimes(segments: Segment[], limit: number): Segment[] {
  let previousStart = 0;
  return segments.map((segment) => {
    const start = Math.min(Math.max(segment.start, previousStart, 0), limit);
    const end = Math.min(Math.max(segment.end, start), limit);
    previousStart = start;
    return start === segment.start && end === segment.end ? segment : { ...segment, start, end };
  });
}

/**
 * Pairs of equal items `[indexInA, indexInB]`, increasing in both, forming a longest common
 * subsequence of `a` and `b` (Myers' O((N+M)D) diff after trimming the common start and end).
 */
function matchWords(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const pairs: Array<[number, number]> = [];
  for (let k = 0; k < head; k++) pairs.push([k, k]);
  const middle = myersPairs(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  for (const [x, y] of middle ?? []) pairs.push([x + head, y + head]);
  for (let k = tail; k > 0; k--) pairs.push([a.length - k, b.length - k]);
  return pairs;
}

/** Myers' greedy LCS; null when more than MAX_EDIT_DISTANCE insertions and deletions are needed. */
function myersPairs(a: readonly string[], b: readonly string[]): Array<[number, number]> | null {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return [];
  if (Math.abs(n - m) > MAX_EDIT_DISTANCE) return null;
  const maxD = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  // trace[d] holds v[-d..d] as it was before step d, which is what step d's moves came from.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= maxD; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
      let x = down ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m, d);
    }
  }
  return null;
}

function backtrack(trace: Int32Array[], n: number, m: number, depth: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  let x = n;
  let y = m;
  for (let d = depth; d > 0; d--) {
    const before = trace[d]!;
    const at = (k: number) => before[k + d]!;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x--;
      y--;
      pairs.push([x, y]);
    }
    x = previousX;
    y = previousY;
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    pairs.push([x, y]);
  }
  return pairs.reverse();
}
