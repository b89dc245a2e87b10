import { speakerLabel } from "@/lib/domain/speakers";
import type * as SpeechSdk from "microsoft-cognitiveservices-speech-sdk";
import { PCM_SAMPLE_RATE } from "@/lib/audio/pcm";
import type { AzureSpeechConfig } from "@/lib/config";
import { AppError } from "@/lib/domain/errors";
import type { Segment } from "@/lib/domain/transcript";
import { cancellationError, isCredentialFailure } from "./errors";
import type { LanguageChoice } from "./languages";

type Sdk = typeof SpeechSdk;
type CanceledEvent = Pick<
  SpeechSdk.SpeechRecognitionCanceledEventArgs,
  "reason" | "errorCode" | "errorDetails"
>;

let loading: Promise<Sdk> | null = null;

/** The Speech SDK, loaded on first use (processes on another engine never pay for it). */
export function loadSpeechSdk(): Promise<Sdk> {
  loading ??= import("microsoft-cognitiveservices-speech-sdk")
    .then((module) => (module as Sdk & { default?: Sdk }).default ?? module)
    .catch((error: unknown) => {
      loading = null;
      throw new AppError("engine_unavailable", "The Azure Speech SDK could not be loaded.", { cause: error });
    });
  return loading;
}

/** Offsets and durations of the service are in 100-nanosecond ticks. */
const TICKS_PER_SECOND = 10_000_000;
const BYTES_PER_SECOND = PCM_SAMPLE_RATE * 2;
/** The SDK sends audio in 100 ms messages: less than two of them unsent is not a backlog. */
const BACKLOG_BYTES = BYTES_PER_SECOND / 5;
/** How long a lost connection may stay lost while the service owes an answer. */
const RECONNECT_GRACE_MS = 5_000;
/** How often a session asks for its Entra ID token (renewed well before it expires). */
const TOKEN_CHECK_MS = 60_000;

const PROFANITY: Record<AzureSpeechConfig["profanity"], (sdk: Sdk) => SpeechSdk.ProfanityOption> = {
  masked: (sdk) => sdk.ProfanityOption.Masked,
  removed: (sdk) => sdk.ProfanityOption.Removed,
  raw: (sdk) => sdk.ProfanityOption.Raw,
};

/** Settings of one recognition session. */
export interface RecognitionSettings {
  azure: AzureSpeechConfig;
  /** With Entra ID: the SDK authorization token (`aad#…`), and how to get a fresh one. */
  authorization?: { token: string; refresh: () => Promise<string> };
  language: LanguageChoice;
  /** Transcribe with speaker labels (the conversation transcriber). */
  diarize: boolean;
  /** How long the service may stay silent while it owes an answer before the session fails. */
  stallTimeoutMs: number;
  /** Called with each hypothesis of the open utterance (its start in seconds, its text so far). */
  onRecognizing?: (start: number, text: string) => void;
  /** Called with each finished utterance, and the language the service heard, when it says. */
  onRecognized: (segment: Segment, language: string | undefined) => void;
  /** Called when the service refuses the credentials, and when a session ends well. */
  onCredentials?: (accepted: boolean, error?: AppError) => void;
}

/**
 * One continuous recognition on Azure AI Speech, fed through a server-side push stream (16 kHz,
 * 16-bit mono). The SDK reconnects by itself while it has audio to send; what it reports on
 * `canceled` and what this class watches for (a session that stops answering) end the session
 * with an `AppError`.
 */
export class AzureRecognition {
  /** Settles once the service has answered for all the audio (after {@link end}), or the session failed. */
  readonly done: Promise<void>;

  private readonly stream: SpeechSdk.PushAudioInputStream;
  private readonly recognizer: SpeechSdk.SpeechRecognizer | SpeechSdk.ConversationTranscriber;
  private readonly connection: SpeechSdk.Connection;
  private readonly watchdog: ReturnType<typeof setInterval>;
  /** The service's speaker ids (`Guest-1`…) as the app names speakers everywhere: `Speaker 1`…, by first appearance. */
  private readonly speakerNames = new Map<string, string>();
  private readonly tokenTimer: ReturnType<typeof setInterval> | null = null;
  private resolveDone!: () => void;
  private rejectDone!: (error: unknown) => void;
  private settled = false;
  private ended = false;
  private failure: unknown = null;
  private written = 0;
  private sent = 0;
  private lastActivity = Date.now();
  private everConnected = false;
  private connectionLost = false;
  private progressWaiters: Array<() => void> = [];

