// The HTTP contract's schemas against objects built the way the services build them, malformed
// answers, and the browser client's handling of answers that do not match.
import type { OutboxEntry as ServerOutboxEntry } from "@/lib/email/types";
import type { Page as ServerPage, RecordingMetadata as ServerRecording } from "@/lib/storage/types";
import type { Transcript as ServerTranscript } from "@/lib/domain/transcript";
import type {
  JobSummary as ServerJobSummary,
  TranscriptionView as ServerTranscriptionView,
} from "@/lib/services/transcriptions";
import { fetchHealth } from "@/lib/client/health";
import { listOutbox } from "@/lib/client/outbox";
import { listRecordings } from "@/lib/client/recordings";
import { ApiRequestError, UNEXPECTED_MESSAGE } from "@/lib/client/request";
import { fetchJob } from "@/lib/client/transcriptions";
import {
  exportQuerySchema,
  liveStartSchema,
  transcriptionFieldsSchema,
  healthReportSchema,
  idParamsSchema,
  jobListSchema,
  outboxEntrySchema,
  recordingPageSchema,
  transcriptEditSchema,
  transcriptionViewSchema,
  type HealthReport,
  type JobSummary,
  type OutboxEntry,
  type Page,
  type RecordingMetadata,
  type TranscriptionView,
} from "@/lib/contract";

const transcript = {
  id: "abcdefghij0123456",
  recordingId: "abcdefghij0123457",
  title: "Meeting notes",
  text: "Ask not. What you can do.",
  segments: [
    { start: 0, end: 1.5, text: "Ask not.", speaker: "Speaker 1" },
    { start: 1.5, end: 3, text: "What you can do." },
  ],
  language: "en-US",
  durationSec: 3,
  engine: "local-whisper-tiny.en",
  settings: { diarize: true },
  summary: "Overview: ask not.",
  createdAt: "2024-05-01T14:03:00.000Z",
  updatedAt: "2024-05-01T14:03:00.000Z",
  etag: "W/\"datetime'2024-05-01T14%3A03%3A00Z'\"",
  processingMs: 420,
  uncovered: [{ start: 3, end: 4, reason: "no_words" as const }],
} satisfies ServerTranscript;

// Typed with the server's own types, so a change there that the contract misses fails typecheck.
const view: ServerTranscriptionView = {
  id: transcript.id,
  recordingId: transcript.recordingId,
  title: transcript.title,
  status: "succeeded",
  stage: "done",
  progress: 1,
  attempts: 1,
  durationSec: 3,
  createdAt: transcript.createdAt,
  startedAt: transcript.createdAt,
  updatedAt: transcript.updatedAt,
  finishedAt: transcript.updatedAt,
  transcript,
};
const running: ServerJobSummary = {
  id: view.id,
  recordingId: view.recordingId,
  title: view.title,
  attempts: 1,
  durationSec: 3,
  createdAt: view.createdAt,
  startedAt: view.startedAt,
  updatedAt: view.updatedAt,
  status: "running",
  stage: "transcribing",
  progress: 0.4,
  etaSec: 12,
  finishedAt: undefined,
  error: { code: "storage_unavailable", message: "Storage is not reachable right now." },
};
const recordings: ServerPage<ServerRecording> = {
  items: [
    {
      id: transcript.recordingId,
      name: "Meeting notes.wav",
      createdAt: transcript.createdAt,
      durationSec: null,
      sizeBytes: 1024,
      contentType: "audio/wav",
      language: "en-US",
      transcriptionId: null,
      diarize: true,
    },
  ],
  nextCursor: null,
};
const message: ServerOutboxEntry = {
  id: "1714572180000-0123abcd",
  from: "Transcribe <no-reply@localhost>",
  to: "someone@example.com",
  subject: "Transcript: Meeting notes",
  createdAt: transcript.createdAt,
  sizeBytes: 2048,
  text: "Ask not.",
  attachments: [{ filename: "meeting-notes.txt", contentType: "text/plain", sizeBytes: 26 }],
};
const health: HealthReport = {
  status: "starting",
  engines: {
    speech: {
      id: "local-whisper-tiny.en",
      name: "Local Whisper tiny.en",
      provider: "local",
      configured: true,
      ready: false,
      state: "loading",
      languages: ["en-US"],
      multilingual: false,
      diarization: true,
    },
  },
  storage: { ready: true, provider: "azurite" },
  summary: null,
  email: null,
  limits: { maxUploadBytes: 200 * 1024 * 1024, maxDurationSec: 3 * 3600 },
};

const liveStart = {
  type: "start",
  language: "en-US",
  diarize: true,
  sampleRate: 16000,
  encoding: "pcm_s16le",
};

// The server's shapes fit the contract's types.
const sameView: TranscriptionView = view;
const sameRunning: JobSummary = running;
const sameRecordings: Page<RecordingMetadata> = recordings;
const sameMessage: OutboxEntry = message;

