import {
  audioField,
  jobListSchema,
  savedTranscriptSchema,
  startedTranscriptionSchema,
  transcriptionViewSchema,
  transcriptPageSchema,
  type ExportFormat,
  type JobSummary,
  type Page,
  type StartedTranscription,
  type Transcript,
  type TranscriptEdit,
  type TranscriptionView,
  type TranscriptListItem,
  type UploadSettings,
} from "@/lib/contract";
import {
  ApiRequestError,
  errorFromResponse,
  NETWORK_MESSAGE,
  parseResponse,
  query,
  request,
  requestEmpty,
  requestJson,
} from "./request";

/** Every saved transcript as one CSV file. */
export const ALL_TRANSCRIPTS_CSV_URL = "/api/transcriptions/export.csv";

const base = (id: string) => `/api/transcriptions/${encodeURIComponent(id)}`;

export const transcriptExportUrl = (id: string, format: ExportFormat) =>
  `${base(id)}/export${query({ format })}`;

export async function fetchJob(id: string, signal?: AbortSignal): Promise<TranscriptionView> {
  return requestJson(base(id), transcriptionViewSchema, { signal });
}

/** The caller's jobs: running and queued first, then recent finished ones. */
export async function listJobs(signal?: AbortSignal): Promise<JobSummary[]> {
  const { items } = await requestJson("/api/jobs", jobListSchema, { signal });
  return items;
}

/** Cancels a queued or running job; the recording is kept. Answers the job as it is now. */
export async function cancelJob(id: string): Promise<TranscriptionView> {
  return requestJson(base(id), transcriptionViewSchema, { method: "DELETE" });
}

/** Queues a failed or cancelled job again. */
export async function retryJob(id: string): Promise<StartedTranscription> {
  return requestJson(`${base(id)}/retry`, startedTranscriptionSchema, { method: "POST" });
}

export async function listTranscripts(
  options: { q?: string; cursor?: string | null; limit?: number },
  signal?: AbortSignal,
): Promise<Page<TranscriptListItem>> {
  const url = `/api/transcriptions${query({ q: options.q, cursor: options.cursor, limit: options.limit })}`;
  return requestJson(url, transcriptPageSchema, { signal });
}

/**
 * Saves edits with optimistic concurrency: `etag` is the version the edits are based on.
 * Throws an {@link ApiRequestError} with status 412 when someone else saved in between.
 */
export async function saveTranscript(id: string, draft: TranscriptEdit, etag: string): Promise<Transcript> {
  const { status, ok, body, headers } = await request(base(id), {
    method: "PUT",
    headers: { "If-Match": etag },
    json: draft,
  });
  if (!ok) throw errorFromResponse(status, body);
  const { transcript } = parseResponse(savedTranscriptSchema, status, body);
  return { ...transcript, etag: transcript.etag ?? headers.get("ETag") ?? undefined };
}

/** Deletes the transcript and its recording. */
export async function deleteTranscript(id: string): Promise<void> {
  await requestEmpty(base(id), { method: "DELETE" });
}

export interface UploadHandle {
  promise: Promise<StartedTranscription>;
  abort: () => void;
}

/**
 * Posts the audio as multipart/form-data. XMLHttpRequest rather than fetch because only it
 * reports upload progress. Small fields go first so the server can read them before the file.
 */
export function submitAudio(
  file: File,
  settings: UploadSettings,
  onUploadProgress: (fraction: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<StartedTranscription>((resolve, reject) => {
    const form = new FormData();
    form.append("language", settings.language);
    form.append("diarize", settings.diarize ? "true" : "false");
    if (settings.diarize && settings.speakers !== undefined)
      form.append("speakers", String(settings.speakers));
    form.append(audioField, file, file.name);

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
        resolve(parseResponse(startedTranscriptionSchema, xhr.status, xhr.responseText));
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new ApiRequestError(NETWORK_MESSAGE, 0));
    xhr.ontimeout = () => reject(new ApiRequestError(NETWORK_MESSAGE, 0));
    xhr.onabort = () => reject(new DOMException("Upload aborted", "AbortError"));
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
