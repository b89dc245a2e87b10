import FFT from "fft.js";

/** Feature frames per second (a 10 ms hop). */
export const FRAME_RATE = 100;
/** Cepstral coefficients kept per frame: c1…c19 (c0, the loudness, says nothing about the voice). */
export const MFCC_DIMS = 19;

const SAMPLE_RATE = 16_000;
const FRAME_LENGTH = 400;
const HOP = SAMPLE_RATE / FRAME_RATE;
const FFT_SIZE = 512;
const PRE_EMPHASIS = 0.97;
/** Bands of the mel filterbank. */
export const MEL_BANDS = 40;

interface MelFilter {
  first: number;
  weights: Float64Array;
}

function melFilters(lowHz = 60, highHz = 7600): MelFilter[] {
  const toMel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
  const toHz = (mel: number) => 700 * (10 ** (mel / 2595) - 1);
  const low = toMel(lowHz);
  const high = toMel(highHz);
  const bins = Array.from({ length: MEL_BANDS + 2 }, (_, i) =>
    Math.floor(((FFT_SIZE + 1) * toHz(low + ((high - low) * i) / (MEL_BANDS + 1))) / SAMPLE_RATE),
  );
  return Array.from({ length: MEL_BANDS }, (_, band) => {
    const [left, centre, right] = [bins[band]!, bins[band + 1]!, bins[band + 2]!];
    const weights = new Float64Array(Math.max(right - left, 0));
    for (let k = left; k < right; k++) {
      weights[k - left] =
        k < centre ? (k - left) / Math.max(centre - left, 1) : (right - k) / Math.max(right - centre, 1);
    }
    return { first: left, weights };
  });
}

/**
 * Mel filterbank energies of 16 kHz audio, fed in pieces of any size: 25 ms Hamming frames every
 * 10 ms, pre-emphasis, 40 mel bands from 60 to 7600 Hz. {@link toCepstra} turns them into MFCCs.
 */
export class MelExtractor {
  private readonly fft = new FFT(FFT_SIZE);
  private readonly spectrum = this.fft.createComplexArray() as number[];
  private readonly frame = new Float64Array(FFT_SIZE);
  private readonly window = Float64Array.from(
    { length: FRAME_LENGTH },
    (_, i) => 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (FRAME_LENGTH - 1)),
  );
  private readonly filters = melFilters();
  /** Pre-emphasised samples not yet consumed by a frame. */
  private pending = new Float32Array(0);
  private previous: number | null = null;
  private chunks: Float32Array[] = [];
  private count = 0;

  /** Takes the next samples (-1..1). */
  push(samples: Float32Array): void {
    const emphasised = new Float32Array(this.pending.length + samples.length);
    emphasised.set(this.pending);
    for (let i = 0; i < samples.length; i++) {
      const sample = samples[i]!;
      emphasised[this.pending.length + i] =
        this.previous === null ? sample : sample - PRE_EMPHASIS * this.previous;
      this.previous = sample;
    }
    const frames =
      emphasised.length >= FRAME_LENGTH ? Math.floor((emphasised.length - FRAME_LENGTH) / HOP) + 1 : 0;
    const out = new Float32Array(frames * MEL_BANDS);
    for (let f = 0; f < frames; f++) this.analyse(emphasised, f * HOP, out, f * MEL_BANDS);
    this.chunks.push(out);
    this.count += frames;
    this.pending = emphasised.slice(frames * HOP);
  }

  /** Every frame so far, `MEL_BANDS` energies each. */
  energies(): Float32Array {
    if (this.chunks.length !== 1) {
      const all = new Float32Array(this.count * MEL_BANDS);
      let at = 0;
      for (const chunk of this.chunks) {
        all.set(chunk, at);
        at += chunk.length;
      }
      this.chunks = [all];
    }
    return this.chunks[0]!;
  }

  private analyse(samples: Float32Array, start: number, out: Float32Array, at: number): void {
    const { frame, spectrum } = this;
    for (let i = 0; i < FRAME_LENGTH; i++) frame[i] = samples[start + i]! * this.window[i]!;
    frame.fill(0, FRAME_LENGTH);
    this.fft.realTransform(spectrum, frame);
    for (let band = 0; band < MEL_BANDS; band++) {
      const { first, weights } = this.filters[band]!;
      let energy = 0;
      for (let j = 0; j < weights.length; j++) {
        const re = spectrum[2 * (first + j)]!;
        const im = spectrum[2 * (first + j) + 1]!;
        energy += weights[j]! * (re * re + im * im);
      }
      out[at + band] = energy;
    }
  }
}

const DCT = Float64Array.from({ length: MFCC_DIMS * MEL_BANDS }, (_, index) => {
  const k = Math.floor(index / MEL_BANDS) + 1;
  const n = index % MEL_BANDS;
  return Math.sqrt(2 / MEL_BANDS) * Math.cos((Math.PI * k * (n + 0.5)) / MEL_BANDS);
});

/** MFCCs (c1…c19) of mel filterbank energies. */
export function toCepstra(energies: Float32Array): Float32Array {
  const frames = Math.floor(energies.length / MEL_BANDS);
  const out = new Float32Array(frames * MFCC_DIMS);
  const mel = new Float64Array(MEL_BANDS);
  for (let f = 0; f < frames; f++) {
    for (let band = 0; band < MEL_BANDS; band++) {
      mel[band] = Math.log(energies[f * MEL_BANDS + band]! + 1e-10);
    }
    for (let k = 0; k < MFCC_DIMS; k++) {
      let sum = 0;
      for (let n = 0; n < MEL_BANDS; n++) sum += DCT[k * MEL_BANDS + n]! * mel[n]!;
      out[f * MFCC_DIMS + k] = sum;
    }
  }
  return out;
}
