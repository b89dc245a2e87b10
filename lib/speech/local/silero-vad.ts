import * as ort from "onnxruntime-node";
import { readPcm, type PcmAudio } from "@/lib/audio/pcm";

/** Samples per frame Silero VAD v5 takes at 16 kHz, and the context it keeps from the last frame. */
export const VAD_FRAME_SAMPLES = 512;
const CONTEXT_SAMPLES = 64;

/** Silero VAD v5 on onnxruntime-node: one speech probability per 32 ms frame. */
export class SileroVad {
  private constructor(private readonly session: ort.InferenceSession) {}

  /** Frees the model's native memory; the object is unusable afterwards. */
  async release(): Promise<void> {
    await this.session.release();
  }

  /** Loads the model; one session can serve many sequential streams. */
  static async load(modelPath: string, threads = 1): Promise<SileroVad> {
    const session = await ort.InferenceSession.create(modelPath, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
      enableCpuMemArena: false,
    });
    return new SileroVad(session);
  }

  /**
   * Speech probability of every frame of a decoded file. The file is split into `lanes` equal
   * parts run as one batch (each part with its own recurrent state), which is several times
   * faster than frame-by-frame calls; parts are long enough that a fresh state at each start
   * costs nothing measurable.
   */
  async detect(
    audio: PcmAudio,
    options: { signal?: AbortSignal; minLaneSec?: number; maxLanes?: number } = {},
  ) {
    const totalFrames = Math.ceil(audio.samples / VAD_FRAME_SAMPLES);
    const probabilities = new Float32Array(totalFrames);
    const laneFramesMin = Math.ceil(((options.minLaneSec ?? 20) * audio.sampleRate) / VAD_FRAME_SAMPLES);
    const lanes = Math.max(1, Math.min(options.maxLanes ?? 32, Math.floor(totalFrames / laneFramesMin)));
    const laneFrames = Math.ceil(totalFrames / lanes);
    const stepFrames = 64;
    const width = CONTEXT_SAMPLES + VAD_FRAME_SAMPLES;
    const input = new Float32Array(lanes * width);
    let state = new Float32Array(2 * lanes * 128);
    const sampleRate = new ort.Tensor("int64", BigInt64Array.of(16000n), []);

    for (let block = 0; block < laneFrames; block += stepFrames) {
      options.signal?.throwIfAborted();
      const count = Math.min(stepFrames, laneFrames - block);
      const chunks = await Promise.all(
        Array.from({ length: lanes }, async (_, lane) => {
          // Read a margin on each side so that the level of a frame never depends on where a block starts.
          const firstFrame = lane * laneFrames + block;
          const before = Math.min(SPREAD_FRAMES, firstFrame);
          const samples = await readPcm(
            audio,
            (firstFrame - before) * VAD_FRAME_SAMPLES,
            (before + count + SPREAD_FRAMES) * VAD_FRAME_SAMPLES,
          );
          levelForVad(samples);
          return samples.subarray(before * VAD_FRAME_SAMPLES, (before + count) * VAD_FRAME_SAMPLES);
        }),
      );
      for (let step = 0; step < count; step++) {
        for (let lane = 0; lane < lanes; lane++) {
          const row = input.subarray(lane * width, (lane + 1) * width);
          row.copyWithin(0, VAD_FRAME_SAMPLES);
          row.fill(0, CONTEXT_SAMPLES);
          row.set(
            chunks[lane]!.subarray(step * VAD_FRAME_SAMPLES, (step + 1) * VAD_FRAME_SAMPLES),
            CONTEXT_SAMPLES,
          );
        }
        const result = await this.session.run({
          input: new ort.Tensor("float32", input, [lanes, width]),
          state: new ort.Tensor("float32", state, [2, lanes, 128]),
          sr: sampleRate,
        });
        state = new Float32Array(result.stateN!.data as Float32Array);
        const output = result.output!.data as Float32Array;
        for (let lane = 0; lane < lanes; lane++) {
          const frame = lane * laneFrames + block + step;
          if (frame < totalFrames) probabilities[frame] = output[lane] ?? 0;
        }
      }
    }
    return probabilities;
  }

  /** Starts a fresh stream with its own recurrent state. */
  createStream(): VadStream {
    return new VadStream(this.session);
  }
}

