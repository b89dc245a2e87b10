import type { DecodingStats, Segment, UncoveredSpeech } from "../types";
import {
  collapseLoops,
  countWords,
  findRepetition,
  isLoop,
  isSoundLabel,
  normalizedWords,
} from "./text-quality";
import type { TokenSegment } from "./tokenizer";
import { findSpeech, planWindows, quietestCut, type AudioWindow, type WindowPlanOptions } from "./windows";

/** One decoding of one window, as the long-form loop asks for it. */
export interface DecodeRequest {
  window: AudioWindow;
  /** Beam width; unset means the engine's default. */
  beams?: number;
  /** Above 1 discourages tokens already produced. */
  repetitionPenalty?: number;
}

/** What the decoder made of one window. */
export interface WindowDecoding {
  /** Segments in seconds from the window's start. */
  segments: TokenSegment[];
  /** Mean log-probability per token of the output. */
  avgLogProb: number;
  /** False when the decoder hit its length limit instead of ending the text. */
  finished: boolean;
}

/** Decodes one window of the audio. */
export type WindowDecoder = (request: DecodeRequest) => Promise<WindowDecoding>;

/** Inputs of {@link transcribeLongForm}. */
export interface LongFormInput {
  /** Speech probability of every VAD frame of the whole file. */
  probabilities: ArrayLike<number>;
  totalSamples: number;
  plan: WindowPlanOptions;
  decode: WindowDecoder;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  /** Called with the segments of the first pass so far (before the coverage pass). */
  onSegments?: (segments: Segment[]) => void;
}

/** The transcript of a file, with what could not be transcribed and why. */
export interface LongFormResult {
  segments: Segment[];
  uncovered: UncoveredSpeech[];
  stats: DecodingStats;
}

/** Speech of this length or more (seconds) must end up in the transcript or be explained. */
const MIN_GAP_SEC = 1;
/** A window's output claiming this few words per second of speech has skipped some. */
const MIN_WORDS_PER_SPEECH_SEC = 1.2;
/** More words per second than people say: a segment this dense holds words that were not spoken. */
const MAX_WORDS_PER_SEC = 5;
/** What a cut-down segment keeps: a brisk speaking rate. */
const KEPT_WORDS_PER_SEC = 4;
const MIN_AVG_LOG_PROB = -1;
const FALLBACK_BEAMS = 4;

type Problem = "repetition" | "echo" | "unfinished" | "stalled" | "sparse" | "low-confidence";
const severe: ReadonlySet<Problem> = new Set(["repetition", "echo", "unfinished", "stalled"]);

interface Assessment {
  /** Accepted segments, absolute seconds. */
  segments: TokenSegment[];
  /** Sample where the next window should start. */
  resumeAt: number;
  /** Sample up to which the decoder heard audio (the decoded window's end). */
  heardUntil: number;
  problems: Problem[];
  avgLogProb: number;
}

/**
 * Whisper's long-form loop over VAD-planned windows, with the checks that keep a transcript
 * trustworthy:
 * - each window resumes from its last complete timestamp, so a decoder that stops early never
 *   skips audio, and words a misplaced timestamp makes it hear twice are dropped;
 * - an output that loops, echoes a sentence past where the audio stops, runs out of length,
 *   covers too little of the speech or has a low log-probability is decoded again with beam
 *   search, then on a shorter window; a loop that survives every fallback is cut down;
 * - afterwards every stretch of speech of a second or more that no segment covers is decoded on
 *   its own, and what still yields no words is reported with the reason.
 */
