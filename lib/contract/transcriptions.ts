import { z } from "zod";
import { transcriptSchema } from "./transcripts";

/**
 * Form fields of `POST /api/transcriptions` (multipart, sent before the `audio` file): `language`
 * is a code such as `en-US` or `auto`; `diarize` asks for speaker labels.
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
});

export type TranscriptionFields = z.infer<typeof transcriptionFieldsSchema>;

/** What the browser chooses for an upload (sent as the form fields above). */
export interface UploadSettings {
  language: string;
  diarize: boolean;
}

/** The multipart field that carries the audio file. */
export const audioField = "audio";

export const jobStatusSchema = z.enum(["queued", "running", "succeeded", "failed"]);

export type JobStatus = z.infer<typeof jobStatusSchema>;

/** Answer of `POST /api/transcriptions` (202, with a `Location` header). */
export const startedTranscriptionSchema = z.object({
  id: z.string().min(1),
  status: jobStatusSchema,
  recordingId: z.string(),
});

export type StartedTranscription = z.infer<typeof startedTranscriptionSchema>;

/**
 * Answer of `GET /api/transcriptions/:id`: the job while it runs (`progress` is the fraction of
 * the audio processed), with its `transcript` once it succeeded or its `error` once it failed.
 */
export const transcriptionViewSchema = z.object({
  id: z.string(),
  recordingId: z.string(),
  status: jobStatusSchema,
  progress: z.number().min(0).max(1),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  transcript: transcriptSchema.optional(),
});

export type TranscriptionView = z.infer<typeof transcriptionViewSchema>;
