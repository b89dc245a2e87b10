import type OpenAI from "openai";
import type * as OpenAiSdk from "openai";
import { PCM_SAMPLE_RATE, type PcmAudio } from "@/lib/audio/pcm";
import type { OpenAiSpeechConfig } from "@/lib/config";
import { AppError } from "@/lib/domain/errors";
import type {
  EngineInfo,
  EngineStatus,
  Segment,
  SpeechEngine,
  SpeechResult,
  TranscribeOptions,
} from "../types";
import { MULTILINGUAL_LOCALES } from "@/lib/speech/locales";
import { reportedLanguage, requestLanguage } from "./languages";
import { planPieces, readPiece } from "@/lib/audio/pieces";

/** Timing of the engine; the defaults suit real services, tests shorten them. */
export interface OpenAiEngineTuning {
  /** Retries of a throttled (429), failing (5xx) or unreachable request (default 4). */
  maxRetries?: number;
  /** Longest wait for one piece's answer (default 10 minutes). */
  timeoutMs?: number;
}

/**
 * Files through a Whisper-style `audio/transcriptions` endpoint (OpenAI, Azure OpenAI,
 * faster-whisper-server, LocalAI, vLLM). Audio over the service's upload limit goes in WAV pieces
 * cut at pauses, whose segments are joined with their offsets. The client retries 429 and 5xx
 * with backoff, honouring `Retry-After`; what still fails comes back as an `AppError`.
 */
export class OpenAiSpeechEngine implements SpeechEngine {
  readonly info: EngineInfo;

  private readonly model: string;
  private readonly service: string;
  private readonly tuning: Required<OpenAiEngineTuning>;
  private sdk: Promise<{ module: typeof OpenAiSdk; client: OpenAI }> | null = null;
  private state: EngineStatus = { ready: false, state: "idle" };

  constructor(
    private readonly config: OpenAiSpeechConfig,
    tuning: OpenAiEngineTuning = {},
  ) {
    this.tuning = { maxRetries: tuning.maxRetries ?? 4, timeoutMs: tuning.timeoutMs ?? 600_000 };
    this.model = config.kind === "azure" ? config.deployment : config.model;
    this.service = config.kind === "azure" ? "Azure OpenAI" : "The speech service";
    this.info = {
      id: `openai-compatible:${this.model}`,
      name: `OpenAI-compatible (${this.model})`,
      languages: ["auto", ...MULTILINGUAL_LOCALES],
      multilingual: true,
      diarization: false,
    };
  }

  /** Idle until checked; failed after the service refused the credentials (until a request succeeds). */
  status(): EngineStatus {
    return { ...this.state };
  }

  /** Loads the client; the service itself is reached per file. */
  async warmUp(): Promise<void> {
    await this.loadSdk();
    if (this.state.state === "idle") this.state = { ready: true, state: "ready", loadMs: 0 };
  }

  /**
   * Lists the service's models, which costs nothing: it answers and takes the key. A service
   * without that endpoint (a 404) answered all the same.
   */
  async check(signal: AbortSignal): Promise<void> {
    const { module, client } = await this.loadSdk();
    try {
      await client.models.list({ signal, maxRetries: 0, timeout: 10_000 });
    } catch (error) {
      const failure = checkFailure(module, error);
      if (failure) throw new AppError("engine_unavailable", failure, { cause: error });
    }
  }

  /** The `openai` package loads only when this provider is configured. */
  private loadSdk(): Promise<{ module: typeof OpenAiSdk; client: OpenAI }> {
    this.sdk ??= import("openai").then((module) => {
      const { config } = this;
      const common = { maxRetries: this.tuning.maxRetries, timeout: this.tuning.timeoutMs };
      const client =
        config.kind === "azure"
          ? new module.AzureOpenAI({
              // Without this the client also reads OPENAI_BASE_URL, which belongs to the summariser.
              baseURL: null,
              endpoint: config.endpoint,
              deployment: config.deployment,
              apiVersion: config.apiVersion,
              apiKey: config.apiKey,
              ...common,
            })
          : new module.default({
              baseURL: config.baseUrl,
              apiKey: config.apiKey ?? "not-needed",
              ...common,
            });
      return { module, client };
    });
    return this.sdk;
  }

