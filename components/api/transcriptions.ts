import {
  ApiRequestError,
  errorFromResponse,
  isObject,
  NETWORK_MESSAGE,
  num,
  parseBody,
  parsePage,
  query,
  request,
  requestEmpty,
  requestJson,
  str,
  UNEXPECTED_MESSAGE,
} from "./client";
import type {
  JobSnapshot,
  JobStatus,
  Page,
  Segment,
  SubmitResult,
  Transcript,
  TranscriptDraft,
  TranscriptListItem,
  TranscriptionSettings,
} from "./types";

export const EXPORT_FORMATS = ["txt", "srt", "vtt", "json", "csv", "docx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Every saved transcript as one CSV file. */
export const ALL_TRANSCRIPTS_CSV_URL = "/api/transcriptions/export.csv";

const base = (id: string) => `/api/transcriptions/${encodeURIComponent(id)}`;

export const transcriptExportUrl = (id: string, format: ExportFormat) =>
  `${base(id)}/export${query({ format })}`;

const STATUSES: readonly JobStatus[] = ["queued", "running", "succeeded", "failed"];
const isStatus = (value: unknown): value is JobStatus => STATUSES.includes(value as JobStatus);

function parseSegment(value: unknown): Segment | null {
  if (!isObject(value) || typeof value.text !== "string") return null;
  return {
    start: num(value.start),
    end: num(value.end),
    text: value.text,
    speaker: typeof value.speaker === "string" && value.speaker ? value.speaker : undefined,
  };
}

export function parseTranscript(value: unknown): Transcript | undefined {
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
    settings: { diarize: settings.diarize === true },
    summary: typeof value.summary === "string" && value.summary ? value.summary : undefined,
    createdAt: str(value.createdAt),
    updatedAt: str(value.updatedAt),
    etag: typeof value.etag === "string" && value.etag ? value.etag : undefined,
    processingMs: typeof value.processingMs === "number" ? value.processingMs : undefined,
    uncovered: Array.isArray(value.uncovered)
      ? value.uncovered
          .filter(isObject)
          .map((gap) => ({ start: num(gap.start), end: num(gap.end), reason: "no_words" as const }))
      : undefined,
  };
}

function parseJob(value: unknown): JobSnapshot {
  if (!isObject(value) || !isStatus(value.status)) throw new ApiRequestError(UNEXPECTED_MESSAGE, 200);
  const error = isObject(value.error)
    ? { code: str(value.error.code), message: str(value.error.message, "Transcription failed.") }
    : undefined;
  const transcript = parseTranscript(value.transcript);
  return {
    id: str(value.id),
    recordingId: str(value.recordingId) || transcript?.recordingId || "",
    status: value.status,
    progress: Math.min(1, Math.max(0, num(value.progress))),
    error,
    transcript,
  };
}

function parseListItem(value: unknown): TranscriptListItem | null {
  if (!isObject(value) || typeof value.id !== "string" || !value.id) return null;
  const matches = Array.isArray(value.matches)
    ? value.matches.filter(
        (m): m is [number, number] =>
          Array.isArray(m) && m.length === 2 && typeof m[0] === "number" && typeof m[1] === "number",
      )
    : undefined;
  return {
    id: value.id,
    recordingId: str(value.recordingId),
    title: str(value.title) || "Untitled transcript",
    createdAt: str(value.createdAt),
    updatedAt: str(value.updatedAt),
    durationSec: num(value.durationSec),
    language: str(value.language),
    engine: str(value.engine),
    snippet: typeof value.snippet === "string" && value.snippet ? value.snippet : undefined,
    matches,
  };
}

export async function fetchJob(id: string, signal?: AbortSignal): Promise<JobSnapshot> {
  return parseJob(await requestJson(base(id), { signal }));
}

export async function listTranscripts(
  options: { q?: string; cursor?: string | null; limit?: number },
  signal?: AbortSignal,
): Promise<Page<TranscriptListItem>> {
  const url = `/api/transcriptions${query({ q: options.q, cursor: options.cursor, limit: options.limit })}`;
  return parsePage(await requestJson(url, { signal }), parseListItem);
}

/**
 * Saves edits with optimistic concurrency: `etag` is the version the edits are based on.
 * Throws an {@link ApiRequestError} with status 412 when someone else saved in between.
 */
export async function saveTranscript(id: string, draft: TranscriptDraft, etag: string): Promise<Transcript> {
  const { status, ok, body, headers } = await request(base(id), {
    method: "PUT",
    headers: { "If-Match": etag },
    json: draft,
  });
  if (!ok) throw errorFromResponse(status, body);
  const parsed = parseBody(status, body);
  const transcript = parseTranscript(isObject(parsed) ? parsed.transcript : undefined);
  if (!transcript) throw new ApiRequestError(UNEXPECTED_MESSAGE, status);
  return { ...transcript, etag: transcript.etag ?? headers.get("ETag") ?? undefined };
}

/** Deletes the transcript and its recording. */
export async function deleteTranscript(id: string): Promise<void> {
  await requestEmpty(base(id), { method: "DELETE" });
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
