import fs from "node:fs";
import type { TokenCredential } from "@azure/identity";
import { float32ToInt16, PCM_SAMPLE_RATE, type PcmAudio } from "@/lib/audio/pcm";
import type { AzureSpeechConfig } from "@/lib/config";
import { AppError } from "@/lib/domain/errors";
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
import { AZURE_SPEECH_LOCALES, chooseLanguage } from "./languages";
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
}

const FILE_CHUNK_BYTES = 2 * PCM_SAMPLE_RATE * 2;

/**
 * Azure AI Speech through its SDK's continuous recognition, from a push stream on the server (the
 * key never leaves it). Files are streamed from their PCM as fast as the SDK takes them; live
 * streams are relayed as they arrive. Diarization uses the conversation transcriber.
 *
 * Files go through the same real-time session as live audio rather than the fast transcription
 * REST API, so one code path (and one set of failure handling) serves both; the REST API would
 * finish long files faster than real-time streaming does.
 */
export class AzureSpeechEngine implements SpeechEngine {
  readonly info: EngineInfo = AZURE_ENGINE_INFO;

  private rejected: AppError | null = null;
  private readonly stallTimeoutMs: number;
  private readonly aheadBytes: number;
  private readonly tokens: EntraSpeechTokens | null = null;
  private defaultCredential: TokenCredential | undefined;

  constructor(
    private readonly config: AzureSpeechConfig,
    tuning: AzureEngineTuning = {},
  ) {
    this.stallTimeoutMs = tuning.stallTimeoutMs ?? 30_000;
    this.aheadBytes = Math.round((tuning.aheadSec ?? 30) * PCM_SAMPLE_RATE * 2);
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
      language: mostHeard(heard) ?? ("locale" in choice ? choice.locale : (choice.candidates[0] ?? "en-US")),
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

function mostHeard(heard: Map<string, number>): string | undefined {
  let best: string | undefined;
  let longest = -1;
  for (const [language, seconds] of heard) {
    if (seconds > longest) [best, longest] = [language, seconds];
  }
  return best;
}