export async function transcribeLongForm(input: LongFormInput): Promise<LongFormResult> {
  const { plan, probabilities, totalSamples, signal } = input;
  const stats: DecodingStats = { windows: 0, decodes: 0, retried: 0, loopsCut: 0, gapsFilled: 0 };
  const decode: WindowDecoder = (request) => {
    signal?.throwIfAborted();
    stats.decodes++;
    return input.decode(request);
  };
  const segments = await transcribeRange(
    { start: 0, end: totalSamples },
    decode,
    input,
    stats,
    (cursor, decoded) => {
      input.onProgress?.(Math.min(0.95, Math.max(0.01, (cursor / totalSamples) * 0.95)));
      input.onSegments?.(decoded.map(toSegment));
    },
  );

  const uncovered: UncoveredSpeech[] = [];
  for (const gap of findUncoveredSpeech(segments, probabilities, totalSamples, plan)) {
    signal?.throwIfAborted();
    const { recovered, heard } = await transcribeGap(gap, segments, decode, input, stats);
    if (recovered.length > 0) {
      stats.gapsFilled++;
      segments.push(...recovered);
      segments.sort((a, b) => a.start - b.start);
    } else if (heard) {
      // Only words a neighbour already has: its timestamp was off, so it takes the stretch.
      absorbGap(segments, gap.start / plan.sampleRate, gap.end / plan.sampleRate);
    } else {
      uncovered.push({
        start: round(gap.start / plan.sampleRate),
        end: round(gap.end / plan.sampleRate),
        reason: "no_words",
      });
    }
  }
  input.onProgress?.(1);
  return {
    segments: segments.map(toSegment),
    uncovered,
    stats,
  };
}

function toSegment(segment: TokenSegment): Segment {
  return { start: round(segment.start), end: round(segment.end), text: segment.text };
}

/**
 * Decodes a window, and again with other settings while the output fails a check; returns the
 * first clean result, else the best one with its loops cut. `before` is the text just before.
 */
async function decodeWithFallbacks(
  window: AudioWindow,
  before: string,
  decode: WindowDecoder,
  input: LongFormInput,
  stats: DecodingStats,
): Promise<Assessment> {
  const { plan, probabilities } = input;
  const requests: DecodeRequest[] = [{ window }, { window, beams: FALLBACK_BEAMS, repetitionPenalty: 1.1 }];
  const windowSamples = window.end - window.start;
  if (windowSamples > 8 * plan.sampleRate) {
    const cut = quietestCut(probabilities, window.start, windowSamples, plan.frameSamples);
    requests.push({ window: { start: window.start, end: cut } });
  }

  let best: Assessment | null = null;
  for (const [index, request] of requests.entries()) {
    if (index === 1) stats.retried++;
    const decoding = await decode(request);
    const assessment = assess(request.window, decoding, before, input);
    if (assessment.problems.length === 0) return assessment;
    if (!best || isBetter(assessment, best)) best = assessment;
  }
  const chosen = best!;
  if (chosen.problems.includes("repetition") || chosen.problems.includes("echo")) {
    stats.loopsCut++;
    const cut: TokenSegment[] = [];
    for (const segment of chosen.segments) {
      const context = [before, ...cut.map((kept) => kept.text)].join(" ");
      cut.push({ ...segment, text: cutRunaway(segment, context) });
    }
    chosen.segments = cut.filter((segment) => countWords(segment.text) > 0);
  }
  if (chosen.problems.includes("stalled")) chosen.resumeAt = window.end;
  return chosen;
}