  async transcribe(audio: PcmAudio, options: TranscribeOptions): Promise<SpeechResult> {
    const { signal } = options;
    signal?.throwIfAborted();
    await this.warmUp();
    const language = requestLanguage(options.language);
    const spans = await planPieces(audio, this.config.maxUploadBytes);
    const segments: Segment[] = [];
    let reported: string | undefined;
    for (const [index, span] of spans.entries()) {
      signal?.throwIfAborted();
      const wav = await readPiece(audio, span);
      const answer = await this.request(wav, index, language, signal);
      reported ??= answer.language;
      const offset = span.start / PCM_SAMPLE_RATE;
      const pieceEnd = (span.start + span.samples) / PCM_SAMPLE_RATE;
      for (const segment of answer.segments ?? []) {
        const text = segment.text.trim();
        if (!text) continue;
        const start = Math.min(pieceEnd, offset + Math.max(0, segment.start));
        const end = Math.min(pieceEnd, Math.max(start, offset + segment.end));
        segments.push({ start, end, text });
      }
      if (!answer.segments?.length && answer.text.trim()) {
        segments.push({ start: offset, end: pieceEnd, text: answer.text.trim() });
      }
      options.onSegments?.([...segments]);
      options.onProgress?.((index + 1) / spans.length);
    }
    return {
      segments,
      text: segments.map((segment) => segment.text).join(" "),
      language: reportedLanguage(reported, language),
      durationSec: audio.durationSec,
    };
  }

  private async request(
    wav: Buffer,
    index: number,
    language: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<OpenAI.Audio.TranscriptionVerbose> {
    const { module, client } = await this.loadSdk();
    try {
      const answer = await client.audio.transcriptions.create(
        {
          file: await module.toFile(wav, `piece-${index + 1}.wav`, { type: "audio/wav" }),
          model: this.model,
          response_format: "verbose_json",
          timestamp_granularities: ["segment"],
          ...(language ? { language } : {}),
        },
        { signal },
      );
      if (this.state.state !== "ready") this.state = { ready: true, state: "ready", loadMs: 0 };
      return answer;
    } catch (error) {
      if (signal?.aborted) {
        throw signal.reason ?? new DOMException("The transcription was aborted.", "AbortError");
      }
      const mapped = mapSpeechError(module, error, this.service);
      if (mapped.code === "engine_unavailable") {
        this.state = { ready: false, state: "failed", error: mapped.message };
      }
      throw mapped;
    }
  }
}

/** Why a start-up check failed, or null when the service answered (any answer but a refusal or a fault). */
function checkFailure(sdk: typeof OpenAiSdk, error: unknown): string | null {
  if (error instanceof sdk.APIConnectionError) {
    return "It could not be reached: check its URL and that it is running.";
  }
  if (!(error instanceof sdk.APIError)) return "The check failed before the service answered.";
  const status = error.status ?? 0;
  if (status === 401 || status === 403) return `It refused the key (error ${status}): check the API key.`;
  return status >= 500 ? `It answered with an error (${status}).` : null;
}

/** Maps the `openai` package's errors to ours, with messages a person can act on. */
export function mapSpeechError(sdk: typeof OpenAiSdk, error: unknown, service: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof sdk.APIConnectionError) {
    return new AppError(
      "engine_unavailable",
      `${service} could not be reached. Check its URL and that it is running.`,
      { cause: error },
    );
  }
  if (error instanceof sdk.APIError) {
    const status = error.status ?? 0;
    if (status === 401 || status === 403) {
      return new AppError(
        "engine_unavailable",
        `${service} rejected the request (error ${status}). Check the API key and the URL.`,
        { cause: error },
      );
    }
    if (status === 404) {
      return new AppError(
        "engine_unavailable",
        `${service} does not know the configured model, deployment or URL.`,
        { cause: error },
      );
    }
    if (status === 429) {
      return new AppError("rate_limited", `${service} is busy (rate limited). Try again in a minute.`, {
        cause: error,
      });
    }
    if (status === 400 || status === 413 || status === 415 || status === 422) {
      return new AppError("unprocessable", `${service} could not process this audio (error ${status}).`, {
        cause: error,
      });
    }
    return new AppError("engine_failed", `${service} failed while transcribing (error ${status}).`, {
      cause: error,
    });
  }
  return new AppError("engine_failed", `${service} failed while transcribing.`, { cause: error });
}
