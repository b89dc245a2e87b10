import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { int16ToFloat32 } from "@/lib/audio/pcm";
import { inspectWav } from "@/lib/audio/wav";
import { resolvePackageFile, vadSource } from "@/lib/speech/local/model-files";
import { levelForVad, SileroVad, VAD_FRAME_SAMPLES } from "@/lib/speech/local/silero-vad";
import { findSpeech, planWindows, type WindowPlanOptions } from "@/lib/speech/local/windows";

const sampleRate = 16_000;
const plan: WindowPlanOptions = { sampleRate, frameSamples: VAD_FRAME_SAMPLES, maxWindowSec: 28 };
let vad: SileroVad;
let jfk: Float32Array;

beforeAll(async () => {
  vad = await SileroVad.load(resolvePackageFile(vadSource));
  const wav = fs.readFileSync(path.join(__dirname, "..", "fixtures", "jfk.wav"));
  const info = inspectWav(wav, wav.length);
  if ("problem" in info) throw new Error(info.message);
  jfk = int16ToFloat32(wav.subarray(info.dataOffset!));
});

/** Speech probabilities for `samples`, fed in chunks of `chunkSize`. */
async function probabilities(samples: Float32Array, chunkSize = samples.length): Promise<number[]> {
  const stream = vad.createStream();
  const out: number[] = [];
  for (let offset = 0; offset < samples.length; offset += chunkSize) {
    out.push(...(await stream.push(samples.subarray(offset, offset + chunkSize))));
  }
  out.push(...(await stream.flush()));
  return out;
}

/** Deterministic white noise at about -36 dBFS. */
function whiteNoise(length: number): Float32Array {
  let state = 12_345;
  return new Float32Array(length).map(() => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return (state / 2 ** 32 - 0.5) * 0.06;
  });
}

/** Mean probability over the frames between two times. */
function mean(values: number[], fromSec: number, toSec: number): number {
  const slice = values.slice(
    Math.floor((fromSec * sampleRate) / VAD_FRAME_SAMPLES),
    Math.ceil((toSec * sampleRate) / VAD_FRAME_SAMPLES),
  );
  return slice.reduce((sum, p) => sum + p, 0) / slice.length;
}

