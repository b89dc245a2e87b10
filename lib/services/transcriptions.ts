import fs from "node:fs/promises";
import path from "node:path";
import { audioTooLong, decodeToPcm, probeAudio } from "@/lib/audio/ffmpeg";
import { detectFormat, sniffLength, type DetectedFormat } from "@/lib/audio/detect-format";
import { inspectWav } from "@/lib/audio/wav";
import { audioField, transcriptionFieldsSchema, type TranscriptionFields } from "@/lib/contract";
import { parseInput } from "@/lib/http/parse-input";
import { AppError } from "@/lib/domain/errors";
import type { Transcript, TranscriptSettings } from "@/lib/domain/transcript";
import { removeAll, type UploadedFile } from "@/lib/http/multipart";
import type { JobContext, JobStatus, TranscriptionJob } from "@/lib/jobs/types";
import { createId } from "@/lib/util/ids";
import type { ServiceContext, Services } from "./context";

/** Answer of {@link startTranscription}. */
export interface StartedTranscription {
  id: string;
  status: JobStatus;
  recordingId: string;
}

/** A job as `GET /api/transcriptions/:id` shows it. */
export interface TranscriptionView {
  id: string;
  recordingId: string;
  status: JobStatus;
  progress: number;
  error?: { code: string; message: string };
  transcript?: Transcript;
}

/**
 * Validates an uploaded file (real format from its bytes, WAV header sanity, a decodable audio
 * track, limits), stores it as a recording, then queues its transcription. The temporary file
 * is consumed or deleted whatever happens.
 */
export async function startTranscription(
  context: ServiceContext,
  file: UploadedFile | null,
  formFields: Record<string, string>,
): Promise<StartedTranscription> {
  try {
    const fields: TranscriptionFields = parseInput(transcriptionFieldsSchema, formFields);
    if (!file) throw new AppError("missing_audio", "No audio was sent. Attach a file in the “audio” field.");
    const { services, owner } = context;
    const format = await validateUpload(file, services);
    const { language, settings } = resolveSettings(fields, services);
    const id = createId();
    const recordingId = createId();
    const now = new Date().toISOString();
    const title = titleFrom(file.clientName, now);
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
      },
      file.path,
    );
    const source = path.join(services.tempDir, `${id}.source`);
    await fs.mkdir(services.tempDir, { recursive: true });
    await fs.rename(file.path, source);
    await enqueueTranscription(context, {
      id,
      recordingId,
      title,
      language,
      settings,
      createdAt: now,
      sourcePath: source,
    });
    return { id, status: "queued", recordingId };
  } finally {
    if (file) await removeAll([file.path]);
  }
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
  };
}

function enqueueTranscription(
  { services, owner }: ServiceContext,
  job: Pick<
    TranscriptionJob,
    "id" | "recordingId" | "title" | "language" | "settings" | "createdAt" | "sourcePath"
  >,
): Promise<void> {
  return services.jobs.enqueue(
    { ...job, owner, status: "queued", progress: 0, updatedAt: job.createdAt },
    (queued, jobContext) => runTranscription(queued, jobContext, services),
  );
}

/**
 * Queues again every stored recording whose transcription never finished (the process stopped
 * while it was queued or running), oldest first. Recordings whose transcription failed for good
 * are left alone. Returns how many were queued.
 */
export async function resumeUnfinishedTranscriptions(context: ServiceContext): Promise<number> {
  const { services, owner } = context;
  const { storage, jobs } = services;
  const pending = [];
  let cursor: string | null = null;
  do {
    const page = await storage.recordings.list(owner, { cursor, limit: 200 });
    for (const recording of page.items) {
      const id = recording.transcriptionId;
      if (!id || recording.transcriptionError || (await jobs.get(id))) continue;
      if (await storage.transcripts.get(owner, id)) continue;
      pending.push({
        id,
        recordingId: recording.id,
        title: titleFrom(recording.name, recording.createdAt),
        language: recording.language || "en-US",
        settings: { diarize: recording.diarize ?? false },
        createdAt: recording.createdAt,
      });
    }
    cursor = page.nextCursor;
  } while (cursor);
  for (const job of pending.reverse()) await enqueueTranscription(context, job);
  return pending.length;
}

/**
 * The state of a transcription: the job while it runs, the saved transcript (current version)
 * once it is done, also after a restart; 404 when neither exists.
 */
export async function getTranscription(
  { services, owner }: ServiceContext,
  id: string,
): Promise<TranscriptionView> {
  const job = await services.jobs.get(id);
  if (job && job.status !== "succeeded") {
    return {
      id: job.id,
      recordingId: job.recordingId,
      status: job.status,
      progress: job.progress,
      ...(job.error ? { error: job.error } : {}),
    };
  }
  const saved = await services.storage.transcripts.get(owner, id);
  if (!saved) throw new AppError("not_found", "No transcription has this id.");
  return { id, recordingId: saved.recordingId, status: "succeeded", progress: 1, transcript: saved };
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
  return { language, settings: { diarize: fields.diarize && info.diarization } };
}

async function runTranscription(job: TranscriptionJob, context: JobContext, services: Services) {
  try {
    return await transcribeRecording(job, context, services);
  } catch (error) {
    // Failures that a retry cannot fix are remembered, so a restart does not try again.
    if (error instanceof AppError && error.code !== "storage_unavailable" && error.status < 500) {
      await services.storage.recordings
        .updateMetadata(job.owner, job.recordingId, { transcriptionError: error.code })
        .catch(() => undefined);
    }
    throw error;
  }
}

async function transcribeRecording(job: TranscriptionJob, context: JobContext, services: Services) {
  const { config, engine, storage } = services;
  const { recordings } = storage;
  const started = Date.now();
  await fs.mkdir(services.tempDir, { recursive: true });
  const source = job.sourcePath ?? path.join(services.tempDir, `${job.id}.source`);
  const pcmPath = path.join(services.tempDir, `${job.id}.pcm`);
  try {
    // A resumed job has no upload copy: it downloads the stored recording.
    const local =
      job.sourcePath !== undefined &&
      (await fs.stat(source).then(
        () => true,
        () => false,
      ));
    if (!local) {
      const partial = `${source}.part`;
      await recordings.downloadToFile(job.owner, job.recordingId, partial).catch(async (error: unknown) => {
        await removeAll([partial]);
        if (error instanceof AppError && error.code === "not_found") {
          throw new AppError("not_found", "The recording was deleted before it could be transcribed.");
        }
        throw error;
      });
      await fs.rename(partial, source);
    }
    const audio = await decodeToPcm(source, pcmPath, {
      ffmpegPath: config.audio.ffmpegPath,
      maxDurationSec: config.audio.maxDurationSec,
      signal: context.signal,
    });
    await recordings.updateMetadata(job.owner, job.recordingId, { durationSec: round(audio.durationSec) });
    const result = await engine.transcribe(audio, {
      language: job.language,
      diarize: job.settings.diarize,
      signal: context.signal,
      onProgress: context.reportProgress,
    });
    if (!(await recordings.get(job.owner, job.recordingId))) {
      throw new AppError("not_found", "The recording was deleted while it was being transcribed.");
    }
    const now = new Date().toISOString();
    return await storage.transcripts.create(job.owner, {
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
    });
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
