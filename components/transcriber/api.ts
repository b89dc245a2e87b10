import type {
  Health,
  JobSnapshot,
  JobStatus,
  Segment,
  SubmitResult,
  Transcript,
  TranscriptionSettings,
} from "./types";

/** An API failure carrying the server's user-facing message (or a readable fallback). */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string | undefined;

  constructor(message: string, status: number, code?: string) {
    super(message);
    this.name = "ApiRequestError";
    this.status = status;
    this.code = code;
  }
}

const NETWORK_MESSAGE = "Could not reach the server. Check your connection and try again.";
const UNEXPECTED_MESSAGE = "The server sent an unexpected response. Try again in a moment.";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown, fallback = "") => (typeof value === "string" ? value : fallback);
const num = (value: unknown, fallback = 0) =>
  typeof value === "number" && Number.isFinite(value) ? value : fallback;

function fallbackMessage(status: number): string {
  if (status === 413) return "The file is larger than the server accepts.";
  if (status === 415) return "This file type is not supported. Choose an audio or video file.";
  if (status === 404) return "The server could not find what was requested.";
  if (status >= 500) return `The server ran into a problem (HTTP ${status}). Try again in a moment.`;
  return `The request failed (HTTP ${status}).`;
}

/** Reads `{ error: { code, message } }`, falling back to a message based on the status. */
export function errorFromResponse(status: number, body: string): ApiRequestError {
  try {
    const parsed: unknown = JSON.parse(body);
    if (isObject(parsed) && isObject(parsed.error) && typeof parsed.error.message === "string") {
      return new ApiRequestError(parsed.error.message, status, str(parsed.error.code) || undefined);
    }
  } catch {
    // Not JSON (a proxy page, an empty body): use the fallback below.
  }
  return new ApiRequestError(fallbackMessage(status), status);
}

async function request(
  url: string,
  signal: AbortSignal,
): Promise<{ status: number; ok: boolean; body: string }> {
  let response: Response;
  try {
    response = await fetch(url, { signal, cache: "no-store", headers: { Accept: "application/json" } });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ApiRequestError(NETWORK_MESSAGE, 0);
  }
  return { status: response.status, ok: response.ok, body: await response.text() };
}

function parseBody(status: number, body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new ApiRequestError(UNEXPECTED_MESSAGE, status);
  }
}

async function getJson(url: string, signal: AbortSignal): Promise<unknown> {
  const { status, ok, body } = await request(url, signal);
  if (!ok) throw errorFromResponse(status, body);
  return parseBody(status, body);
}

const STATUSES: readonly JobStatus[] = ["queued", "running", "succeeded", "failed"];
const isStatus = (value: unknown): value is JobStatus => STATUSES.includes(value as JobStatus);

function parseHealth(value: unknown): Health {
  const speech = isObject(value) && isObject(value.engines) ? value.engines.speech : undefined;
  if (!isObject(value) || !isObject(speech)) throw new ApiRequestError(UNEXPECTED_MESSAGE, 200);
  const limits = isObject(value.limits) ? value.limits : {};
  const maxUploadBytes = num(limits.maxUploadBytes, NaN);
  const maxDurationSec = num(limits.maxDurationSec, NaN);
  return {
    status: value.status === "ok" || value.status === "degraded" ? value.status : "starting",
    engines: {
      speech: {
        id: str(speech.id) || undefined,
        name: str(speech.name, "Speech engine"),
        ready: speech.ready === true,
        languages: Array.isArray(speech.languages)
          ? speech.languages.filter((l) => typeof l === "string")
          : [],
        multilingual: speech.multilingual === true,
        diarization: speech.diarization === true,
        error: typeof speech.error === "string" && speech.error ? speech.error : undefined,
      },
    },
    limits: {
      maxUploadBytes: maxUploadBytes > 0 ? maxUploadBytes : undefined,
      maxDurationSec: maxDurationSec > 0 ? maxDurationSec : undefined,
    },
  };
}

function parseSegment(value: unknown): Segment | null {
  if (!isObject(value) || typeof value.text !== "string") return null;
  return {
    start: num(value.start),
    end: num(value.end),
    text: value.text,
    speaker: typeof value.speaker === "string" && value.speaker ? value.speaker : undefined,
  };
}

function parseTranscript(value: unknown): Transcript | undefined {
  if (!isObject(value) || typeof value.text !== "string") return undefined;
  const settings = isObject(value.settings) ? value.settings : {};
  return {
    id: str(value.id),
    recordingId: str(value.recordingId),
    title: str(value.title),
    text: value.text,
    segments: Array.isArray(value.segments)
      ? value.segments.map(parseSegment).filter((s): s is Segment => s !== null)
      : [],
    language: str(value.language),
    durationSec: num(value.durationSec),
    engine: str(value.engine),
    settings: { language: str(settings.language), diarize: settings.diarize === true },
    createdAt: str(value.createdAt),
    updatedAt: str(value.updatedAt),
    processingMs: typeof value.processingMs === "number" ? value.processingMs : undefined,
  };
}

function parseJob(value: unknown): JobSnapshot {
  if (!isObject(value) || !isStatus(value.status)) throw new ApiRequestError(UNEXPECTED_MESSAGE, 200);
  const error = isObject(value.error)
    ? { code: str(value.error.code), message: str(value.error.message, "Transcription failed.") }
    : undefined;
  return {
    id: str(value.id),
    status: value.status,
    progress: Math.min(1, Math.max(0, num(value.progress))),
    error,
    transcript: parseTranscript(value.transcript),
  };
}

export async function fetchHealth(signal: AbortSignal): Promise<Health> {
  // A degraded server answers 503 with the full report, which is still worth showing.
  const { status, ok, body } = await request("/api/health", signal);
  try {
    return parseHealth(parseBody(status, body));
  } catch (error) {
    throw ok ? error : errorFromResponse(status, body);
  }
}

export async function fetchJob(id: string, signal: AbortSignal): Promise<JobSnapshot> {
  return parseJob(await getJson(`/api/transcriptions/${encodeURIComponent(id)}`, signal));
}

export interface UploadHandle {
  promise: Promise<SubmitResult>;
  abort: () => void;
}

/**
 * Posts the audio as multipart/form-data. XMLHttpRequest rather than fetch because only it
 * reports upload progress. Small fields go first so the server can read them before the file.
 */
export function submitAudio(
  file: File,
  settings: TranscriptionSettings,
  onUploadProgress: (fraction: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<SubmitResult>((resolve, reject) => {
    const form = new FormData();
    form.append("language", settings.language);
    form.append("diarize", settings.diarize ? "true" : "false");
    form.append("audio", file, file.name);

    xhr.open("POST", "/api/transcriptions");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onUploadProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(errorFromResponse(xhr.status, xhr.responseText));
        return;
      }
      try {
        const body: unknown = JSON.parse(xhr.responseText);
        if (!isObject(body) || typeof body.id !== "string" || !body.id) throw new Error("no id");
        resolve({
          id: body.id,
          status: isStatus(body.status) ? body.status : "queued",
          recordingId: str(body.recordingId),
        });
      } catch {
        reject(new ApiRequestError(UNEXPECTED_MESSAGE, xhr.status));
      }
    };
    xhr.onerror = () => reject(new ApiRequestError(NETWORK_MESSAGE, 0));
    xhr.ontimeout = () => reject(new ApiRequestError(NETWORK_MESSAGE, 0));
    xhr.onabort = () => reject(new DOMException("Upload aborted", "AbortError"));
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

export function messageOf(error: unknown, fallback: string): string {
  if (error instanceof ApiRequestError) return error.message;
  return fallback;
}