/** Feeds audio of any chunk size and collects one probability per complete frame. */
export class VadStream {
  private readonly state = new Float32Array(2 * 128);
  private readonly input = new Float32Array(CONTEXT_SAMPLES + VAD_FRAME_SAMPLES);
  private readonly sampleRate = new ort.Tensor("int64", BigInt64Array.of(16000n), []);
  private pending = new Float32Array(0);

  constructor(private readonly session: ort.InferenceSession) {}

  /** Returns the probabilities of the frames completed by this chunk. */
  async push(chunk: Float32Array): Promise<number[]> {
    const joined = new Float32Array(this.pending.length + chunk.length);
    joined.set(this.pending);
    joined.set(chunk, this.pending.length);
    const probabilities: number[] = [];
    let offset = 0;
    for (; offset + VAD_FRAME_SAMPLES <= joined.length; offset += VAD_FRAME_SAMPLES) {
      probabilities.push(await this.runFrame(joined.subarray(offset, offset + VAD_FRAME_SAMPLES)));
    }
    this.pending = joined.slice(offset);
    return probabilities;
  }

  /** Pads the last partial frame with silence and returns its probability, if any. */
  async flush(): Promise<number[]> {
    if (this.pending.length === 0) return [];
    const frame = new Float32Array(VAD_FRAME_SAMPLES);
    frame.set(this.pending);
    this.pending = new Float32Array(0);
    return [await this.runFrame(frame)];
  }

  private async runFrame(frame: Float32Array): Promise<number> {
    this.input.set(frame, CONTEXT_SAMPLES);
    const result = await this.session.run({
      input: new ort.Tensor("float32", this.input, [1, this.input.length]),
      state: new ort.Tensor("float32", this.state, [2, 1, 128]),
      sr: this.sampleRate,
    });
    this.state.set(result.stateN!.data as Float32Array);
    this.input.copyWithin(0, VAD_FRAME_SAMPLES);
    return (result.output!.data as Float32Array)[0] ?? 0;
  }
}

/** Level the VAD's input is raised to (peak, full scale = 1). */
const TARGET_PEAK = 0.3;
/** At most +18 dB. */
const MAX_GAIN = 8;
/** Below about −46 dBFS a stretch is room noise, not quiet speech: left as it is. */
const NOISE_PEAK = 0.005;
/** Frames on each side that set a frame's gain (about a quarter second). */
const SPREAD_FRAMES = 8;

/**
 * Raises quiet stretches (a distant or soft-spoken word between loud ones) towards a common
 * level, in place, frame by frame: Silero misses speech well below the rest of the file. Only
 * the VAD's copy of the audio is changed; Whisper hears the original.
 */
export function levelForVad(samples: Float32Array): void {
  const frames = Math.ceil(samples.length / VAD_FRAME_SAMPLES);
  const peaks = new Float32Array(frames);
  for (let frame = 0; frame < frames; frame++) {
    let peak = 0;
    const end = Math.min(samples.length, (frame + 1) * VAD_FRAME_SAMPLES);
    for (let i = frame * VAD_FRAME_SAMPLES; i < end; i++) peak = Math.max(peak, Math.abs(samples[i]!));
    peaks[frame] = peak;
  }
  for (let frame = 0; frame < frames; frame++) {
    let local = 0;
    for (
      let other = Math.max(0, frame - SPREAD_FRAMES);
      other <= Math.min(frames - 1, frame + SPREAD_FRAMES);
      other++
    ) {
      local = Math.max(local, peaks[other]!);
    }
    if (local < NOISE_PEAK || local >= TARGET_PEAK) continue;
    const gain = Math.min(MAX_GAIN, TARGET_PEAK / local);
    const end = Math.min(samples.length, (frame + 1) * VAD_FRAME_SAMPLES);
    for (let i = frame * VAD_FRAME_SAMPLES; i < end; i++) samples[i] = samples[i]! * gain;
  }
}
