import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { audioTooLong, decodeToPcm, probeAudio } from "@/lib/audio/ffmpeg";
import { detectFormat, sniffLength, type DetectedFormat } from "@/lib/audio/detect-format";
import { inspectWav } from "@/lib/audio/wav";
import { audioField, transcriptionFieldsSchema, type TranscriptionFields } from "@/lib/contract";
import { AppError, isLastingFailure } from "@/lib/domain/errors";
import {
  transcriptSettings,
  type Segment,
  type Transcript,
  type TranscriptSettings,
} from "@/lib/domain/transcript";
import { parseInput } from "@/lib/http/parse-input";
import { removeAll, type UploadedFile } from "@/lib/http/multipart";
import { FINAL_STATUSES, type JobRecord, type JobStage, type JobStatus } from "@/lib/jobs";
import { startWorker, type JobHandler, type Worker } from "@/lib/jobs/worker";
import { logger } from "@/lib/log";
import { createId } from "@/lib/util/ids";
import type { ServiceContext, Services } from "./context";

/** Answer of {@link startTranscription} and {@link retryTranscription}. */
export interface StartedTranscription {
  id: string;
  status: JobStatus;
  recordingId: string;
}

/** A job as lists show it. */
export interface JobSummary {
  id: string;
  recordingId: string;
  title: string;
  status: JobStatus;
  stage: JobStage;
  progress: number;
  position?: number;
  attempts: number;
  durationSec?: number;
  etaSec?: number;
  error?: { code: string; message: string };
  createdAt: string;
  startedAt?: string;
  updatedAt: string;
  finishedAt?: string;
}

/** A job as `GET /api/transcriptions/:id` shows it: with the text so far, or the transcript. */
export interface TranscriptionView extends JobSummary {
  segmentsSoFar?: Segment[];
  transcript?: Transcript;
}

/** How long finished jobs stay in the caller's list. */
const RECENT_MS = 24 * 60 * 60 * 1000;
const MAX_LISTED = 100;

/**
 * Validates an uploaded file (real format from its bytes, WAV header sanity, a decodable audio
 * track, limits), stores it as a recording, records its job and queues it. Resolves only once
 * all three survive a crash of this process: that is what the 202 promises. The temporary file
 * is deleted whatever happens.
 */
export async function startTranscription(
  context: ServiceContext,
  file: UploadedFile | null,
  formFields: Record<string, string>,
): Promise<StartedTranscription> {
  try {
    ensureEngineConfigured(context);
    const fields: TranscriptionFields = parseInput(transcriptionFieldsSchema, formFields);
    if (!file) throw new AppError("missing_audio", "No audio was sent. Attach a file in the “audio” field.");
    const { services, owner } = context;
    const format = await validateUpload(file, services);
    const { language, settings } = resolveSettings(fields, services);
    const id = createId();
    const recordingId = createId();
    const now = new Date().toISOString();
    await services.storage.recordings.uploadFile(
      owner,
      {
        id: recordingId,
        name: storedName(file.clientName, format),
        createdAt: now,
        durationSec: format.declaredDurationSec,
        sizeBytes: file.size,
        contentType: format.mime,
        language,
        transcriptionId: id,
        diarize: settings.diarize,
        ...(settings.speakers !== undefined ? { speakers: settings.speakers } : {}),
      },
      file.path,
    );
    await queueJob(context, {
      id,
      recordingId,
      title: titleFrom(file.clientName, now),
      language,
      settings,
      createdAt: now,
    });
    return { id, status: "queued", recordingId };
  } finally {
    if (file) await removeAll([file.path]);
  }
}

/**
 * Refuses work at once (`engine_unavailable`, 503) when the configured speech engine cannot be
 * used because its settings are missing or malformed: nothing is read or stored.
 */
export function ensureEngineConfigured({ services }: ServiceContext): void {
  const { config, engine } = services;
  if (!("problem" in config.speech)) return;
  throw new AppError(
    "engine_unavailable",
    `The speech engine (${engine.info.name}) is not configured: ${config.speech.problem.message}. Nothing was stored; fix the setting and restart the server.`,
  );
}