/** Judges one decoding and decides where the next window starts. */
function assess(
  window: AudioWindow,
  decoding: WindowDecoding,
  before: string,
  input: LongFormInput,
): Assessment {
  const { sampleRate } = input.plan;
  const offset = window.start / sampleRate;
  const windowSec = (window.end - window.start) / sampleRate;
  const problems: Problem[] = [];
  let pieces = decoding.segments.filter((piece) => !isSoundLabel(piece.text));
  let resumeSec: number | null = null;

  const last = pieces.at(-1);
  if (last && !last.closed) {
    if (!decoding.finished) problems.push("unfinished");
    if (pieces.length > 1) {
      // As Whisper does: drop the unfinished phrase and decode it again from its start.
      pieces = pieces.slice(0, -1);
      resumeSec = last.start;
    }
  }
  let shrunk = false;
  pieces = pieces.map((piece) => {
    // A span far too long for its words has lost speech: keep what the words plausibly cover.
    const words = countWords(piece.text);
    const spoken = speechSeconds(
      input,
      window.start + piece.start * sampleRate,
      window.start + piece.end * sampleRate,
    );
    if (words >= spoken * MIN_WORDS_PER_SPEECH_SEC - 1) return piece;
    shrunk = true;
    return { ...piece, end: Math.min(piece.end, piece.start + Math.max(1, words / 2.5)) };
  });
  if (shrunk) problems.push("sparse");

  if (resumeSec === null) {
    const closedEnd = pieces.at(-1)?.end ?? 0;
    const rest = speechSeconds(input, window.start + closedEnd * sampleRate, window.end);
    resumeSec = rest >= 0.5 ? closedEnd : windowSec;
  }
  if (resumeSec < Math.min(0.5, windowSec)) problems.push("stalled");

  const text = pieces.map((piece) => piece.text).join(" ");
  const words = normalizedWords(text);
  // Whisper's compression-ratio test is not used: a sentence really said twice in a window
  // trips it, while a run of repeats (below) is what a loop looks like.
  if (isLoop(findRepetition(words))) problems.push("repetition");
  if (
    pieces.some((piece, index) =>
      isEcho(piece, [before, ...pieces.slice(0, index).map((p) => p.text)].join(" ")),
    )
  ) {
    problems.push("echo");
  }
  const spoken = speechSeconds(input, window.start, window.start + resumeSec * sampleRate);
  if (!shrunk && words.length < spoken * MIN_WORDS_PER_SPEECH_SEC - 1) problems.push("sparse");
  if (words.length > 0 && decoding.avgLogProb < MIN_AVG_LOG_PROB) problems.push("low-confidence");

  return {
    segments: pieces.map((piece) => ({ ...piece, start: offset + piece.start, end: offset + piece.end })),
    resumeAt: Math.min(window.end, window.start + Math.round(resumeSec * sampleRate)),
    heardUntil: window.end,
    problems,
    avgLogProb: decoding.avgLogProb,
  };
}

/**
 * A segment with more words than its time allows that starts by repeating what was just said:
 * the decoder completing a sentence it heard before (a recording stopped mid-sentence).
 */
function isEcho(piece: TokenSegment, before: string): boolean {
  const words = normalizedWords(piece.text);
  if (words.length < 4 || words.length <= (piece.end - piece.start) * MAX_WORDS_PER_SEC) return false;
  return longestEdgeIn(words, normalizedWords(before).slice(-60)) >= 4;
}

/** Last resort for a segment that still loops: repeats cut to one; an echo cut to what its time holds. */
function cutRunaway(piece: TokenSegment, before: string): string {
  const text = collapseLoops(piece.text);
  if (!isEcho({ ...piece, text }, before)) return text;
  const allowed = Math.max(1, Math.ceil((piece.end - piece.start) * KEPT_WORDS_PER_SEC));
  return dropWords(text, 0, Math.max(0, countWords(text) - allowed));
}

function isBetter(a: Assessment, b: Assessment): boolean {
  const severity = (x: Assessment) => x.problems.filter((problem) => severe.has(problem)).length;
  if (severity(a) !== severity(b)) return severity(a) < severity(b);
  if (a.problems.length !== b.problems.length) return a.problems.length < b.problems.length;
  return a.avgLogProb > b.avgLogProb;
}

/** Seconds of speech (VAD frames at or above the threshold) between two samples. */
function speechSeconds(input: LongFormInput, from: number, to: number): number {
  const { frameSamples, sampleRate } = input.plan;
  const threshold = input.plan.threshold ?? 0.5;
  let frames = 0;
  const last = Math.min(Math.ceil(to / frameSamples), input.probabilities.length);
  for (let frame = Math.max(0, Math.floor(from / frameSamples)); frame < last; frame++) {
    if ((input.probabilities[frame] ?? 0) >= threshold) frames++;
  }
  return (frames * frameSamples) / sampleRate;
}

/**
 * Stretches inside VAD speech regions, in samples, that no segment overlaps and that hold at
 * least {@link MIN_GAP_SEC} of speech.
 */
