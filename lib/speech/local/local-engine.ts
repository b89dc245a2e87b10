import { PCM_SAMPLE_RATE, readPcm, type PcmAudio } from "@/lib/audio/pcm";
import { AppError } from "@/lib/domain/errors";
import { TaskQueue } from "@/lib/util/serial-queue";
import type {
  EngineInfo,
  EngineStatus,
  Segment,
  SpeechEngine,
  SpeechResult,
  TranscribeOptions,
} from "../types";
import { diarizeAudio } from "../diarization/diarize-audio";
import { labelSegments } from "../diarization/label-segments";
import { resolvePackageFile, vadSource } from "./model-files";
import { prepareWhisperModel } from "./prepare-model";
import { PriorityGate } from "./priority-gate";
import { SileroVad, VAD_FRAME_SAMPLES } from "./silero-vad";
import { WhisperModel } from "./whisper-model";
import { transcribeLongForm, type WindowDecoder } from "./long-form";
import { collapseLoops, findRepetition, isLoop, isSoundLabel, normalizedWords } from "./text-quality";
import type { WindowPlanOptions } from "./windows";

/** Settings of the local engine, from `AppConfig`. */
export interface LocalEngineOptions {
  modelDir: string;
  threads: number;
  windowSec: number;
  beams: number;
}

interface LoadedModels {
  whisper: WhisperModel;
  vad: SileroVad;
}

/** What the local engine is and can do. */
export const LOCAL_ENGINE_INFO: EngineInfo = {
  id: "local-whisper-tiny.en",
  name: "Local Whisper tiny.en",
  languages: ["en-US"],
  multilingual: false,
  diarization: true,
};

/**
 * The embedded default: Whisper tiny.en (int8, onnxruntime-node) with Silero VAD cutting long
 * audio into ≤28 s windows at silences, and speakers found offline (`lib/speech/diarization`) when
 * asked. Models load once per process; requests take turns.
 */
export class LocalWhisperEngine implements SpeechEngine {
  readonly info: EngineInfo = LOCAL_ENGINE_INFO;

  private loading: Promise<LoadedModels> | null = null;
  private current: EngineStatus = { ready: false, state: "idle" };
  private readonly queue = new TaskQueue(1);
  /** The Whisper model, one decode at a time: live decodes go before file windows. */
  private readonly gate = new PriorityGate({ liveQuietMs: 700, fileMaxWaitMs: 4_000 });

  constructor(private readonly options: LocalEngineOptions) {}

  status(): EngineStatus {
    return { ...this.current };
  }

  async warmUp(): Promise<void> {
    await this.models();
  }

  async transcribe(audio: PcmAudio, options: TranscribeOptions): Promise<SpeechResult> {
    const models = await this.models().catch((error: unknown) => {
      throw new AppError("engine_unavailable", "The local speech engine could not be loaded.", {
        cause: error,
      });
    });
    return this.queue.run(async () => {
      options.signal?.throwIfAborted();
      try {
        const { segments, uncovered, stats } = await this.run(models, audio, options);
        return {
          segments,
          text: segments.map((segment) => segment.text).join(" "),
          language: "en",
          durationSec: audio.durationSec,
          uncovered,
          decoding: stats,
        };
      } catch (error) {
        if (error instanceof AppError || options.signal?.aborted) throw error;
        throw new AppError("engine_failed", "The speech engine failed while transcribing this audio.", {
          cause: error,
        });
      }
    });
  }