  constructor(
    private readonly sdk: Sdk,
    private readonly settings: RecognitionSettings,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // Failures surface where the caller next writes or waits; never as an unhandled rejection.
    this.done.catch(() => undefined);

    const config = speechConfig(sdk, settings.azure, settings.authorization?.token);
    config.outputFormat = sdk.OutputFormat.Detailed;
    config.setProfanity(PROFANITY[settings.azure.profanity](sdk));
    const format = sdk.AudioStreamFormat.getWaveFormatPCM(PCM_SAMPLE_RATE, 16, 1);
    this.stream = sdk.AudioInputStream.createPushStream(format);
    const audio = sdk.AudioConfig.fromStreamInput(this.stream);
    const language = settings.language;
    let detect: SpeechSdk.AutoDetectSourceLanguageConfig | null = null;
    if ("locale" in language) {
      config.speechRecognitionLanguage = language.locale;
    } else {
      detect = sdk.AutoDetectSourceLanguageConfig.fromLanguages(language.candidates);
      detect.mode = sdk.LanguageIdMode.Continuous;
    }

    if (settings.diarize) {
      const transcriber = detect
        ? sdk.ConversationTranscriber.FromConfig(config, detect, audio)
        : new sdk.ConversationTranscriber(config, audio);
      transcriber.transcribing = (_, event) => this.recognizing(event.result);
      transcriber.transcribed = (_, event) => this.recognized(event.result, event.result.speakerId);
      transcriber.canceled = (_, event) => this.canceled(event);
      transcriber.sessionStopped = () => this.sessionEnded();
      this.recognizer = transcriber;
    } else {
      const recognizer = detect
        ? sdk.SpeechRecognizer.FromConfig(config, detect, audio)
        : new sdk.SpeechRecognizer(config, audio);
      recognizer.recognizing = (_, event) => this.recognizing(event.result);
      recognizer.recognized = (_, event) => this.recognized(event.result, undefined);
      recognizer.canceled = (_, event) => this.canceled(event);
      recognizer.sessionStopped = () => this.sessionEnded();
      this.recognizer = recognizer;
    }

    this.connection = sdk.Connection.fromRecognizer(this.recognizer);
    this.connection.connected = () => {
      this.everConnected = true;
      this.connectionLost = false;
      this.activity();
    };
    this.connection.disconnected = () => {
      if (!this.settled) this.connectionLost = true;
      this.activity();
    };
    this.connection.messageSent = (event) => {
      const message = event.message;
      if (message.path === "audio" && message.isBinaryMessage) {
        this.sent += message.binaryMessage?.byteLength ?? 0;
      }
      this.activity();
    };
    this.connection.messageReceived = () => this.activity();

    this.watchdog = setInterval(() => this.checkStall(), Math.min(1000, settings.stallTimeoutMs / 4));
    this.watchdog.unref();
    const authorization = settings.authorization;
    if (authorization) {
      // The SDK reads the token when it (re)connects: a long session must hold a valid one.
      this.tokenTimer = setInterval(() => {
        authorization.refresh().then(
          (token) => {
            if (!this.settled) this.recognizer.authorizationToken = token;
          },
          () => undefined,
        );
      }, TOKEN_CHECK_MS);
      this.tokenTimer.unref();
    }

    const started = () => undefined;
    const failedToStart = (error: string) =>
      this.fail(
        cancellationError({ errorCode: "RuntimeError", details: this.redact(error), connectionLost: false }),
      );
    if (this.recognizer instanceof sdk.ConversationTranscriber) {
      this.recognizer.startTranscribingAsync(started, failedToStart);
    } else {
      this.recognizer.startContinuousRecognitionAsync(started, failedToStart);
    }
  }

  /** Audio bytes written but not yet sent to the service. */
  get backlogBytes(): number {
    return Math.max(0, this.written - this.sent);
  }

  /** Queues 16-bit PCM for the service. Throws the session's failure once it failed. */
  write(bytes: Uint8Array): void {
    if (this.failure) throw this.failure;
    if (this.settled || this.ended || bytes.byteLength === 0) return;
    const copy = new Uint8Array(bytes);
    this.stream.write(copy.buffer);
    this.written += copy.byteLength;
  }

  /** Resolves once the backlog is at most `bytes` (or the session is over). */
  async drainTo(bytes: number): Promise<void> {
    while (!this.settled && this.backlogBytes > bytes) {
      await new Promise<void>((resolve) => this.progressWaiters.push(resolve));
    }
    if (this.failure) throw this.failure;
  }

  /** Ends the audio: the service answers for what it has, then the session ends. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.activity();
    if (!this.settled) this.stream.close();
  }

  /** Stops at once, without waiting for the service; `done` rejects with `reason`. */
  abort(reason: unknown): void {
    this.fail(reason);
  }

  private recognizing(
    result: SpeechSdk.SpeechRecognitionResult | SpeechSdk.ConversationTranscriptionResult,
  ): void {
    if (this.settled || !result.text) return;
    this.settings.onRecognizing?.(seconds(result.offset), result.text);
  }

  private recognized(
    result: SpeechSdk.SpeechRecognitionResult | SpeechSdk.ConversationTranscriptionResult,
    speakerId: string | undefined,
  ): void {
    if (this.settled || result.reason !== this.sdk.ResultReason.RecognizedSpeech) return;
    const text = result.text?.trim();
    if (!text) return;
    const segment: Segment = {
      start: seconds(result.offset),
      end: seconds(result.offset + result.duration),
      text,
    };
    if (speakerId && speakerId !== "Unknown") {
      if (!this.speakerNames.has(speakerId))
        this.speakerNames.set(speakerId, speakerLabel(this.speakerNames.size + 1));
      segment.speaker = this.speakerNames.get(speakerId);
    }
    this.settings.onRecognized(segment, result.language || undefined);
  }

