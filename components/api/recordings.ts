import { isObject, num, parsePage, query, requestEmpty, requestJson, str } from "./client";
import type { Page, Recording } from "./types";

const base = (id: string) => `/api/recordings/${encodeURIComponent(id)}`;

/** Streams the audio (Range requests supported, so `<audio>` can seek). */
export const recordingAudioUrl = (id: string) => `${base(id)}/audio`;

/** The same audio with `Content-Disposition: attachment`. */
export const recordingDownloadUrl = (id: string) => `${base(id)}/audio?download=1`;

function parseRecording(value: unknown): Recording | null {
  if (!isObject(value) || typeof value.id !== "string" || !value.id) return null;
  const duration = num(value.durationSec, NaN);
  return {
    id: value.id,
    name: str(value.name) || "Untitled recording",
    createdAt: str(value.createdAt),
    durationSec: Number.isFinite(duration) && duration >= 0 ? duration : null,
    sizeBytes: num(value.sizeBytes),
    contentType: str(value.contentType),
    language: str(value.language),
    transcriptionId:
      typeof value.transcriptionId === "string" && value.transcriptionId ? value.transcriptionId : null,
  };
}

export async function listRecordings(
  options: { cursor?: string | null; limit?: number },
  signal?: AbortSignal,
): Promise<Page<Recording>> {
  const url = `/api/recordings${query({ cursor: options.cursor, limit: options.limit })}`;
  return parsePage(await requestJson(url, { signal }), parseRecording);
}

/** Deletes the recording and its transcript. */
export async function deleteRecording(id: string): Promise<void> {
  await requestEmpty(base(id), { method: "DELETE" });
}
