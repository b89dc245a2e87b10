import { clusterAverageLinkage, cutTree } from "./cluster";
import { FRAME_RATE, MFCC_DIMS } from "./mfcc";

/** A stretch of one speaker, in seconds. `speaker` counts from 0 in order of first appearance. */
export interface SpeakerTurn {
  start: number;
  end: number;
  speaker: number;
}

/** Speech in feature frames (10 ms), half-open. */
export interface FrameRange {
  start: number;
  end: number;
}

/** Choices of {@link diarizeFeatures}; all have defaults tuned on real conversations. */
export interface DiarizeOptions {
  /** The number of speakers when known; otherwise it is estimated (1…`maxSpeakers`). */
  speakers?: number;
  maxSpeakers?: number;
  /** Seconds of speech each voice window describes, and the step between windows. */
  windowSec?: number;
  stepSec?: number;
  /** Most windows clustered; longer recordings get longer steps. */
  maxWindows?: number;
  /** Weight of the model-size penalty when the number of speakers is estimated. */
  penalty?: number;
}

/** What {@link diarizeFeatures} found. */
export interface Diarization {
  turns: SpeakerTurn[];
  speakers: number;
}

const DEFAULTS = { maxSpeakers: 10, windowSec: 1.5, stepSec: 0.5, maxWindows: 2000, penalty: 2 };

/**
 * Who spoke when, from MFCC frames and the speech found by the VAD:
 * 1. features are normalised over the speech (per-file mean and variance);
 * 2. speech is cut into overlapping windows, each described by the mean and spread of its
 *    features, standardised across windows so every dimension counts alike;
 * 3. windows are clustered bottom-up by cosine distance (average linkage);
 * 4. the number of speakers is the cut of that tree with the best Bayesian information criterion
 *    of the frames (one full-covariance Gaussian per speaker), unless it was given;
 * 5. each frame takes the speaker most of its windows have; runs of one speaker become turns.
 */
export function diarizeFeatures(
  features: Float32Array,
  speech: FrameRange[],
  options: DiarizeOptions = {},
): Diarization {
  const settings = { ...DEFAULTS, ...options };
  const frames = Math.floor(features.length / MFCC_DIMS);
  const regions = speech
    .map((range) => ({ start: Math.max(0, range.start), end: Math.min(frames, range.end) }))
    .filter((range) => range.end > range.start);
  const speechFrames = regions.reduce((sum, range) => sum + range.end - range.start, 0);
  if (speechFrames === 0) return { turns: [], speakers: 0 };

  const normalised = normaliseOverSpeech(features, regions);
  const step = Math.max(
    Math.round(settings.stepSec * FRAME_RATE),
    Math.ceil(speechFrames / settings.maxWindows),
  );
  const width = Math.max(Math.round(settings.windowSec * FRAME_RATE), step);
  const windows = cutWindows(regions, width, step);
  const embeddings = standardise(windows.map((window) => describeWindow(normalised, window)));

  let labels: Int32Array;
  if (windows.length === 1) labels = new Int32Array(1);
  else {
    const merges = clusterAverageLinkage(embeddings.map(unit));
    const cut = (k: number) => cutTree(windows.length, merges, k);
    const labelFrames = (k: number) => voteFrames(frames, windows, cut(k), k);
    if (settings.speakers !== undefined) {
      labels = cut(Math.min(Math.max(1, settings.speakers), windows.length));
    } else {
      let best = { score: -Infinity, k: 1 };
      for (let k = 1; k <= Math.min(settings.maxSpeakers, windows.length); k++) {
        const score = informationCriterion(normalised, labelFrames(k), k, speechFrames, settings.penalty);
        if (score > best.score) best = { score, k };
      }
      labels = cut(best.k);
    }
  }
  const speakers = Math.max(...labels) + 1;
  const frameLabels = voteFrames(frames, windows, labels, speakers);
  return renumber(toTurns(frameLabels, regions));
}

function normaliseOverSpeech(features: Float32Array, regions: FrameRange[]): Float32Array {
  const sum = new Float64Array(MFCC_DIMS);
  const squares = new Float64Array(MFCC_DIMS);
  let count = 0;
  for (const { start, end } of regions) {
    for (let f = start; f < end; f++) {
      for (let d = 0; d < MFCC_DIMS; d++) {
        const value = features[f * MFCC_DIMS + d]!;
        sum[d] = sum[d]! + value;
        squares[d] = squares[d]! + value * value;
      }
    }
    count += end - start;
  }
  const mean = sum.map((value) => value / count);
  const scale = squares.map((value, d) => 1 / Math.sqrt(Math.max(value / count - mean[d]! ** 2, 1e-8)));
  const out = new Float32Array(features.length);
  for (let i = 0; i < features.length; i++)
    out[i] = (features[i]! - mean[i % MFCC_DIMS]!) * scale[i % MFCC_DIMS]!;
  return out;
}

function cutWindows(regions: FrameRange[], width: number, step: number): FrameRange[] {
  const windows: FrameRange[] = [];
  for (const { start, end } of regions) {
    if (end - start <= width) {
      windows.push({ start, end });
      continue;
    }
    let at = start;
    for (; at + width < end; at += step) windows.push({ start: at, end: at + width });
    windows.push({ start: Math.max(start, end - width), end });
  }
  return windows;
}