export function findUncoveredSpeech(
  segments: readonly { start: number; end: number }[],
  probabilities: ArrayLike<number>,
  totalSamples: number,
  plan: WindowPlanOptions,
): AudioWindow[] {
  const { sampleRate } = plan;
  const covered = segments
    .map((segment) => ({ start: segment.start * sampleRate, end: segment.end * sampleRate }))
    .sort((a, b) => a.start - b.start);
  const gaps: AudioWindow[] = [];
  const input = { probabilities, plan } as LongFormInput;
  for (const region of findSpeech(probabilities, plan)) {
    let from = region.start;
    const end = Math.min(region.end, totalSamples);
    if (!covered.some((span) => span.end > from && span.start < end)) {
      // A short word on its own (a digit, "yes") is easily dropped inside a long window.
      gaps.push({ start: from, end });
      continue;
    }
    for (const span of covered) {
      if (span.end <= from || span.start >= end) continue;
      if (span.start > from) pushGap(gaps, from, span.start, input);
      from = Math.max(from, span.end);
    }
    if (from < end) pushGap(gaps, from, end, input);
  }
  return gaps;
}

function pushGap(gaps: AudioWindow[], start: number, end: number, input: LongFormInput): void {
  if (speechSeconds(input, start, end) >= MIN_GAP_SEC)
    gaps.push({ start: Math.round(start), end: Math.round(end) });
}

/** Decodes `range` window by window, each planned from where the last one really ended. */
async function transcribeRange(
  range: AudioWindow,
  decode: WindowDecoder,
  input: LongFormInput,
  stats: DecodingStats,
  onAdvance?: (cursor: number, segments: readonly TokenSegment[]) => void,
): Promise<TokenSegment[]> {
  const segments: TokenSegment[] = [];
  let cursor = range.start;
  let heardUntil = range.start;
  for (;;) {
    input.signal?.throwIfAborted();
    const window = planWindows(input.probabilities, range.end, input.plan, cursor)[0];
    if (!window) break;
    stats.windows++;
    const outcome = await decodeWithFallbacks(window, tailText(segments), decode, input, stats);
    // A timestamp placed too early makes a window that starts in the middle of speech hear again
    // the end of the last one. At most the words the replayed audio can hold may be dropped, and
    // none after a pause, so a sentence really said twice stays.
    const { sampleRate } = input.plan;
    const midSpeech = speechSeconds(input, window.start - 0.3 * sampleRate, window.start) >= 0.2;
    const replayedSec = midSpeech ? Math.max(0, heardUntil - window.start) / sampleRate : 0;
    const maxWords = Math.floor(replayedSec * MAX_WORDS_PER_SEC);
    segments.push(...trimOverlap(outcome.segments, tailText(segments), "", { anchored: 2, maxWords }));
    heardUntil = Math.max(heardUntil, outcome.heardUntil);
    cursor = Math.max(outcome.resumeAt, cursor + 1);
    onAdvance?.(cursor, segments);
  }
  return segments;
}

/** Decodes one missed stretch on its own; words the neighbours already have are not repeated. */
async function transcribeGap(
  gap: AudioWindow,
  segments: readonly TokenSegment[],
  decode: WindowDecoder,
  input: LongFormInput,
  stats: DecodingStats,
): Promise<{ recovered: TokenSegment[]; heard: boolean }> {
  const { sampleRate } = input.plan;
  const pad = Math.round(0.2 * sampleRate);
  const range = { start: Math.max(0, gap.start - pad), end: Math.min(input.totalSamples, gap.end + pad) };
  const recovered = await transcribeRange(range, decode, input, stats);
  const before = tailText(segments.filter((segment) => segment.end <= gap.start / sampleRate + 0.5));
  const after = segments
    .filter((segment) => segment.start >= gap.end / sampleRate - 0.5)
    .slice(0, 4)
    .map((segment) => segment.text)
    .join(" ");
  return {
    recovered: trimOverlap(recovered, before, after, { anchored: 1, contained: 3 }),
    heard: recovered.length > 0,
  };
}

/** Stretches the segment just before `[start, end]` (or else the one just after) over it. */
function absorbGap(segments: TokenSegment[], start: number, end: number): void {
  const before = segments.filter((segment) => segment.end <= start + 0.01).at(-1);
  const after = segments.find((segment) => segment.start >= end - 0.01);
  if (before && (!after || start - before.end <= after.start - end)) before.end = end;
  else if (after) after.start = start;
}

/** The last words of the transcript so far, for overlap checks. */
function tailText(segments: readonly TokenSegment[]): string {
  return segments
    .slice(-4)
    .map((segment) => segment.text)
    .join(" ");
}

