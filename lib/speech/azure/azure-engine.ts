import fs from "node:fs";
import type { TokenCredential } from "@azure/identity";
import { float32ToInt16, PCM_SAMPLE_RATE, type PcmAudio } from "@/lib/audio/pcm";
import { pieceBlob, planPieces } from "@/lib/audio/pieces";
import type { AzureSpeechConfig } from "@/lib/config";
import { AppError } from "@/lib/domain/errors";
import { logger } from "@/lib/log";
import type {
  EngineInfo,
  EngineStatus,
  LiveOptions,
  LiveTranscription,
  Segment,
  SpeechEngine,
  SpeechResult,
  TranscribeOptions,
} from "../types";
import { defaultAzureCredential, EntraSpeechTokens } from "./entra-token";
import {
  FAST_TRANSCRIPTION_LIMITS,
  FastTranscriptionNotOffered,
  fastTranscriptionUrl,
  PhraseMapper,
  requestTranscription,
  speakerPlan,
  transcriptionDefinition,
  type FastTranscriptionResult,
  type RetryPolicy,
} from "./fast-transcription";
import { AZURE_SPEECH_LOCALES, chooseLanguage, type LanguageChoice } from "./languages";
import {
  loadSpeechSdk,
  startRecognition,
  type AzureRecognition,
  type RecognitionSettings,
} from "./recognition";

/** What the Azure engine is and can do. */
export const AZURE_ENGINE_INFO: EngineInfo = {
  id: "azure-speech",
  name: "Azure AI Speech",
  languages: ["auto", ...AZURE_SPEECH_LOCALES],
  multilingual: true,
  diarization: true,
};

/** Timing of the Azure engine; the defaults suit the real service, tests shorten them. */
export interface AzureEngineTuning {
  /** How long the service may stay silent while it owes an answer (default 30 s). */
  stallTimeoutMs?: number;
  /** Audio a file transcription keeps queued ahead of what the SDK has sent (default 30 s). */
  aheadSec?: number;
  /** The Entra ID credential when the config asks for one (default: DefaultAzureCredential). */
  credential?: TokenCredential;
  /** Longest audio of one fast transcription request, in seconds (default: the service's limits). */
  maxPieceSec?: number;
  /** Retries of a throttled (429) or failing (5xx) fast transcription request (default 4). */
  maxRetries?: number;
  /** First wait between retries when the service names none, doubling after each (default 1 s). */
  retryDelayMs?: number;
  /** Longest `Retry-After` waited for; a longer one fails at once, for the job to retry later (default 60 s). */
  maxRetryAfterMs?: number;
}

const FILE_CHUNK_BYTES = 2 * PCM_SAMPLE_RATE * 2;
const WAV_HEADER_BYTES = 44;

/**
 * Azure AI Speech. Files go to the fast transcription REST API: one multipart request per file (per
 * piece of at most the service's limits, cut at a pause), answered faster than real time, with
 * `maxSpeakers` for diarization and `Retry-After` on throttling, none of which the JavaScript SDK
 * offers. Where the endpoint has no fast transcription (a speech container, a region without it,
 * Entra ID without the resource's custom domain), files are streamed through the SDK's real-time
 * recognition instead, as live streams always are: from a push stream on the server (the key
 * never leaves it), diarization through the conversation transcriber.
 */
export class AzureSpeechEngine implements SpeechEngine {
  readonly info: EngineInfo = AZURE_ENGINE_INFO;

