// Calls the library route handlers (saved transcripts, recordings, exports) in-process with real Requests.
import type { Page, RecordingMetadata } from "@/lib/storage/types";
import fs from "node:fs";
import path from "node:path";
import { GET as listTranscriptsRoute } from "@/app/api/transcriptions/route";
import {
  DELETE as deleteTranscriptRoute,
  GET as getTranscriptRoute,
  PUT as putTranscriptRoute,
} from "@/app/api/transcriptions/[id]/route";
import { GET as exportTranscriptRoute } from "@/app/api/transcriptions/[id]/export/route";
import { GET as exportAllRoute } from "@/app/api/transcriptions/export.csv/route";
import { GET as listRecordingsRoute } from "@/app/api/recordings/route";
import { DELETE as deleteRecordingRoute } from "@/app/api/recordings/[id]/route";
import { GET as recordingAudioRoute } from "@/app/api/recordings/[id]/audio/route";
import { createId } from "@/lib/util/ids";
import { currentContext, fixtures } from "./api";

const base = "http://localhost";

function params(id: string) {
  return { params: Promise.resolve({ id }) };
}

function withQuery(pathname: string, query: Record<string, string | number | undefined> = {}): string {
  const url = new URL(pathname, base);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** A saved transcript as `GET /api/transcriptions/:id` and `PUT` return it. */
export interface SavedTranscript {
  id: string;
  recordingId: string;
  title: string;
  text: string;
  segments: Array<{ start: number; end: number; text: string; speaker?: string }>;
  language: string;
  durationSec: number;
  engine: string;
  createdAt: string;
  updatedAt: string;
  etag: string;
}

/** An entry of `GET /api/transcriptions`. */
export interface ListItem {
  id: string;
  recordingId: string;
  title: string;
  createdAt: string;
  durationSec: number;
  snippet?: string;
  matches?: Array<[number, number]>;
}

/** An entry of `GET /api/recordings`. */
export type RecordingItem = RecordingMetadata;
export type { Page };

export function getTranscript(id: string): Promise<Response> {
  return getTranscriptRoute(new Request(`${base}/api/transcriptions/${id}`), params(id));
}

/** PUTs an edit; `body` is sent as JSON unless it is already a string. */
export function putTranscript(id: string, body: unknown, ifMatch?: string | null): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (ifMatch) headers["if-match"] = ifMatch;
  return putTranscriptRoute(
    new Request(`${base}/api/transcriptions/${id}`, {
      method: "PUT",
      headers,
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    params(id),
  );
}

export function deleteTranscript(id: string): Promise<Response> {
  return deleteTranscriptRoute(
    new Request(`${base}/api/transcriptions/${id}`, { method: "DELETE" }),
    params(id),
  );
}

export function listTranscripts(query: Record<string, string | number | undefined> = {}): Promise<Response> {
  return listTranscriptsRoute(new Request(withQuery("/api/transcriptions", query)), {});
}

export function exportTranscript(id: string, format?: string): Promise<Response> {
  return exportTranscriptRoute(
    new Request(withQuery(`/api/transcriptions/${id}/export`, { format })),
    params(id),
  );
}

export function exportAll(): Promise<Response> {
  return exportAllRoute(new Request(`${base}/api/transcriptions/export.csv`), {});
}

export function listRecordings(query: Record<string, string | number | undefined> = {}): Promise<Response> {
  return listRecordingsRoute(new Request(withQuery("/api/recordings", query)), {});
}

export function deleteRecording(id: string): Promise<Response> {
  return deleteRecordingRoute(new Request(`${base}/api/recordings/${id}`, { method: "DELETE" }), params(id));
}

export function recordingAudio(
  id: string,
  options: { range?: string; download?: boolean } = {},
): Promise<Response> {
  return recordingAudioRoute(
    new Request(withQuery(`/api/recordings/${id}/audio`, { download: options.download ? "1" : undefined }), {
      headers: options.range ? { range: options.range } : {},
    }),
    params(id),
  );
}

/** Reads a JSON answer, checking it is JSON. */
export async function json<T>(response: Response): Promise<T> {
  expect(response.headers.get("content-type")).toMatch(/application\/json/);
  return (await response.json()) as T;
}

/** Checks an answer is the error envelope with this status and code; returns the message. */
export async function expectError(response: Response, status: number, code: string): Promise<string> {
  const body = (await response.json()) as { error?: { code?: string; message?: string } };
  expect({ status: response.status, code: body.error?.code }).toEqual({ status, code });
  expect(body.error?.message?.length ?? 0).toBeGreaterThan(10);
  return body.error?.message ?? "";
}

/** Follows `nextCursor` until the end, returning every item in order and the number of requests made. */
export async function walkPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Response>,
  maxPages = 50,
): Promise<{ items: T[]; pages: number; pageSizes: number[] }> {
  const items: T[] = [];
  const pageSizes: number[] = [];
  let cursor: string | undefined;
  for (let pages = 1; pages <= maxPages; pages++) {
    const response = await fetchPage(cursor);
    expect(response.status).toBe(200);
    const page = (await response.json()) as Page<T>;
    items.push(...page.items);
    pageSizes.push(page.items.length);
    if (!page.nextCursor) return { items, pages, pageSizes };
    cursor = page.nextCursor;
  }
  throw new Error(`paging did not end within ${maxPages} pages`);
}

/**
 * The committed synthetic speech `tests/fixtures/<name>.wav` (made by scripts/make-test-speech.sh);
 * throws unless its text file holds exactly `text`, so a test always says what the audio says.
 */
export function readSpeech(name: string, text: string): Buffer {
  const spoken = fs.readFileSync(path.join(fixtures, `${name}.txt`), "utf8").trim();
  if (spoken !== text) throw new Error(`tests/fixtures/${name}.wav says "${spoken}", not "${text}"`);
  return fs.readFileSync(path.join(fixtures, `${name}.wav`));
}

export { parseCsv } from "./csv";

/**
 * A recording as a previous process left it: a copy of jfk.wav stored (via `workDir`) with a
 * transcription id, and neither a job nor a transcript. `overrides` change its metadata.
 */
export async function storeInterruptedRecording(
  workDir: string,
  overrides: Partial<Pick<RecordingMetadata, "name" | "diarize" | "speakers" | "transcriptionError">> = {},
) {
  const {
    services: { storage },
    owner,
  } = await currentContext();
  const copy = path.join(workDir, `copy-${createId()}.wav`);
  fs.copyFileSync(path.join(fixtures, "jfk.wav"), copy);
  const recording = {
    id: createId(),
    name: "Board meeting.wav",
    createdAt: new Date().toISOString(),
    durationSec: null,
    sizeBytes: fs.statSync(copy).size,
    contentType: "audio/wav",
    language: "en-US",
    transcriptionId: createId(),
    diarize: false,
    ...overrides,
  };
  await storage.recordings.uploadFile(owner, recording, copy);
  return recording;
}