function describeWindow(features: Float32Array, { start, end }: FrameRange): Float64Array {
  const out = new Float64Array(2 * MFCC_DIMS);
  const count = end - start;
  for (let f = start; f < end; f++) {
    for (let d = 0; d < MFCC_DIMS; d++) {
      const value = features[f * MFCC_DIMS + d]!;
      out[d] = out[d]! + value;
      out[MFCC_DIMS + d] = out[MFCC_DIMS + d]! + value * value;
    }
  }
  for (let d = 0; d < MFCC_DIMS; d++) {
    const mean = out[d]! / count;
    out[d] = mean;
    out[MFCC_DIMS + d] = Math.sqrt(Math.max(out[MFCC_DIMS + d]! / count - mean * mean, 0));
  }
  return out;
}

function standardise(vectors: Float64Array[]): Float64Array[] {
  const dims = vectors[0]?.length ?? 0;
  const mean = new Float64Array(dims);
  const spread = new Float64Array(dims);
  for (const vector of vectors)
    for (let d = 0; d < dims; d++) mean[d] = mean[d]! + vector[d]! / vectors.length;
  for (const vector of vectors)
    for (let d = 0; d < dims; d++) spread[d] = spread[d]! + (vector[d]! - mean[d]!) ** 2 / vectors.length;
  return vectors.map((vector) =>
    vector.map((value, d) => (value - mean[d]!) / Math.sqrt(Math.max(spread[d]!, 1e-12))),
  );
}

function unit(vector: Float64Array): Float64Array {
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  return vector.map((value) => value / norm);
}

/** Each frame's speaker: the label most of the windows covering it have (-1: no window). */
function voteFrames(frames: number, windows: FrameRange[], labels: Int32Array, k: number): Int32Array {
  const votes = new Uint16Array(frames * k);
  windows.forEach(({ start, end }, w) => {
    for (let f = start; f < end; f++) votes[f * k + labels[w]!]! += 1;
  });
  const out = new Int32Array(frames).fill(-1);
  for (let f = 0; f < frames; f++) {
    let best = -1;
    let most = 0;
    for (let j = 0; j < k; j++) {
      if (votes[f * k + j]! > most) {
        most = votes[f * k + j]!;
        best = j;
      }
    }
    out[f] = best;
  }
  return out;
}

/**
 * Log-likelihood of the frames with one full-covariance Gaussian per speaker, less the BIC
 * penalty for the parameters of k Gaussians. A speaker too small to estimate one disqualifies k.
 */
function informationCriterion(
  features: Float32Array,
  frameLabels: Int32Array,
  k: number,
  speechFrames: number,
  penalty: number,
): number {
  const d = MFCC_DIMS;
  const sums = Array.from({ length: k }, () => new Float64Array(d));
  const products = Array.from({ length: k }, () => new Float64Array(d * d));
  const counts = new Float64Array(k);
  for (let f = 0; f < frameLabels.length; f++) {
    const j = frameLabels[f]!;
    if (j < 0) continue;
    counts[j] = counts[j]! + 1;
    const sum = sums[j]!;
    const product = products[j]!;
    const base = f * d;
    for (let x = 0; x < d; x++) {
      const value = features[base + x]!;
      sum[x] = sum[x]! + value;
      for (let y = x; y < d; y++) product[x * d + y] = product[x * d + y]! + value * features[base + y]!;
    }
  }
  let likelihood = 0;
  for (let j = 0; j < k; j++) {
    const n = counts[j]!;
    if (n < d + 2) return -Infinity;
    const covariance = new Float64Array(d * d);
    for (let x = 0; x < d; x++) {
      for (let y = x; y < d; y++) {
        const value = (products[j]![x * d + y]! - (sums[j]![x]! * sums[j]![y]!) / n) / (n - 1);
        covariance[x * d + y] = covariance[y * d + x] = value + (x === y ? 1e-3 : 0);
      }
    }
    likelihood -= 0.5 * n * logDeterminant(covariance, d);
  }
  const parameters = d + (d * (d + 1)) / 2;
  return likelihood - (penalty * parameters * k * Math.log(speechFrames)) / 2;
}

/** log |A| of a symmetric positive definite matrix, by Cholesky decomposition. */
function logDeterminant(matrix: Float64Array, d: number): number {
  const lower = new Float64Array(d * d);
  let logDet = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= lower[i * d + k]! * lower[j * d + k]!;
      if (i === j) {
        const pivot = Math.sqrt(Math.max(sum, 1e-12));
        lower[i * d + i] = pivot;
        logDet += 2 * Math.log(pivot);
      } else lower[i * d + j] = sum / lower[j * d + j]!;
    }
  }
  return logDet;
}

function toTurns(frameLabels: Int32Array, regions: FrameRange[]): SpeakerTurn[] {
  const turns: SpeakerTurn[] = [];
  for (const { start, end } of regions) {
    let from = start;
    for (let f = start + 1; f <= end; f++) {
      if (f === end || frameLabels[f] !== frameLabels[from]) {
        const speaker = frameLabels[from]!;
        if (speaker >= 0) turns.push({ start: from / FRAME_RATE, end: f / FRAME_RATE, speaker });
        from = f;
      }
    }
  }
  return turns;
}

/** Speakers renumbered in order of first appearance. */
function renumber(turns: SpeakerTurn[]): Diarization {
  const order = new Map<number, number>();
  const renamed = turns.map((turn) => {
    if (!order.has(turn.speaker)) order.set(turn.speaker, order.size);
    return { ...turn, speaker: order.get(turn.speaker)! };
  });
  return { turns: renamed, speakers: order.size };
}
