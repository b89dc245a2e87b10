import { z } from "zod";
import type { AzureSpeechConfig } from "@/lib/config";
import { AppError } from "@/lib/domain/errors";
import { speakerLabel } from "@/lib/domain/speakers";
import type { Segment } from "@/lib/domain/transcript";
import { transcriptionStatusError } from "./errors";
import type { LanguageChoice } from "./languages";

/** The REST API version the requests name (fast transcription's first generally available one). */
export const FAST_TRANSCRIPTION_API_VERSION = "2024-11-15";

/**
 * What one request may carry, with a margin: API version 2024-11-15 takes audio shorter than
 * 2 hours and smaller than 200 MB. Longer audio goes in pieces.
 */
export const FAST_TRANSCRIPTION_LIMITS = { maxSec: 2 * 3600 - 60, maxBytes: 195_000_000 } as const;

/** `maxSpeakers` must be more than 1 and less than 36. */
const MIN_MAX_SPEAKERS = 2;
const MAX_MAX_SPEAKERS = 35;
/** The bound sent when the user did not say how many people speak. */
export const DEFAULT_MAX_SPEAKERS = 10;

/**
 * The transcribe URL of the configured resource: its region's endpoint, or `AZURE_SPEECH_ENDPOINT`
 * (a custom domain, a private endpoint, a test double; the SDK's `ws(s)://…/speech/…` form maps to
 * the same host over HTTP(S), its regional `<region>.stt.speech.microsoft.com` to the region's REST
 * host). Null when the REST API cannot be reached with these credentials: it takes Entra ID
 * tokens only on the resource's custom domain, so Entra ID with a region alone has no URL.
 */
export function fastTranscriptionUrl(azure: AzureSpeechConfig): URL | null {
  let base: string;
  if (azure.endpoint) {
    const endpoint = new URL(azure.endpoint);
    const protocol = { "ws:": "http:", "wss:": "https:" }[endpoint.protocol] ?? endpoint.protocol;
    // The SDK's regional real-time host has a REST twin; its paths are no prefix of the REST API's.
    const region = /^([a-z0-9]+)\.stt\.speech\.microsoft\.com$/i.exec(endpoint.hostname)?.[1];
    if (region && azure.entraIdResourceId) return null;
    const host = region ? `${region}.api.cognitive.microsoft.com` : endpoint.host;
    const prefix = /^\/(speech|stt)\//i.test(endpoint.pathname) ? "" : endpoint.pathname.replace(/\/+$/, "");
    base = `${protocol}//${host}${prefix}`;
  } else if (azure.region && !azure.entraIdResourceId) {
    base = `https://${azure.region}.api.cognitive.microsoft.com`;
  } else {
    return null;
  }
  const url = new URL(`${base}/speechtotext/transcriptions:transcribe`);
  url.searchParams.set("api-version", FAST_TRANSCRIPTION_API_VERSION);
  return url;
}

/** How speakers are told apart: not at all, all speech is one known speaker, or diarization. */
export type SpeakerPlan = { kind: "none" } | { kind: "single" } | { kind: "diarize"; maxSpeakers: number };

/**
 * The plan for a request: a count the user gave becomes the service's `maxSpeakers` (clamped to
 * what it accepts), else {@link DEFAULT_MAX_SPEAKERS}; one speaker needs no diarization at all.
 */
export function speakerPlan(diarize: boolean, speakers: number | undefined): SpeakerPlan {
  if (!diarize) return { kind: "none" };
  if (speakers !== undefined && speakers <= 1) return { kind: "single" };
  const bound = Math.round(speakers ?? DEFAULT_MAX_SPEAKERS);
  return { kind: "diarize", maxSpeakers: Math.min(MAX_MAX_SPEAKERS, Math.max(MIN_MAX_SPEAKERS, bound)) };
}

/** The `definition` part of a request (audio is always sent as one mono channel: no `channels`). */
export interface TranscriptionDefinition {
  /** One locale, or the candidates the service identifies the language among. */
  locales: string[];
  profanityFilterMode: "Masked" | "Removed" | "None";
  diarization?: { enabled: true; maxSpeakers: number };
}

const PROFANITY_MODES: Record<
  AzureSpeechConfig["profanity"],
  TranscriptionDefinition["profanityFilterMode"]