  private canceled(event: CanceledEvent): void {
    if (this.settled) return;
    if (event.reason === this.sdk.CancellationReason.EndOfStream) {
      this.sessionEnded();
      return;
    }
    const cancellation = {
      errorCode: this.sdk.CancellationErrorCode[event.errorCode] ?? String(event.errorCode),
      details: this.redact(String(event.errorDetails ?? "")),
      connectionLost: this.connectionLost,
    };
    const error = cancellationError(cancellation);
    if (isCredentialFailure(cancellation)) this.settings.onCredentials?.(false, error);
    this.fail(error);
  }

  /** The service ended the session: after the end of the audio, that is the normal end. */
  private sessionEnded(): void {
    if (this.settled) return;
    if (!this.ended) {
      this.fail(new AppError("engine_failed", "Azure AI Speech ended the session before the audio ended."));
      return;
    }
    this.settled = true;
    this.settings.onCredentials?.(true);
    this.release();
    void this.shutDown(false).then(() => this.resolveDone());
  }

  private fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.failure = error;
    this.release();
    this.rejectDone(error);
    void this.shutDown(true);
  }

  /**
   * Fails a session that owes an answer (audio not yet sent, or the end not yet answered) and has
   * been quiet too long. A lost connection gets a shorter wait: the SDK retries at once when it
   * retries, and once its audio is all sent it does not reconnect, nor report anything.
   */
  private checkStall(): void {
    if (this.settled) return;
    const owed = this.ended || this.backlogBytes > BACKLOG_BYTES;
    const limit = this.connectionLost
      ? Math.min(this.settings.stallTimeoutMs, RECONNECT_GRACE_MS)
      : this.settings.stallTimeoutMs;
    if (!owed || Date.now() - this.lastActivity < limit) return;
    const message = this.connectionLost
      ? "The connection to Azure AI Speech was lost."
      : this.everConnected
        ? "Azure AI Speech stopped answering."
        : "Azure AI Speech could not be reached.";
    this.fail(new AppError("engine_unavailable", message));
  }

  private activity(): void {
    this.lastActivity = Date.now();
    const waiters = this.progressWaiters;
    this.progressWaiters = [];
    for (const wake of waiters) wake();
  }

  private release(): void {
    clearInterval(this.watchdog);
    if (this.tokenTimer) clearInterval(this.tokenTimer);
    this.activity();
  }

  /**
   * Frees the recognizer and its connection. `now` first stops the recognition where it is: the
   * SDK would otherwise wait for the service to end its turn. Both start in the same tick, so the
   * recognizer is disposed before the dropped connection's reader could open a new one.
   */
  private async shutDown(now: boolean): Promise<void> {
    const steps: Array<Promise<void>> = [];
    if (now) steps.push(within(3000, (done) => this.connection.closeConnection(done, done)));
    steps.push(
      within(5000, (done) => {
        try {
          this.recognizer.close(done, done);
        } catch {
          done();
        }
      }),
    );
    await Promise.all(steps);
    this.connection.close();
  }

  /** The SDK puts the key in the connection URL too: keep it (and any token) out of text that may be logged. */
  private redact(text: string): string {
    const key = this.settings.azure.key;
    const withoutKey = key ? text.split(key).join("[key]") : text;
    return withoutKey.replace(/aad#[^\s"',]+/g, "[token]");
  }
}

/** Starts a recognition; the SDK's own argument errors become an `AppError`. */
export function startRecognition(sdk: Sdk, settings: RecognitionSettings): AzureRecognition {
  try {
    return new AzureRecognition(sdk, settings);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("engine_failed", "Azure AI Speech could not start this transcription.", {
      cause: error,
    });
  }
}

function speechConfig(sdk: Sdk, azure: AzureSpeechConfig, token: string | undefined): SpeechSdk.SpeechConfig {
  if (token !== undefined) {
    if (azure.endpoint) {
      const config = sdk.SpeechConfig.fromEndpoint(new URL(azure.endpoint));
      config.authorizationToken = token;
      return config;
    }
    if (azure.region) return sdk.SpeechConfig.fromAuthorizationToken(token, azure.region);
  } else if (azure.key) {
    if (azure.endpoint) return sdk.SpeechConfig.fromEndpoint(new URL(azure.endpoint), azure.key);
    if (azure.region) return sdk.SpeechConfig.fromSubscription(azure.key, azure.region);
  }
  throw new AppError("engine_unavailable", "Azure AI Speech is not configured (no region or endpoint).");
}

function seconds(ticks: number): number {
  return Math.round((ticks / TICKS_PER_SECOND) * 1000) / 1000;
}

function within(ms: number, start: (done: () => void) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    start(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