/**
 * How an upload is read before {@link startTranscription} takes it: the file field, the largest
 * file, how much of its head format detection needs, and where the temporary file goes.
 */
export function uploadLimits({ services }: ServiceContext) {
  return {
    fileField: audioField,
    maxFileBytes: services.config.audio.maxUploadBytes,
    headBytes: sniffLength,
    tempDir: path.join(services.tempDir, "uploads"),
    idleMs: services.config.http.bodyIdleTimeoutMs,
  };
}

/** Records a new job, puts its message on the queue, and waits until both are durable. */
export async function queueJob(
  { services, owner }: ServiceContext,
  job: Pick<JobRecord, "id" | "recordingId" | "title" | "language" | "settings" | "createdAt">,
): Promise<void> {
  const { jobs, storage } = services;
  const record = await jobs.records.create({
    ...job,
    owner,
    status: "queued",
    stage: "queued",
    progress: 0,
    attempts: 0,
    updatedAt: job.createdAt,
  });
  try {
    await jobs.queue.send({ owner, id: job.id });
  } catch (error) {
    // A job no worker will ever hear of must not look queued: it can be retried instead.
    await jobs.records
      .update({
        ...record,
        status: "failed",
        stage: "done",
        error: { code: "storage_unavailable", message: "The job could not be queued. Retry it." },
        finishedAt: new Date().toISOString(),
      })
      .catch(() => undefined);
    throw error;
  }
  await storage.flush();
  services.worker?.wake();
}

/**
 * Queues a job for every stored recording whose transcription has neither a transcript nor a job
 * record (recordings kept by an earlier version, which ran jobs in memory). Returns how many.
 */
export async function queueOrphanedRecordings(context: ServiceContext): Promise<number> {
  const { services, owner } = context;
  const { storage, jobs } = services;
  const orphans = [];
  let cursor: string | null = null;
  do {
    const page = await storage.recordings.list(owner, { cursor, limit: 200 });
    for (const recording of page.items) {
      const id = recording.transcriptionId;
      if (!id || recording.transcriptionError) continue;
      if (await jobs.records.get(owner, id)) continue;
      if (await storage.transcripts.get(owner, id)) continue;
      orphans.push({
        id,
        recordingId: recording.id,
        title: titleFrom(recording.name, recording.createdAt),
        language: recording.language || "en-US",
        settings: transcriptSettings(recording.diarize ?? false, recording.speakers),
        createdAt: recording.createdAt,
      });
    }
    cursor = page.nextCursor;
  } while (cursor);
  for (const job of orphans.reverse()) await queueJob(context, job);
  return orphans.length;
}

/**
 * The state of a transcription: the job while it is not done (with the text decoded so far), the
 * saved transcript (current version) once it is; 404 when neither exists.
 */
export async function getTranscription(
  { services, owner }: ServiceContext,
  id: string,
): Promise<TranscriptionView> {
  // A job this process runs is read from its worker: fresher than its record, and no storage
  // round trip for every poll.
  const record = services.worker?.snapshot(owner, id) ?? (await services.jobs.records.get(owner, id));
  if (record && record.status !== "succeeded") {
    const [view] = await summarize(services, [record]);
    return { ...view!, ...(record.segmentsSoFar ? { segmentsSoFar: record.segmentsSoFar } : {}) };
  }
  const saved = await services.storage.transcripts.get(owner, id);
  if (!saved) throw new AppError("not_found", "No transcription has this id.");
  const base: JobSummary = record
    ? (await summarize(services, [record]))[0]!
    : {
        id,
        recordingId: saved.recordingId,
        title: saved.title,
        status: "succeeded",
        stage: "done",
        progress: 1,
        attempts: 1,
        createdAt: saved.createdAt,
        updatedAt: saved.updatedAt,
      };
  return { ...base, durationSec: saved.durationSec, transcript: saved };
}