> = {
  masked: "Masked",
  removed: "Removed",
  raw: "None",
};

/** The definition for a language choice, the configured profanity handling and a speaker plan. */
export function transcriptionDefinition(
  language: LanguageChoice,
  profanity: AzureSpeechConfig["profanity"],
  speakers: SpeakerPlan,
): TranscriptionDefinition {
  return {
    locales: "locale" in language ? [language.locale] : language.candidates,
    profanityFilterMode: PROFANITY_MODES[profanity],
    ...(speakers.kind === "diarize"
      ? { diarization: { enabled: true as const, maxSpeakers: speakers.maxSpeakers } }
      : {}),
  };
}

/**
 * The documented answer, as far as it is used. Word timings are not read: a segment keeps its
 * phrase's times only. `phrases` is absent when nothing was said.
 */
const resultSchema = z.object({
  durationMilliseconds: z.number().nonnegative(),
  phrases: z
    .array(
      z.object({
        offsetMilliseconds: z.number().nonnegative(),
        durationMilliseconds: z.number().nonnegative(),
        text: z.string(),
        locale: z.string().optional(),
        speaker: z.number().int().optional(),
      }),
    )
    .default([]),
});

/** A fast transcription answer. */
export type FastTranscriptionResult = z.infer<typeof resultSchema>;

/** Where a piece lies in the whole audio, in seconds. */
export interface PieceTimes {
  index: number;
  start: number;
  end: number;
}

/**
 * Turns the phrases of each piece into segments of the whole audio, and keeps what a file's
 * pieces share: speaker labels and the languages heard. One instance per file.
 */
export class PhraseMapper {
  private readonly labels = new Map<string, string>();
  private readonly heard = new Map<string, number>();

  constructor(private readonly speakers: SpeakerPlan) {}

  /**
   * The segments of one piece, in time order, with times moved by the piece's start. A speaker
   * is `Speaker N` in order of first appearance; the service numbers speakers per request, so
   * each piece gets labels of its own rather than claim that two pieces' speaker 0 is one person.
   */
  segments(result: FastTranscriptionResult, piece: PieceTimes): Segment[] {
    const phrases = [...result.phrases].sort((a, b) => a.offsetMilliseconds - b.offsetMilliseconds);
    const segments: Segment[] = [];
    for (const phrase of phrases) {
      const text = phrase.text.trim();
      if (!text) continue;
      const start = Math.min(piece.end, piece.start + phrase.offsetMilliseconds / 1000);
      const end = Math.min(piece.end, start + phrase.durationMilliseconds / 1000);
      const segment: Segment = { start: round(start), end: round(end), text };
      const speaker = this.speakerOf(piece.index, phrase.speaker);
      if (speaker) segment.speaker = speaker;
      if (phrase.locale) this.heard.set(phrase.locale, (this.heard.get(phrase.locale) ?? 0) + end - start);
      segments.push(segment);
    }
    return segments;
  }

  /** The locale heard longest so far, when the service named any. */
  language(): string | undefined {
    let best: string | undefined;
    let longest = -1;
    for (const [locale, seconds] of this.heard) {
      if (seconds > longest) [best, longest] = [locale, seconds];
    }
    return best;
  }

  private speakerOf(piece: number, speaker: number | undefined): string | undefined {
    if (this.speakers.kind === "none") return undefined;
    if (this.speakers.kind === "single") return speakerLabel(1);
    if (speaker === undefined) return undefined;
    const key = `${piece}:${speaker}`;
    let label = this.labels.get(key);
    if (!label) {
      label = speakerLabel(this.labels.size + 1);
      this.labels.set(key, label);
    }
    return label;
  }
}

/** Retries of throttled (429) and failing (5xx) requests. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Wait before the first retry when the service names none; it doubles, up to 30 s. */
  baseDelayMs: number;
  /** Longest `Retry-After` honoured; a longer one ends the attempts at once. */
  maxRetryAfterMs: number;
}

/** One fast transcription request: what it sends, and how long it may take. */
export interface TranscriptionRequest {
  url: URL;
  definition: TranscriptionDefinition;
  /** A WAV file; sent again as it is on a retry. */
  audio: Blob;
  /** The authentication header, asked for before each attempt (a token may be renewed). */
  authorization: () => Promise<Record<string, string>>;
  signal?: AbortSignal;
  /** Longest wait for one attempt's answer. */
  timeoutMs: number;
  retry: RetryPolicy;
}