/** How many words at each edge of a decoding may be dropped as already transcribed. */
interface OverlapRule {
  /** An edge that continues the neighbour exactly (its last words = our first words) of this many words or more. */
  anchored: number;
  /** Most words that may be dropped at an edge (default: no limit). */
  maxWords?: number;
  /**
   * An edge found among the neighbour's last (or first) {@link NEAR_EDGE_WORDS} words, of this
   * many words or more (or all of it, when shorter); unset: not checked.
   */
  contained?: number;
}

/** How far from a neighbour's edge a repeated run may sit: timestamps are off by a few words at most. */
const NEAR_EDGE_WORDS = 8;

/**
 * Drops words at the edges of `pieces` that the neighbouring text already has: Whisper's
 * timestamps can be early or late by a few words, so decoding the audio next to a segment may
 * hear some of its words again. Whole pieces may go; the rest keep their times.
 */
function trimOverlap(
  pieces: TokenSegment[],
  before: string,
  after: string,
  rule: OverlapRule,
): TokenSegment[] {
  const words = normalizedWords(pieces.map((piece) => piece.text).join(" "));
  const previous = normalizedWords(before).slice(-40);
  const next = normalizedWords(after).slice(0, 40);
  const enough = (run: number, of: number) =>
    rule.contained !== undefined && run > 0 && run >= Math.min(rule.contained, of);
  let head = overlap(previous, words.slice(0, rule.maxWords), rule.anchored);
  const containedHead = longestEdgeIn(words, previous.slice(-NEAR_EDGE_WORDS - words.length));
  if (enough(containedHead, words.length)) head = Math.max(head, containedHead);
  let tail = overlap(words.slice(head).slice(-(rule.maxWords ?? words.length)), next, rule.anchored);
  const reversed = [...words.slice(head)].reverse();
  const containedTail = longestEdgeIn(
    reversed,
    [...next.slice(0, NEAR_EDGE_WORDS + reversed.length)].reverse(),
  );
  if (enough(containedTail, reversed.length)) tail = Math.max(tail, containedTail);
  if (head === 0 && tail === 0) return pieces;

  const result = pieces.map((piece) => ({ ...piece }));
  for (const piece of result) {
    if (head === 0) break;
    const count = countWords(piece.text);
    piece.text = dropWords(piece.text, Math.min(count, head), 0);
    head -= Math.min(count, head);
  }
  for (const piece of [...result].reverse()) {
    if (tail === 0) break;
    const count = countWords(piece.text);
    piece.text = dropWords(piece.text, 0, Math.min(count, tail));
    tail -= Math.min(count, tail);
  }
  return result.filter((piece) => countWords(piece.text) > 0);
}

/** Longest k such that the first k of `words` occur in a row somewhere in `context`. */
function longestEdgeIn(words: readonly string[], context: readonly string[]): number {
  let best = 0;
  for (let at = 0; at < context.length; at++) {
    let k = 0;
    while (k < words.length && at + k < context.length && context[at + k] === words[k]) k++;
    best = Math.max(best, k);
  }
  return best;
}

/** Longest k ≥ `min` such that the last k words of `a` equal the first k words of `b`; else 0. */
function overlap(a: readonly string[], b: readonly string[], min: number): number {
  for (let k = Math.min(a.length, b.length); k >= min; k--) {
    let same = true;
    for (let i = 0; i < k && same; i++) same = a[a.length - k + i] === b[i];
    if (same) return k;
  }
  return 0;
}

/** Removes `head` words from the start and `tail` words from the end, keeping the rest as written. */
function dropWords(text: string, head: number, tail: number): string {
  if (head === 0 && tail === 0) return text;
  const tokens = text.split(/\s+/).filter(Boolean);
  const wordsIn = tokens.map((token) => normalizedWords(token).length);
  let from = 0;
  for (let dropped = 0; from < tokens.length && dropped < head; from++) dropped += wordsIn[from]!;
  let to = tokens.length;
  for (let dropped = 0; to > from && dropped < tail; to--) dropped += wordsIn[to - 1]!;
  return tokens.slice(from, to).join(" ");
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}