  /**
   * Decodes live audio (one utterance, at most 30 s) ahead of any file window waiting for the model.
   * A `final` decode gets the file path's guards: a looping output is decoded again with beam search
   * and a repetition penalty, and loops that survive are cut to one copy. Sound labels are dropped.
   */
  async decodeSamples(samples: Float32Array, options: { final: boolean }): Promise<Segment[]> {
    const { whisper } = await this.models();
    const durationSec = samples.length / PCM_SAMPLE_RATE;
    const decode = async (settings: { beams?: number; repetitionPenalty?: number }) => {
      const run = () => whisper.decode(samples, settings);
      const output = options.final ? await this.gate.run("final", run) : await this.gate.runPartial(run);
      if (!output) return [];
      return whisper.tokenizer
        .segment(output.tokens, durationSec)
        .filter((segment) => segment.text.trim() && !isSoundLabel(segment.text));
    };
    let segments = await decode({});
    const loops = (list: Array<{ text: string }>) =>
      isLoop(findRepetition(normalizedWords(list.map((segment) => segment.text).join(" "))));
    if (options.final && loops(segments)) {
      segments = await decode({ beams: 4, repetitionPenalty: 1.1 });
      if (loops(segments))
        segments = segments.map((segment) => ({ ...segment, text: collapseLoops(segment.text) }));
    }
    return segments.map((segment) => ({ start: segment.start, end: segment.end, text: segment.text.trim() }));
  }

  /**
   * Labels segments decoded elsewhere (a live session's finals) with the speakers of `audio`. It
   * does not wait for a running file transcription: the VAD keeps no state between calls.
   */
  async labelSpeakers(
    audio: PcmAudio,
    segments: Segment[],
    options: { speakers?: number },
  ): Promise<Segment[]> {
    const { vad } = await this.models();
    const probabilities = await vad.detect(audio);
    const { turns } = await diarizeAudio(audio, {
      probabilities,
      frameSamples: VAD_FRAME_SAMPLES,
      speakers: options.speakers,
    });
    return labelSegments(segments, turns);
  }

  /** Frees the loaded models once the running transcription ends; they load again on next use. */
  async release(): Promise<void> {
    const loading = this.loading;
    this.loading = null;
    const models = await loading?.catch(() => null);
    if (!models) return;
    await this.queue.run(async () => {
      await Promise.all([models.whisper.release(), models.vad.release()]);
    });
    this.current = { ready: false, state: "idle" };
  }

  private models(): Promise<LoadedModels> {
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<LoadedModels> {
    const started = Date.now();
    this.current = { ready: false, state: "loading" };
    try {
      const files = await prepareWhisperModel(this.options.modelDir);
      const [whisper, vad] = await Promise.all([
        WhisperModel.load(files, { threads: this.options.threads, beams: this.options.beams }),
        SileroVad.load(resolvePackageFile(vadSource), this.options.threads),
      ]);
      this.current = { ready: true, state: "ready", loadMs: Date.now() - started };
      return { whisper, vad };
    } catch (error) {
      this.current = { ready: false, state: "failed", error: "The local speech model could not be loaded." };
      this.loading = null;
      throw error;
    }
  }

  /** Finds speech, then decodes it window by window with Whisper's long-form rules. */
  private async run(models: LoadedModels, audio: PcmAudio, options: TranscribeOptions) {
    const plan: WindowPlanOptions = {
      sampleRate: audio.sampleRate,
      frameSamples: VAD_FRAME_SAMPLES,
      maxWindowSec: this.options.windowSec,
    };
    const probabilities = await models.vad.detect(audio, { signal: options.signal });
    options.onProgress?.(0.01);
    const { whisper } = models;
    const decode: WindowDecoder = async ({ window, beams, repetitionPenalty }) => {
      const samples = await readPcm(audio, window.start, window.end - window.start);
      const output = await this.gate.run("file", () => whisper.decode(samples, { beams, repetitionPenalty }));
      return {
        segments: whisper.tokenizer.segment(output.tokens, samples.length / audio.sampleRate),
        avgLogProb: output.avgLogProb,
        finished: output.tokens.includes(whisper.tokenizer.endOfText),
      };
    };
    const result = await transcribeLongForm({
      probabilities,
      totalSamples: audio.samples,
      plan,
      decode,
      signal: options.signal,
      onProgress: options.onProgress,
      onSegments: options.onSegments,
    });
    if (!options.diarize) return result;
    const { turns } = await diarizeAudio(audio, {
      probabilities,
      frameSamples: VAD_FRAME_SAMPLES,
      speakers: options.speakers,
      signal: options.signal,
    });
    return { ...result, segments: labelSegments(result.segments, turns) };
  }
}