/** The caller's jobs: running, then queued in queue order, then the others of the last day, newest first. */
export async function listJobs({ services, owner }: ServiceContext): Promise<{ items: JobSummary[] }> {
  const since = new Date(Date.now() - RECENT_MS).toISOString();
  const records = await services.jobs.records.listByOwner(owner, since);
  const rank = (status: JobStatus) => (status === "running" ? 0 : status === "queued" ? 1 : 2);
  records.sort(
    (a, b) =>
      rank(a.status) - rank(b.status) ||
      (rank(a.status) < 2
        ? a.createdAt.localeCompare(b.createdAt)
        : (b.finishedAt ?? b.updatedAt).localeCompare(a.finishedAt ?? a.updatedAt)),
  );
  return { items: await summarize(services, records.slice(0, MAX_LISTED)) };
}

/**
 * Cancels a queued or running job: its record says so at once, the worker running it stops within
 * its next heartbeat (at once when it runs in this process). The recording is kept. Null when the
 * job is not queued or running.
 */
export async function cancelTranscription(
  { services, owner }: ServiceContext,
  id: string,
): Promise<TranscriptionView | null> {
  const { jobs } = services;
  // First, before anything waits: inference holds this thread while it decodes a window, so a job
  // running here is stopped at its next window rather than after a few round trips to storage.
  const stoppedHere = services.worker?.cancel(owner, id) ?? false;
  for (let tries = 0; tries < 5; tries++) {
    const record = await jobs.records.get(owner, id);
    if (record?.status === "cancelled" && stoppedHere) return (await summarize(services, [record]))[0]!;
    if (!record || FINAL_STATUSES.has(record.status)) return null;
    const at = new Date().toISOString();
    try {
      const cancelled = await jobs.records.update({
        ...record,
        status: "cancelled",
        stage: "done",
        updatedAt: at,
        finishedAt: at,
        workerId: undefined,
        leaseUntil: undefined,
        segmentsSoFar: undefined,
        error: undefined,
      });
      await services.storage.flush();
      const [view] = await summarize(services, [cancelled]);
      return view!;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "precondition_failed") throw error;
    }
  }
  throw new AppError("conflict", "The job kept changing while it was being cancelled. Try again.");
}

/** Queues a failed or cancelled job again, from the start, with fresh attempts. */
export async function retryTranscription(context: ServiceContext, id: string): Promise<StartedTranscription> {
  const { services, owner } = context;
  const { jobs, storage } = services;
  const record = await jobs.records.get(owner, id);
  if (!record) throw new AppError("not_found", "No transcription has this id.");
  if (record.status !== "failed" && record.status !== "cancelled") {
    throw new AppError("conflict", "Only a failed or cancelled transcription can be retried.");
  }
  const recording = await storage.recordings.get(owner, record.recordingId);
  if (!recording)
    throw new AppError("not_found", "The recording was deleted, so it cannot be transcribed again.");
  if (await storage.transcripts.get(owner, id)) {
    throw new AppError("conflict", "This transcription already has a transcript.");
  }
  const at = new Date().toISOString();
  const queued = await jobs.records.update({
    ...record,
    status: "queued",
    stage: "queued",
    progress: 0,
    attempts: 0,
    error: undefined,
    startedAt: undefined,
    finishedAt: undefined,
    updatedAt: at,
  });
  if (recording.transcriptionError) {
    await storage.recordings
      .updateMetadata(owner, recording.id, { transcriptionError: "" })
      .catch(() => undefined);
  }
  try {
    await jobs.queue.send({ owner, id });
  } catch (error) {
    await jobs.records
      .update({ ...queued, status: record.status, stage: "done", finishedAt: at })
      .catch(() => undefined);
    throw error;
  }
  await storage.flush();
  services.worker?.wake();
  return { id, status: "queued", recordingId: record.recordingId };
}

/**
 * Removes the records of jobs that succeeded more than `keepMs` ago: their transcripts hold the
 * result, and the job table would otherwise only grow. Failed and cancelled jobs stay (they can
 * be retried). Returns how many were removed.
 */
export async function pruneSucceededJobs(
  services: Services,
  keepMs = 7 * 24 * 60 * 60 * 1000,
): Promise<number> {
  const before = new Date(Date.now() - keepMs).toISOString();
  const old = await services.jobs.records.listSucceededBefore(before);
  for (const job of old) await services.jobs.records.delete(job.owner, job.id);
  return old.length;
}

