import fs from "node:fs/promises";

/** The sample rate every engine receives. */
export const PCM_SAMPLE_RATE = 16_000;

/** Decoded audio on disk: raw signed 16-bit little-endian mono samples at 16 kHz. */
export interface PcmAudio {
  path: string;
  sampleRate: typeof PCM_SAMPLE_RATE;
  samples: number;
  durationSec: number;
}

/** Converts 16-bit PCM bytes to floats in [-1, 1). */
export function int16ToFloat32(bytes: Uint8Array): Float32Array {
  const count = Math.floor(bytes.byteLength / 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true) / 32768;
  return out;
}

/** Reads `count` samples starting at `start` from a PCM file as floats. */
export async function readPcm(audio: PcmAudio, start: number, count: number): Promise<Float32Array> {
  const from = Math.max(0, Math.min(start, audio.samples));
  const length = Math.max(0, Math.min(count, audio.samples - from));
  const handle = await fs.open(audio.path, "r");
  try {
    const bytes = Buffer.alloc(length * 2);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, from * 2);
    return int16ToFloat32(bytes.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** Streams a PCM file as float chunks of `chunkSamples` (the last one may be shorter). */
export async function* streamPcm(audio: PcmAudio, chunkSamples: number): AsyncGenerator<Float32Array> {
  const handle = await fs.open(audio.path, "r");
  try {
    const bytes = Buffer.alloc(chunkSamples * 2);
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, position);
      if (bytesRead <= 0) return;
      position += bytesRead;
      yield int16ToFloat32(bytes.subarray(0, bytesRead - (bytesRead % 2)));
    }
  } finally {
    await handle.close();
  }
}

/** Converts floats in [-1, 1] to 16-bit little-endian PCM bytes (the inverse of {@link int16ToFloat32}). */
export function float32ToInt16(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) {
    const value = Math.round((samples[i] ?? 0) * 32768);
    view.setInt16(i * 2, Math.max(-32768, Math.min(32767, value)), true);
  }
  return out;
}
