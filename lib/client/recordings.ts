import { recordingPageSchema, type Page, type RecordingMetadata } from "@/lib/contract";
import { query, requestEmpty, requestJson } from "./request";

const base = (id: string) => `/api/recordings/${encodeURIComponent(id)}`;

/** Streams the audio (Range requests supported, so `<audio>` can seek). */
export const recordingAudioUrl = (id: string) => `${base(id)}/audio`;

/** The same audio with `Content-Disposition: attachment`. */
export const recordingDownloadUrl = (id: string) => `${base(id)}/audio?download=1`;

export async function listRecordings(
  options: { cursor?: string | null; limit?: number },
  signal?: AbortSignal,
): Promise<Page<RecordingMetadata>> {
  const url = `/api/recordings${query({ cursor: options.cursor, limit: options.limit })}`;
  return requestJson(url, recordingPageSchema, { signal });
}

/** Deletes the recording and its transcript. */
export async function deleteRecording(id: string): Promise<void> {
  await requestEmpty(base(id), { method: "DELETE" });
}