/** Cancels a transcription's job if it is not done, and removes its record (the transcript is being deleted). */
export async function forgetJob(context: ServiceContext, id: string): Promise<void> {
  await cancelTranscription(context, id);
  await context.services.jobs.records.delete(context.owner, id);
}

/**
 * Starts this process's worker: it takes transcription jobs from the queue until
 * {@link Worker.stop}. Several processes may run one against the same storage.
 */
export function startTranscriptionWorker(services: Services): Worker {
  const { config } = services;
  return startWorker({
    jobs: services.jobs,
    workerId: `${os.hostname()}-${process.pid}-${Date.now().toString(36)}`,
    concurrency: config.jobs.concurrency,
    visibilitySec: config.jobs.visibilitySec,
    maxAttempts: config.jobs.maxAttempts,
    handle: transcriptionHandler(services),
  });
}

/** Queue positions and time estimates for records, in their order. */
async function summarize(services: Services, records: JobRecord[]): Promise<JobSummary[]> {
  const positions = new Map<string, number>();
  if (records.some((record) => record.status === "queued")) {
    const queued = await services.jobs.records.listQueued();
    queued.forEach((job, index) => positions.set(`${job.owner}/${job.id}`, index + 1));
  }
  const now = Date.now();
  return records.map((record) => {
    const summary: JobSummary = {
      id: record.id,
      recordingId: record.recordingId,
      title: record.title,
      status: record.status,
      stage: record.stage,
      progress: Math.min(1, Math.max(0, record.progress)),
      attempts: record.attempts,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    };
    const position = positions.get(`${record.owner}/${record.id}`);
    if (record.status === "queued" && position) summary.position = position;
    if (record.durationSec !== undefined) summary.durationSec = record.durationSec;
    if (record.startedAt) summary.startedAt = record.startedAt;
    if (record.finishedAt) summary.finishedAt = record.finishedAt;
    if (record.error && record.status !== "succeeded") {
      summary.error = { code: record.error.code, message: record.error.message };
    }
    if (record.status === "running" && record.startedAt && record.progress >= 0.02) {
      const elapsedSec = (now - Date.parse(record.startedAt)) / 1000;
      summary.etaSec = Math.max(0, Math.round((elapsedSec * (1 - record.progress)) / record.progress));
    }
    return summary;
  });
}

async function validateUpload(file: UploadedFile, services: Services) {
  if (file.size === 0) throw new AppError("empty_file", "The file is empty.");
  const format: DetectedFormat | null = detectFormat(file.head);
  if (!format) {
    throw new AppError(
      "unsupported_media_type",
      "This file is not a supported audio or video format. Use WAV, MP3, OGG/Opus, WebM, M4A/AAC, FLAC or a video with an audio track.",
    );
  }
  if (format.format === "wav") {
    const wav = inspectWav(file.head, file.size);
    if ("problem" in wav) throw new AppError("undecodable_audio", wav.message);
  }
  const { config } = services;
  const probe = await probeAudio(file.path, { ffmpegPath: config.audio.ffmpegPath });
  if (probe.declaredDurationSec !== null && probe.declaredDurationSec > config.audio.maxDurationSec + 1) {
    throw audioTooLong(config.audio.maxDurationSec);
  }
  return { ...format, declaredDurationSec: probe.declaredDurationSec };
}

function resolveSettings(
  fields: TranscriptionFields,
  services: Services,
): { language: string; settings: TranscriptSettings } {
  const { info } = services.engine;
  let language = fields.language;
  if (!info.multilingual) {
    const base = language.split("-")[0]?.toLowerCase();
    if (language !== "auto" && base !== "en") {
      throw new AppError(
        "unprocessable",
        `${info.name} understands English only. Choose English, or configure a multilingual engine.`,
      );
    }
    language = language === "auto" ? (info.languages[0] ?? "en-US") : language;
  }
  return { language, settings: transcriptSettings(fields.diarize && info.diarization, fields.speakers) };
}

