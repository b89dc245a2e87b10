/** A stretch of audio handed to Whisper in one go, in samples. */
export interface AudioWindow {
  start: number;
  end: number;
}

/** Tuning for {@link planWindows}; all times in seconds. */
export interface WindowPlanOptions {
  sampleRate: number;
  /** Samples per VAD frame (512 at 16 kHz). */
  frameSamples: number;
  /** Longest window Whisper gets (it sees at most 30 s). */
  maxWindowSec: number;
  /** A frame is speech at or above this probability… */
  threshold?: number;
  /** …and speech ends only once the probability falls below this one. */
  negativeThreshold?: number;
  /** Silence shorter than this does not end a speech region. */
  minSilenceSec?: number;
  /** Speech regions shorter than this are dropped as clicks. */
  minSpeechSec?: number;
  /** Audio kept around each region so words are not clipped. */
  padSec?: number;
}

/** A run of speech found by the VAD, in samples. */
export interface SpeechRegion {
  start: number;
  end: number;
}

/** Finds speech regions from per-frame speech probabilities (Silero's hysteresis rule). */
export function findSpeech(probabilities: ArrayLike<number>, options: WindowPlanOptions): SpeechRegion[] {
  const { sampleRate, frameSamples } = options;
  const threshold = options.threshold ?? 0.5;
  const negative = options.negativeThreshold ?? Math.max(threshold - 0.15, 0.01);
  const minSilenceFrames = Math.ceil(((options.minSilenceSec ?? 0.3) * sampleRate) / frameSamples);
  const minSpeechSamples = (options.minSpeechSec ?? 0.25) * sampleRate;
  const regions: SpeechRegion[] = [];
  let start: number | null = null;
  let silentSince: number | null = null;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] ?? 0;
    if (start === null) {
      if (p >= threshold) {
        start = i;
        silentSince = null;
      }
      continue;
    }
    if (p < negative) {
      silentSince ??= i;
      if (i - silentSince + 1 >= minSilenceFrames) {
        regions.push({ start: start * frameSamples, end: silentSince * frameSamples });
        start = null;
        silentSince = null;
      }
    } else if (p >= threshold) {
      silentSince = null;
    }
  }
  if (start !== null)
    regions.push({ start: start * frameSamples, end: (silentSince ?? probabilities.length) * frameSamples });
  return regions.filter((region) => region.end - region.start >= minSpeechSamples);
}

/**
 * Groups speech into windows of at most `maxWindowSec`, cutting only in silence: regions are
 * packed greedily, long silences are skipped, and a region too long for one window is cut at
 * the quietest frame (lowest speech probability) in the back part of the window. Audio before
 * `from` (already transcribed) is left out.
 */
export function planWindows(
  probabilities: ArrayLike<number>,
  totalSamples: number,
  options: WindowPlanOptions,
  from = 0,
): AudioWindow[] {
  const { sampleRate, frameSamples } = options;
  const maxSamples = Math.floor(options.maxWindowSec * sampleRate);
  const pad = Math.round((options.padSec ?? 0.2) * sampleRate);
  const regions = findSpeech(probabilities, options)
    .map((region) => ({
      start: Math.max(0, from, region.start - pad),
      end: Math.min(totalSamples, region.end + pad),
    }))
    .filter((region) => region.end > region.start);

  const windows: AudioWindow[] = [];
  let current: AudioWindow | null = null;
  for (const region of regions) {
    let { start } = region;
    if (current && region.end - current.start <= maxSamples) {
      current.end = Math.max(current.end, region.end);
      continue;
    }
    if (current) {
      windows.push(current);
      start = Math.max(start, current.end);
    }
    while (region.end - start > maxSamples) {
      const cut = quietestCut(probabilities, start, maxSamples, frameSamples);
      windows.push({ start, end: cut });
      start = cut;
    }
    current = { start, end: region.end };
  }
  if (current) windows.push(current);
  return windows.filter((window) => window.end > window.start);
}

/** Where to end a window of at most `maxSamples` from `start`: the quietest frame in its back half. */
export function quietestCut(
  probabilities: ArrayLike<number>,
  start: number,
  maxSamples: number,
  frameSamples: number,
): number {
  const firstFrame = Math.ceil((start + maxSamples * 0.5) / frameSamples);
  const lastFrame = Math.floor((start + maxSamples) / frameSamples) - 1;
  let best = lastFrame;
  let bestP = Number.POSITIVE_INFINITY;
  for (let frame = lastFrame; frame >= firstFrame; frame--) {
    const p = probabilities[frame] ?? 0;
    if (p < bestP) {
      bestP = p;
      best = frame;
    }
  }
  return Math.max(start + frameSamples, (best + 1) * frameSamples);
}
