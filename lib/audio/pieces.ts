import { openAsBlob } from "node:fs";
import fs from "node:fs/promises";
import { PCM_SAMPLE_RATE, type PcmAudio } from "@/lib/audio/pcm";
import { wavHeader } from "@/lib/audio/wav";

const WAV_HEADER_BYTES = 44;
/** Length of the stretch whose energy decides a cut: 100 ms. */
const CUT_FRAME = PCM_SAMPLE_RATE / 10;
/** Step between candidate cuts: 10 ms. */
const CUT_STEP = PCM_SAMPLE_RATE / 100;
/** How far back from a piece's limit a cut is looked for, at most. */
const MAX_SEARCH_SAMPLES = 60 * PCM_SAMPLE_RATE;

/** The most samples a WAV piece can hold without its file exceeding `maxBytes`. */
export function maxPieceSamples(maxBytes: number): number {
  const samples = Math.floor((maxBytes - WAV_HEADER_BYTES) / 2);
  if (samples < 2 * CUT_FRAME) throw new Error("The upload limit is too small for audio pieces.");
  return samples;
}

/**
 * The middle of the quietest 100 ms of `pcm` (16-bit little-endian samples), in samples from its
 * start: where a cut falls in a pause rather than in a word.
 */
export function quietestCut(pcm: Buffer): number {
  const total = Math.floor(pcm.length / 2);
  const steps = Math.floor(total / CUT_STEP);
  const perFrame = CUT_FRAME / CUT_STEP;
  if (steps < perFrame) return total;
  // Energy of each 10 ms step; a 100 ms frame is ten consecutive steps.
  const energy = new Float64Array(steps);
  for (let step = 0; step < steps; step++) {
    let sum = 0;
    for (let i = step * CUT_STEP; i < (step + 1) * CUT_STEP; i++) {
      const value = pcm.readInt16LE(i * 2);
      sum += value * value;
    }
    energy[step] = sum;
  }
  let window = 0;
  for (let step = 0; step < perFrame; step++) window += energy[step]!;
  let best = window;
  let bestStart = 0;
  for (let step = perFrame; step < steps; step++) {
    window += energy[step]! - energy[step - perFrame]!;
    // Ties go to the later frame: longer pieces, fewer uploads.
    if (window <= best) {
      best = window;
      bestStart = step - perFrame + 1;
    }
  }
  return bestStart * CUT_STEP + CUT_FRAME / 2;
}

/** Where a piece lies in the whole audio, in samples. */
export interface PieceSpan {
  start: number;
  samples: number;
}

/**
 * Plans pieces of at most `maxBytes` as WAV files: each ends at the quietest 100 ms of the last
 * half (at most the last 60 s) before its limit. One piece, the whole audio, when it fits.
 */
export async function planPieces(audio: PcmAudio, maxBytes: number): Promise<PieceSpan[]> {
  const limit = maxPieceSamples(maxBytes);
  const search = Math.min(MAX_SEARCH_SAMPLES, Math.floor(limit / 2));
  const spans: PieceSpan[] = [];
  const handle = await fs.open(audio.path, "r");
  try {
    let start = 0;
    while (audio.samples - start > limit) {
      const from = start + limit - search;
      const pcm = Buffer.alloc(search * 2);
      const { bytesRead } = await handle.read(pcm, 0, pcm.length, from * 2);
      const samples = from + quietestCut(pcm.subarray(0, bytesRead - (bytesRead % 2))) - start;
      spans.push({ start, samples });
      start += samples;
    }
    if (audio.samples > start) spans.push({ start, samples: audio.samples - start });
    return spans;
  } finally {
    await handle.close();
  }
}

/** Reads one planned piece as a 16-bit mono WAV file. */
export async function readPiece(audio: PcmAudio, span: PieceSpan): Promise<Buffer> {
  const handle = await fs.open(audio.path, "r");
  try {
    const data = Buffer.alloc(span.samples * 2);
    const { bytesRead } = await handle.read(data, 0, data.length, span.start * 2);
    return Buffer.concat([wavHeader(bytesRead, PCM_SAMPLE_RATE), data.subarray(0, bytesRead)]);
  } finally {
    await handle.close();
  }
}

/**
 * One planned piece as a 16-bit mono WAV blob whose samples are read from the PCM file only when
 * the blob is read (an upload of hundreds of megabytes is never held in memory).
 */
export async function pieceBlob(audio: PcmAudio, span: PieceSpan): Promise<Blob> {
  const file = await openAsBlob(audio.path);
  const samples = file.slice(span.start * 2, (span.start + span.samples) * 2);
  return new Blob([new Uint8Array(wavHeader(samples.size, PCM_SAMPLE_RATE)), samples], { type: "audio/wav" });
}