/** The work of one transcription job: fetch the recording, decode, transcribe, store the transcript. */
function transcriptionHandler(services: Services): JobHandler {
  return async (job, context) => {
    try {
      await transcribeRecording(job, context, services);
    } catch (error) {
      // Failures that a retry cannot fix are shown in the library beside the recording.
      if (error instanceof AppError && error.code !== "storage_unavailable" && isLastingFailure(error)) {
        await services.storage.recordings
          .updateMetadata(job.owner, job.recordingId, { transcriptionError: error.code })
          .catch(() => undefined);
      }
      throw error;
    }
  };
}

async function transcribeRecording(
  job: JobRecord,
  { signal, report }: Parameters<JobHandler>[1],
  services: Services,
): Promise<void> {
  const { config, engine, storage } = services;
  const { recordings } = storage;
  const started = Date.now();
  await fs.mkdir(services.tempDir, { recursive: true });
  const source = path.join(services.tempDir, `${job.id}.source`);
  const pcmPath = path.join(services.tempDir, `${job.id}.pcm`);
  // An earlier attempt stored the transcript and stopped before marking the job done.
  if (await storage.transcripts.get(job.owner, job.id)) return;
  try {
    await recordings.downloadToFile(job.owner, job.recordingId, source).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "not_found") {
        throw new AppError("not_found", "The recording was deleted before it could be transcribed.");
      }
      throw error;
    });
    report({ stage: "decoding" });
    const audio = await decodeToPcm(source, pcmPath, {
      ffmpegPath: config.audio.ffmpegPath,
      maxDurationSec: config.audio.maxDurationSec,
      signal,
    });
    await removeAll([source]);
    const durationSec = round(audio.durationSec);
    report({ stage: "transcribing", durationSec, progress: 0 });
    await recordings.updateMetadata(job.owner, job.recordingId, { durationSec });
    const result = await engine.transcribe(audio, {
      language: job.language,
      diarize: job.settings.diarize,
      ...(job.settings.speakers !== undefined ? { speakers: job.settings.speakers } : {}),
      signal,
      onProgress: (progress) => report({ progress }),
      onSegments: (segmentsSoFar) => report({ segmentsSoFar }),
    });
    signal.throwIfAborted();
    report({ stage: "saving", progress: 1 });
    if (!(await recordings.get(job.owner, job.recordingId))) {
      throw new AppError("not_found", "The recording was deleted while it was being transcribed.");
    }
    const now = new Date().toISOString();
    await storage.transcripts
      .create(job.owner, {
        id: job.id,
        recordingId: job.recordingId,
        title: job.title,
        text: result.text,
        segments: result.segments,
        language: job.language === "auto" && result.language ? result.language : job.language,
        durationSec: round(result.durationSec),
        engine: engine.info.id,
        settings: job.settings,
        createdAt: job.createdAt,
        updatedAt: now,
        processingMs: Date.now() - started,
        ...(result.uncovered?.length ? { uncovered: result.uncovered } : {}),
      })
      .catch((error: unknown) => {
        // An earlier attempt stored it and stopped before saying so: the job is done all the same.
        if (error instanceof AppError && error.code === "conflict") return;
        throw error;
      });
    await storage.flush();
    logger.info("transcription finished", { jobId: job.id, ms: Date.now() - started });
  } finally {
    await removeAll([source, pcmPath]);
  }
}

/** A display title from the client's file name (untrusted: trimmed, control characters removed). */
export function titleFrom(clientName: string, isoDate: string): string {
  const base = sanitizeName(clientName).replace(/\.[a-z0-9]{1,5}$/i, "");
  return base && !/^(blob|audio|recording)$/i.test(base)
    ? base
    : `Recording ${isoDate.slice(0, 16).replace("T", " ")}`;
}

/** A safe file name for storage and downloads: never used as a path component by itself. */
export function storedName(clientName: string, format: DetectedFormat): string {
  const base = sanitizeName(clientName).replace(/\.[a-z0-9]{1,5}$/i, "") || "recording";
  return `${base}.${format.extension}`;
}

function sanitizeName(name: string): string {
  return name
    .normalize("NFKC")
    .split(/[\\/]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 120);
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}