describe("Silero VAD on jfk.wav", () => {
  let jfkProbabilities: number[];

  beforeAll(async () => {
    jfkProbabilities = await probabilities(jfk);
  });

  it("gives one probability per 32 ms frame, the last one padded", () => {
    expect(jfk.length).toBe(176_000);
    expect(jfkProbabilities).toHaveLength(Math.ceil(176_000 / VAD_FRAME_SAMPLES));
    for (const p of jfkProbabilities) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });

  it("is confident during words and not in the pauses", () => {
    expect(mean(jfkProbabilities, 0.5, 2.0)).toBeGreaterThan(0.9); // "And so my fellow Americans"
    expect(mean(jfkProbabilities, 5.6, 7.4)).toBeGreaterThan(0.9); // "ask not what your country…"
    expect(mean(jfkProbabilities, 2.5, 3.1)).toBeLessThan(0.2); // pause
    expect(mean(jfkProbabilities, 0, 0.25)).toBeLessThan(0.3); // lead-in
  });

  it("finds the four phrases and plans one window over the whole sentence", () => {
    const regions = findSpeech(jfkProbabilities, plan);
    expect(regions.length).toBeGreaterThanOrEqual(3);
    expect(regions.length).toBeLessThanOrEqual(5);
    const windows = planWindows(jfkProbabilities, jfk.length, plan);
    expect(windows).toHaveLength(1);
    expect(windows[0]!.start).toBeLessThanOrEqual(0.3 * sampleRate);
    expect(windows[0]!.end).toBeGreaterThanOrEqual(10.5 * sampleRate);
  });

  it("does not depend on how the audio is chunked", async () => {
    for (const chunkSize of [1000, 333, VAD_FRAME_SAMPLES]) {
      const chunked = await probabilities(jfk, chunkSize);
      expect(chunked).toHaveLength(jfkProbabilities.length);
      const worst = Math.max(...chunked.map((p, i) => Math.abs(p - jfkProbabilities[i]!)));
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it("keeps streams independent", async () => {
    const a = vad.createStream();
    const b = vad.createStream();
    const first = await a.push(jfk.subarray(0, sampleRate * 2));
    await b.push(new Float32Array(sampleRate * 2)); // silence on the other stream in between
    const second = await a.push(jfk.subarray(sampleRate * 2, sampleRate * 4));
    const together = [...first, ...second];
    const worst = Math.max(...together.map((p, i) => Math.abs(p - jfkProbabilities[i]!)));
    expect(worst).toBeLessThan(1e-5);
  });
});

describe("Silero VAD without speech", () => {
  it("hears nothing in 3 s of digital silence", async () => {
    const silence = await probabilities(new Float32Array(3 * sampleRate));
    expect(silence).toHaveLength(Math.ceil((3 * sampleRate) / VAD_FRAME_SAMPLES));
    expect(Math.max(...silence)).toBeLessThan(0.1);
    expect(planWindows(silence, 3 * sampleRate, plan)).toEqual([]);
  });

  it("hears nothing in 3 s of low white noise", async () => {
    const noise = whiteNoise(3 * sampleRate);
    const heard = await probabilities(noise);
    expect(Math.max(...heard)).toBeLessThan(0.3);
    expect(planWindows(heard, noise.length, plan)).toEqual([]);
  });

  it("hears the speech again when jfk follows the noise", async () => {
    const mixed = new Float32Array(3 * sampleRate + jfk.length);
    mixed.set(whiteNoise(3 * sampleRate));
    mixed.set(jfk, 3 * sampleRate);
    const heard = await probabilities(mixed);
    const windows = planWindows(heard, mixed.length, plan);
    expect(windows).toHaveLength(1);
    expect(windows[0]!.start).toBeGreaterThanOrEqual(3 * sampleRate);
    expect(windows[0]!.start).toBeLessThanOrEqual(3.3 * sampleRate);
  });
});

describe("SileroVad.detect (batched lanes over a decoded file)", () => {
  it("agrees with the frame-by-frame stream on real speech", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vad-detect-"));
    const pcmPath = path.join(dir, "jfk.pcm");
    const bytes = Buffer.alloc(jfk.length * 2);
    jfk.forEach((value, i) => bytes.writeInt16LE(Math.round(value * 32768), i * 2));
    fs.writeFileSync(pcmPath, bytes);
    const audio = {
      path: pcmPath,
      sampleRate: 16000 as const,
      samples: jfk.length,
      durationSec: jfk.length / 16000,
    };
    try {
      // detect() raises quiet stretches before the VAD hears them.
      const levelled = Float32Array.from(jfk);
      levelForVad(levelled);
      const stream = vad.createStream();
      const expected = [...(await stream.push(levelled)), ...(await stream.flush())];
      const oneLane = await vad.detect(audio);
      expect(oneLane.length).toBe(Math.ceil(jfk.length / VAD_FRAME_SAMPLES));
      oneLane.forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 4));
      // Several lanes each restart their state (a few borderline frames after each start flip), so
      // only the speech decisions must agree.
      const lanes = await vad.detect(audio, { minLaneSec: 2, maxLanes: 4 });
      const agree = Array.from(lanes).filter((p, i) => p >= 0.5 === expected[i]! >= 0.5).length;
      expect(agree / lanes.length).toBeGreaterThan(0.9);
      const quiet = Float32Array.from(jfk, (value) => value / 20);
      levelForVad(quiet);
      const peak = quiet.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
      expect(peak).toBeGreaterThan(0.1);
      expect(peak).toBeLessThanOrEqual(0.31);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
