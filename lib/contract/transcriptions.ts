import "./zod-config";
import { z } from "zod";
import { segmentSchema, transcriptSchema } from "./transcripts";

/** Most speakers a person may say a recording has. */
export const MAX_SPEAKERS = 20;

/**
 * Form fields of `POST /api/transcriptions` (multipart, sent before the `audio` file): `language`
 * is a code such as `en-US` or `auto`; `diarize` asks for speaker labels; `speakers` (1-20, empty:
 * detect) says how many speakers the recording has, and counts only with `diarize`.
 */
export const transcriptionFieldsSchema = z.object({
  language: z
    .string()
    .trim()
    .regex(/^(auto|[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*)$/, "must be a language code such as en-US, or auto")
    .default("auto"),
  diarize: z
    .enum(["true", "false", "on", "off", "1", "0", ""])
    .default("false")
    .transform((value) => value === "true" || value === "on" || value === "1"),
  speakers: z
    .string()
    .trim()
    .default("")
    .refine(
      (value) =>
        value === "" || (/^\d{1,3}$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_SPEAKERS),
      {
        message: `must be a whole number from 1 to ${MAX_SPEAKERS}, or empty to detect the speakers`,
      },
    )
    .transform((value) => (value === "" ? undefined : Number(value))),
});

export type TranscriptionFields = z.infer<typeof transcriptionFieldsSchema>;

/** What the browser chooses for an upload (sent as the form fields above). */
export interface UploadSettings {
  language: string;
  diarize: boolean;
  /** How many speakers the recording has (with `diarize`); absent: detect. */
  speakers?: number;
}

/** The multipart field that carries the audio file. */
export const audioField = "audio";

/**
 * Where a transcription job is: `queued` (waiting for a worker), `running`, `succeeded` (the
 * transcript is saved), `failed` (after its last attempt; the recording is kept) or `cancelled`.
 */
export const jobStatusSchema = z.enum(["queued", "running", "succeeded", "failed", "cancelled"]);

export type JobStatus = z.infer<typeof jobStatusSchema>;

/**
 * What a job is doing: waiting in the `queue`, `decoding` the audio, `transcribing` it, `saving`
 * the transcript, or `done` (any final status). Uploading is the browser's own stage, before the 202.
 */
export const jobStageSchema = z.enum(["queued", "decoding", "transcribing", "saving", "done"]);

export type JobStage = z.infer<typeof jobStageSchema>;

/** Answer of `POST /api/transcriptions` (202, with a `Location` header) and of `POST …/:id/retry`. */
export const startedTranscriptionSchema = z.object({
  id: z.string().min(1),
  status: jobStatusSchema,
  recordingId: z.string(),
});

export type StartedTranscription = z.infer<typeof startedTranscriptionSchema>;

/** A job as lists show it (`GET /api/jobs`): no transcript, no segments. */
export const jobSummarySchema = z.object({
  id: z.string(),
  recordingId: z.string(),
  /** From the uploaded file's name. */
  title: z.string(),
  status: jobStatusSchema,
  stage: jobStageSchema,
  /** Fraction of the audio processed, 0..1. */
  progress: z.number().min(0).max(1),
  /** 1-based place among the queued jobs of the deployment, while queued. */
  position: z.number().int().min(1).optional(),
  /** Attempts started so far (a crashed or failed attempt is retried up to 3 in all). */
  attempts: z.number().int().min(0),
  /** Length of the audio in seconds, once it is decoded. */
  durationSec: z.number().min(0).optional(),
  /** Estimated seconds left while running, from the pace so far. */
  etaSec: z.number().min(0).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  createdAt: z.string(),
  /** When the current (or last) attempt started. */
  startedAt: z.string().optional(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
});

export type JobSummary = z.infer<typeof jobSummarySchema>;

/**
 * Answer of `GET /api/transcriptions/:id`: the job while it runs (`progress` is the fraction of
 * the audio processed, `segmentsSoFar` the text decoded so far), with its `transcript` once it
 * succeeded or its `error` once it failed. Also the answer of a cancelling `DELETE`.
 */
export const transcriptionViewSchema = jobSummarySchema.extend({
  segmentsSoFar: z.array(segmentSchema).optional(),
  transcript: transcriptSchema.optional(),
});

export type TranscriptionView = z.infer<typeof transcriptionViewSchema>;

/** Answer of `GET /api/jobs`: the caller's jobs, running and queued first, then the most recent others. */
export const jobListSchema = z.object({ items: z.array(jobSummarySchema) });

export type JobList = z.infer<typeof jobListSchema>;
