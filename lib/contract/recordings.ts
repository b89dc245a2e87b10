import "./zod-config";
import { z } from "zod";
import { pageQuerySchema, pageSchema } from "./page";

/** A stored recording as `GET /api/recordings` lists it. */
export const recordingMetadataSchema = z.object({
  id: z.string(),
  /** Sanitised display name (never used as a path). */
  name: z.string(),
  createdAt: z.string(),
  /** Null until the audio has been decoded. */
  durationSec: z.number().nullable(),
  sizeBytes: z.number(),
  contentType: z.string(),
  language: z.string(),
  /** The transcript made from it, once there is one. */
  transcriptionId: z.string().nullable(),
  /** Speaker identification was asked for. */
  diarize: z.boolean().optional(),
  /** How many speakers the recording was said to have (with `diarize`). */
  speakers: z.number().optional(),
  /** Error code of a transcription that failed for good. */
  transcriptionError: z.string().optional(),
  /** `live`: recorded through the live socket (absent: uploaded or recorded in the browser). */
  source: z.literal("live").optional(),
});

export type RecordingMetadata = z.infer<typeof recordingMetadataSchema>;

/** Answer of `GET /api/recordings`. */
export const recordingPageSchema = pageSchema(recordingMetadataSchema);

/** Query of `GET /api/recordings`. */
export const recordingsQuerySchema = pageQuerySchema;

export type RecordingsQuery = z.infer<typeof recordingsQuerySchema>;

/** Query of `GET /api/recordings/:id/audio`: `download=1` asks for an attachment. */
export const recordingAudioQuerySchema = z.object({
  download: z
    .string()
    .optional()
    .transform((value) => value === "1"),
});