  private rejected: AppError | null = null;
  private readonly stallTimeoutMs: number;
  private readonly aheadBytes: number;
  private readonly tokens: EntraSpeechTokens | null = null;
  private defaultCredential: TokenCredential | undefined;
  /** Where files are sent, while the endpoint is known or believed to offer fast transcription. */
  private fastUrl: URL | null;
  private readonly pieceBytes: number;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly config: AzureSpeechConfig,
    tuning: AzureEngineTuning = {},
  ) {
    this.stallTimeoutMs = tuning.stallTimeoutMs ?? 30_000;
    this.aheadBytes = Math.round((tuning.aheadSec ?? 30) * PCM_SAMPLE_RATE * 2);
    const pieceSec = tuning.maxPieceSec ?? FAST_TRANSCRIPTION_LIMITS.maxSec;
    this.pieceBytes = Math.min(
      FAST_TRANSCRIPTION_LIMITS.maxBytes,
      Math.floor(pieceSec * PCM_SAMPLE_RATE) * 2 + WAV_HEADER_BYTES,
    );
    this.retry = {
      maxRetries: tuning.maxRetries ?? 4,
      baseDelayMs: tuning.retryDelayMs ?? 1000,
      maxRetryAfterMs: tuning.maxRetryAfterMs ?? 60_000,
    };
    this.fastUrl = fastTranscriptionUrl(config);
    if (!this.fastUrl) {
      logger.info(
        "Azure AI Speech: files use real-time recognition, as fast transcription takes Entra ID tokens only on the resource's custom domain (set AZURE_SPEECH_ENDPOINT)",
      );
    }
    if (config.entraIdResourceId) {
      const credential = tuning.credential;
      this.tokens = new EntraSpeechTokens(config.entraIdResourceId, {
        getToken: async (scopes, options) =>
          (credential ?? (this.defaultCredential ??= await defaultAzureCredential())).getToken(
            scopes,
            options,
          ),
      });
    }
  }

  /** Ready once configured; failed (until a session succeeds) after the service refused the credentials. */
  status(): EngineStatus {
    if (this.rejected) return { ready: false, state: "failed", error: this.rejected.message };
    return { ready: true, state: "ready", loadMs: 0 };
  }

  /** Loads the SDK; the service itself is reached per session. */
  async warmUp(): Promise<void> {
    await loadSpeechSdk();
  }

  async transcribe(audio: PcmAudio, options: TranscribeOptions): Promise<SpeechResult> {
    const url = this.fastUrl;
    if (url) {
      try {
        return await this.transcribeFast(url, audio, options);
      } catch (error) {
        if (!(error instanceof FastTranscriptionNotOffered)) throw error;
        this.fastUrl = null;
        logger.warn(
          "Azure AI Speech: the endpoint has no fast transcription (404); files use real-time recognition",
        );
      }
    }
    return this.transcribeInRealTime(audio, options);
  }

  /** A file through fast transcription, in pieces within the service's limits, joined in time. */
  private async transcribeFast(url: URL, audio: PcmAudio, options: TranscribeOptions): Promise<SpeechResult> {
    const { signal } = options;
    signal?.throwIfAborted();
    const choice = chooseLanguage(options.language, this.config.autoLanguages);
    const speakers = speakerPlan(options.diarize, options.speakers);
    const definition = transcriptionDefinition(choice, this.config.profanity, speakers);
    const spans = await planPieces(audio, this.pieceBytes);
    const phrases = new PhraseMapper(speakers);
    const segments: Segment[] = [];
    options.onProgress?.(0);
    for (const [index, span] of spans.entries()) {
      const start = span.start / PCM_SAMPLE_RATE;
      const end = (span.start + span.samples) / PCM_SAMPLE_RATE;
      let result: FastTranscriptionResult;
      try {
        result = await requestTranscription({
          url,
          definition,
          audio: await pieceBlob(audio, span),
          authorization: () => this.restAuthorization(),
          signal,
          // The service promises faster than real time: real time and two minutes is a generous bound.
          timeoutMs: 120_000 + (end - start) * 1000,
          retry: this.retry,
        });
      } catch (error) {
        if (error instanceof FastTranscriptionNotOffered && index > 0) {
          throw new AppError("engine_unavailable", "Azure AI Speech stopped offering fast transcription.", {
            cause: error,
          });
        }
        if (error instanceof AppError && error.code === "engine_rejected") this.rejected = error;
        throw error;
      }
      this.rejected = null;
      segments.push(...phrases.segments(result, { index, start, end }));
      options.onSegments?.([...segments]);
      options.onProgress?.((index + 1) / spans.length);
    }
    if (spans.length === 0) options.onProgress?.(1);
    return {
      text: segments.map((segment) => segment.text).join(" "),
      segments,
      language: phrases.language() ?? requestedLocale(choice),
      durationSec: audio.durationSec,
    };
  }

  /** The REST API's authentication: the key, or an Entra ID access token. */
  private async restAuthorization(): Promise<Record<string, string>> {
    if (!this.tokens) return { "Ocp-Apim-Subscription-Key": this.config.key ?? "" };
    try {
      return { Authorization: `Bearer ${await this.tokens.accessToken()}` };
    } catch (error) {
      if (error instanceof AppError) this.rejected = error;
      throw error;
    }
  }

  /** A file streamed through the SDK's real-time recognition, as fast as the SDK takes it. */
  private async transcribeInRealTime(audio: PcmAudio, options: TranscribeOptions): Promise<SpeechResult> {
    const { signal } = options;
    signal?.throwIfAborted();
    const sdk = await loadSpeechSdk();
    signal?.throwIfAborted();
    const authorization = await this.authorization();
    signal?.throwIfAborted();
    const choice = chooseLanguage(options.language, this.config.autoLanguages);
    const segments: Segment[] = [];
    const heard = new Map<string, number>();
    let progress = 0;
    const recognition = startRecognition(sdk, {
      ...this.session(options.diarize, authorization),
      language: choice,
      onRecognized: (segment, language) => {
        segments.push(segment);
        if (language) heard.set(language, (heard.get(language) ?? 0) + segment.end - segment.start);
        options.onSegments?.([...segments]);
        const fraction = audio.durationSec > 0 ? Math.min(1, segment.end / audio.durationSec) : 1;
        if (fraction > progress) {
          progress = fraction;
          options.onProgress?.(fraction);
        }
      },
    });
    const onAbort = () =>
      recognition.abort(signal?.reason ?? new DOMException("The transcription was aborted.", "AbortError"));
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await this.feed(audio, recognition);
      recognition.end();
      await recognition.done;
    } catch (error) {
      recognition.abort(error);
      throw error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    if (progress < 1) options.onProgress?.(1);
    return {
      text: segments.map((segment) => segment.text).join(" "),
      segments,
      language: mostHeard(heard) ?? requestedLocale(choice),
      durationSec: audio.durationSec,
    };
  }

  startLive(options: LiveOptions): LiveTranscription {
    const finals: Segment[] = [];
    let open = true;
    const recognition = Promise.all([loadSpeechSdk(), this.authorization()]).then(([sdk, authorization]) =>
      startRecognition(sdk, {
        ...this.session(options.diarize, authorization),
        language: chooseLanguage(options.language, this.config.autoLanguages),
        onRecognizing: (start, text) => {
          if (open) options.emit({ type: "partial", start, text, stable: "" });
        },
        onRecognized: (segment) => {
          if (!open) return;
          finals.push(segment);
          options.emit({ type: "final", segment });
        },
      }),
    );
    recognition.catch(() => undefined);
    return {
      push: async (samples) => {
        const session = await recognition;
        if (open) session.write(float32ToInt16(samples));
      },
      finish: async () => {
        const session = await recognition;
        if (!open) return [...finals];
        session.end();
        try {
          await session.done;
        } finally {
          open = false;
        }
        return [...finals];
      },
      close: () => {
        open = false;
        void recognition.then(
          (session) => session.abort(new DOMException("The live transcription was closed.", "AbortError")),
          () => undefined,
        );
      },
    };
  }

  private async authorization(): Promise<RecognitionSettings["authorization"]> {
    const tokens = this.tokens;
    if (!tokens) return undefined;
    try {
      return { token: await tokens.get(), refresh: () => tokens.get() };
    } catch (error) {
      if (error instanceof AppError) this.rejected = error;
      throw error;
    }
  }

  private session(
    diarize: boolean,
    authorization: RecognitionSettings["authorization"],
  ): Omit<RecognitionSettings, "language" | "onRecognized"> {
    return {
      azure: this.config,
      authorization,
      diarize,
      stallTimeoutMs: this.stallTimeoutMs,
      onCredentials: (accepted, error) => {
        this.rejected = accepted ? null : (error ?? null);
      },
    };
  }

  /** Streams the PCM file into the session, keeping at most `aheadBytes` queued ahead of the SDK. */
  private async feed(audio: PcmAudio, recognition: AzureRecognition): Promise<void> {
    const file = fs.createReadStream(audio.path, { highWaterMark: FILE_CHUNK_BYTES });
    try {
      for await (const chunk of file as AsyncIterable<Buffer>) {
        await recognition.drainTo(this.aheadBytes);
        recognition.write(chunk);
      }
    } finally {
      file.destroy();
    }
  }
}

/** The locale asked for, or the first candidate when the service was to detect it. */
function requestedLocale(choice: LanguageChoice): string {
  return "locale" in choice ? choice.locale : (choice.candidates[0] ?? "en-US");
}

function mostHeard(heard: Map<string, number>): string | undefined {
  let best: string | undefined;
  let longest = -1;
  for (const [language, seconds] of heard) {
    if (seconds > longest) [best, longest] = [language, seconds];
  }
  return best;
}