/** The endpoint has no fast transcription (404): a speech container, or a region without it. */
export class FastTranscriptionNotOffered extends Error {
  constructor() {
    super("The endpoint does not offer fast transcription (404).");
    this.name = "FastTranscriptionNotOffered";
  }
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Sends one request: throttled (429) and failing (5xx) answers are retried, after the wait the
 * service asks for (`Retry-After` in seconds or as an HTTP date, or `retry-after-ms`) or else an
 * exponential backoff, at most `retry.maxRetries` times. Everything else that is not a success
 * rejects with an `AppError`; a 404 with {@link FastTranscriptionNotOffered}; an abort with the
 * signal's reason.
 */
export async function requestTranscription(request: TranscriptionRequest): Promise<FastTranscriptionResult> {
  const { signal, retry } = request;
  for (let attempt = 0; ; attempt++) {
    const response = await attemptOnce(request);
    if (response.ok) return readResult(response, request);
    const detail = await errorDetail(response);
    if (response.status === 404) throw new FastTranscriptionNotOffered();
    const error = transcriptionStatusError(response.status, detail);
    const retryable = response.status === 429 || response.status >= 500;
    if (!retryable || attempt >= retry.maxRetries) throw error;
    const asked = retryAfterMs(response.headers);
    if (asked !== undefined && asked > retry.maxRetryAfterMs) throw error;
    const backoff = Math.min(MAX_BACKOFF_MS, retry.baseDelayMs * 2 ** attempt) * (0.8 + 0.4 * Math.random());
    await sleep(asked ?? backoff, signal);
  }
}

/**
 * The wait an answer asks for, in milliseconds: `retry-after-ms` (as Azure services send it), or
 * `Retry-After` in seconds or as an HTTP date. Undefined when it names none it can read.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const milliseconds = headers.get("retry-after-ms") ?? headers.get("x-ms-retry-after-ms");
  if (milliseconds && /^\d+(\.\d+)?$/.test(milliseconds.trim())) return Number(milliseconds);
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function attemptOnce(request: TranscriptionRequest): Promise<Response> {
  const { signal } = request;
  signal?.throwIfAborted();
  const headers = await request.authorization();
  signal?.throwIfAborted();
  const form = new FormData();
  form.set("audio", request.audio, "audio.wav");
  form.set("definition", JSON.stringify(request.definition));
  const timeout = AbortSignal.timeout(request.timeoutMs);
  try {
    return await fetch(request.url, {
      method: "POST",
      headers: { ...headers, Accept: "application/json" },
      body: form,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (error) {
    throw failedRequest(error, request, timeout);
  }
}

async function readResult(
  response: Response,
  request: TranscriptionRequest,
): Promise<FastTranscriptionResult> {
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (request.signal?.aborted) throw abortReason(request.signal);
    throw new AppError("engine_failed", "Azure AI Speech sent an answer that is not JSON.", { cause: error });
  }
  const result = resultSchema.safeParse(body);
  if (!result.success) {
    throw new AppError("engine_failed", "Azure AI Speech sent an answer that is not a transcription.", {
      cause: result.error,
    });
  }
  return result.data;
}

/** The service's own words about a failure (`{ error: { code, message } }` or `{ code, message }`). */
async function errorDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: unknown };
    const error = z
      .object({ code: z.string().optional(), message: z.string().optional() })
      .safeParse(typeof body.error === "object" && body.error !== null ? body.error : body);
    if (error.success && (error.data.code || error.data.message)) {
      return [error.data.code, error.data.message].filter(Boolean).join(": ");
    }
  } catch {
    // Not JSON: the text itself says what it says.
  }
  return text.slice(0, 500) || response.statusText;
}

function failedRequest(error: unknown, request: TranscriptionRequest, timeout: AbortSignal): unknown {
  if (request.signal?.aborted) return abortReason(request.signal);
  if (timeout.aborted) {
    return new AppError("engine_unavailable", "Azure AI Speech did not answer in time.", { cause: error });
  }
  return new AppError("engine_unavailable", "Azure AI Speech could not be reached.", { cause: error });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The transcription was aborted.", "AbortError");
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