describe("contract schemas", () => {
  it("accept answers built the way the services build them", () => {
    expect(transcriptionViewSchema.parse(sameView)).toEqual(view);
    expect(
      transcriptionViewSchema.parse({ ...view, status: "running", progress: 0.4, transcript: undefined }),
    ).toMatchObject({ status: "running" });
    expect(jobListSchema.parse({ items: [sameRunning] })).toEqual({ items: [running] });
    expect(
      transcriptionViewSchema.parse({ ...running, segmentsSoFar: [{ start: 0, end: 1, text: "And so" }] }),
    ).toMatchObject({ segmentsSoFar: [{ text: "And so" }] });
    expect(recordingPageSchema.parse(sameRecordings)).toEqual(recordings);
    expect(outboxEntrySchema.parse(sameMessage)).toEqual(message);
    expect(healthReportSchema.parse(health)).toEqual(health);
  });

  it("reject malformed answers", () => {
    expect(transcriptionViewSchema.safeParse({ ...view, status: "done" }).success).toBe(false);
    expect(transcriptionViewSchema.safeParse({ ...view, progress: 1.5 }).success).toBe(false);
    expect(transcriptionViewSchema.safeParse({ ...view, stage: "uploading" }).success).toBe(false);
    expect(jobListSchema.safeParse({ items: [{ ...running, position: 0 }] }).success).toBe(false);
    const noText = { ...transcript, segments: [{ start: 0, end: 1 }] };
    expect(transcriptionViewSchema.safeParse({ ...view, transcript: noText }).success).toBe(false);
    expect(recordingPageSchema.safeParse({ items: recordings.items }).success).toBe(false);
    expect(healthReportSchema.safeParse({ ...health, engines: {} }).success).toBe(false);
    expect(outboxEntrySchema.safeParse({ ...message, attachments: [{ filename: "a" }] }).success).toBe(false);
  });

  it("check requests: ids, export formats and edits", () => {
    expect(idParamsSchema.safeParse({ id: transcript.id }).success).toBe(true);
    expect(idParamsSchema.safeParse({ id: "../../etc/passwd" }).success).toBe(false);
    expect(exportQuerySchema.parse({})).toEqual({ format: "txt" });
    expect(exportQuerySchema.safeParse({ format: "pdf" }).success).toBe(false);
    expect(
      transcriptEditSchema.safeParse({ text: "a", segments: [{ start: 2, end: 1, text: "a" }] }).success,
    ).toBe(false);
  });

  it("check the upload's speaker count: 1 to 20, blank for not given", () => {
    const fields = (speakers?: string) =>
      transcriptionFieldsSchema.safeParse({
        diarize: "true",
        ...(speakers === undefined ? {} : { speakers }),
      });
    expect(fields().data).toEqual({ language: "auto", diarize: true, speakers: undefined });
    expect(fields("").data?.speakers).toBeUndefined();
    expect(fields(" 3 ").data?.speakers).toBe(3);
    expect(fields("20").data?.speakers).toBe(20);
    for (const bad of ["0", "21", "abc", "2.5", "-1", "1e1"]) {
      const result = fields(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(["speakers"]);
      expect(result.error?.issues[0]?.message).toMatch(/whole number from 1 to 20/);
    }
    expect(liveStartSchema.safeParse({ ...liveStart, speakers: 2 }).data?.speakers).toBe(2);
    expect(liveStartSchema.safeParse({ ...liveStart, speakers: 0 }).success).toBe(false);
    expect(liveStartSchema.safeParse({ ...liveStart, speakers: 21 }).success).toBe(false);
    expect(liveStartSchema.safeParse({ ...liveStart, speakers: "3" }).success).toBe(false);
  });
});

describe("the browser client", () => {
  const realFetch = global.fetch;
  afterEach(() => {
    global.fetch = realFetch;
  });

  function answer(body: string, status = 200) {
    global.fetch = jest.fn(async () => new Response(body, { status })) as unknown as typeof fetch;
  }

  it("returns answers that match the contract", async () => {
    answer(JSON.stringify(view));
    await expect(fetchJob(transcript.id)).resolves.toEqual(view);
    answer(JSON.stringify({ items: [message] }));
    await expect(listOutbox()).resolves.toEqual([message]);
  });

  it.each([
    [
      "a job with an unknown status",
      () => fetchJob(transcript.id),
      JSON.stringify({ ...view, status: "done" }),
    ],
    ["a page without items", () => listRecordings({}), JSON.stringify({ nextCursor: null })],
    ["a body that is not JSON", () => listOutbox(), "<html>proxy</html>"],
  ])("turns %s into an ApiRequestError", async (_name, call, body) => {
    answer(body);
    const failure = await call().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiRequestError);
    expect((failure as ApiRequestError).message).toBe(UNEXPECTED_MESSAGE);
    expect((failure as ApiRequestError).status).toBe(200);
  });

  it("keeps a degraded health report (503) and reports a 503 without one", async () => {
    answer(JSON.stringify({ ...health, status: "degraded" }), 503);
    await expect(fetchHealth(new AbortController().signal)).resolves.toMatchObject({ status: "degraded" });
    answer(JSON.stringify({ error: { code: "storage_unavailable", message: "Storage is down." } }), 503);
    await expect(fetchHealth(new AbortController().signal)).rejects.toMatchObject({
      status: 503,
      code: "storage_unavailable",
      message: "Storage is down.",
    });
  });
});
