import type { PcmAudio } from "@/lib/audio/pcm";
import type { Segment, UncoveredSpeech } from "@/lib/domain/transcript";

export type { Segment, UncoveredSpeech };

/** What an engine can do; shown in the UI and in `/api/health`. */
export interface EngineInfo {
  /** Stable identifier stored with each transcript, e.g. `local-whisper-tiny.en`. */
  id: string;
  /** Human-readable name, e.g. `Local Whisper tiny.en`. */
  name: string;
  /** BCP-47 locales the engine accepts; `auto` is listed when it detects the language itself. */
  languages: string[];
  multilingual: boolean;
  diarization: boolean;
}

/** Whether the engine can take work right now. */
export interface EngineStatus {
  ready: boolean;
  state: "idle" | "loading" | "ready" | "failed";
  /** Present when loading failed: a message safe to show. */
  error?: string;
  /** Milliseconds the model took to load, once loaded. */
  loadMs?: number;
}

/** Per-request choices. */
export interface TranscribeOptions {
  language: string;
  diarize: boolean;
  /**
   * How many speakers the recording has, when the user knows (with `diarize`). Engines that can
   * only bound the count treat it as the most they may find.
   */
  speakers?: number;
  signal?: AbortSignal;
  /** Called with the fraction (0..1) of the audio processed so far. */
  onProgress?: (fraction: number) => void;
  /** Called with every segment decoded so far, in time order, each time more are decoded. */
  onSegments?: (segments: Segment[]) => void;
}

/** An engine's answer for one file. */
export interface SpeechResult {
  text: string;
  segments: Segment[];
  language: string;
  durationSec: number;
  /** Speech that is not in `segments`, when the engine can tell (an empty list: nothing missing). */
  uncovered?: UncoveredSpeech[];
  /** What the decoding cost, when the engine decodes in windows (benchmarks and logs). */
  decoding?: DecodingStats;
}

/** Work done by a windowed decoder: retries must stay rare. */
export interface DecodingStats {
  /** Windows decoded (main pass and recovered stretches). */
  windows: number;
  /** Decoder runs in all, retries included. */
  decodes: number;
  /** Windows whose first decoding failed a quality check. */
  retried: number;
  /** Windows still looping after every fallback, whose repeats were cut. */
  loopsCut: number;
  /** Stretches of speech the first pass missed and a second pass recovered. */
  gapsFilled: number;
}

/** A speech-to-text engine for whole files. Implementations map vendor errors to `AppError`s. */
export interface SpeechEngine {
  readonly info: EngineInfo;
  /** Current readiness, without side effects. */
  status(): EngineStatus;
  /** Loads models or checks credentials; safe to call many times, resolves once ready. */
  warmUp(): Promise<void>;
  /** Transcribes decoded 16 kHz mono audio. Rejects with an `AppError`. */
  transcribe(audio: PcmAudio, options: TranscribeOptions): Promise<SpeechResult>;
  /**
   * Asks the service, at no cost, whether it answers and takes the credentials (once, at start-up;
   * see `/api/health`). Rejects with an `AppError` whose message is safe to show. Engines with
   * nothing to ask leave it out.
   */
  check?(signal: AbortSignal): Promise<void>;
  /** Releases what the engine holds (a thread, a model) once its work stops; it loads again on use. */
  close?(): Promise<void>;
  /**
   * Labels segments transcribed elsewhere (a live session's finals) with the speakers of the
   * recorded audio, as `transcribe` does with `diarize`. Engines without offline speaker
   * identification leave it out.
   */
  labelSpeakers?(audio: PcmAudio, segments: Segment[], options: { speakers?: number }): Promise<Segment[]>;
  /**
   * Starts transcribing a live 16 kHz mono stream: events arrive through `options.emit` while
   * audio is pushed. Engines without live support leave it out.
   */
  startLive?(options: LiveOptions): LiveTranscription;
}

/**
 * What a live transcription tells its listener.
 * - `partial`: the open utterance as heard so far (replaces the previous partial); `stable` is
 *   the start of `text` that later partials keep; the rest is a guess.
 * - `final`: a finished utterance, with times in seconds from the start of the stream.
 */
export type LiveEvent =
  { type: "partial"; start: number; text: string; stable: string } | { type: "final"; segment: Segment };

/** Per-session choices of a live transcription. */
export interface LiveOptions {
  /** BCP-47 locale or `auto`. */
  language: string;
  diarize: boolean;
  /** How many speakers the stream has, when the user knows (with `diarize`); see {@link TranscribeOptions}. */
  speakers?: number;
  emit: (event: LiveEvent) => void;
}

/** One live stream being transcribed. Implementations map vendor errors to `AppError`s. */
export interface LiveTranscription {
  /** Takes the next audio (16 kHz mono, -1..1); resolves once it is taken in (not decoded). */
  push(samples: Float32Array): Promise<void>;
  /** Ends the stream: what is still open is decoded; resolves with every final segment, in order. */
  finish(): Promise<Segment[]>;
  /** Drops the stream at once without decoding what is left (an aborted session). */
  close(): void;
}

/** The local engine's building blocks of live transcription: voice activity and utterance decodes. */
export interface LiveModel {
  /** Opens one stream's use of the model. */
  openLive(): LiveDecoding;
}

/** One live stream's use of an engine: its voice activity, and decodes of its utterances. */
export interface LiveDecoding {
  /** Takes the next 16 kHz audio; answers the speech probability of each VAD frame it completes. */
  vad(samples: Float32Array): Promise<number[]>;
  /** Decodes one utterance (at most 30 s); `final` adds the quality guards of file transcription. */
  decode(samples: Float32Array, options: { final: boolean }): Promise<Segment[]>;
}
