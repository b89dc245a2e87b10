import "./zod-config";
import { z } from "zod";
import { pageQuerySchema, pageSchema } from "./page";

/** A stretch of the transcript with its times in seconds and, when diarised, its speaker. */
export const segmentSchema = z.object({
  start: z.number(),
  end: z.number(),
  text: z.string(),
  speaker: z.string().optional(),
});

export type Segment = z.infer<typeof segmentSchema>;

/**
 * Speech the engine heard but found no words in (noise, music, a cough): the transcript is silent
 * there on purpose.
 */
export const uncoveredSpeechSchema = z.object({
  start: z.number(),
  end: z.number(),
  reason: z.literal("no_words"),
});

export type UncoveredSpeech = z.infer<typeof uncoveredSpeechSchema>;

/**
 * Settings chosen for a transcription: `diarize` asked for speaker labels, `speakers` (only with
 * `diarize`) is how many speakers the person said the recording has.
 */
export const transcriptSettingsSchema = z.object({
  diarize: z.boolean(),
  speakers: z.number().int().min(1).optional(),
});

export type TranscriptSettings = z.infer<typeof transcriptSettingsSchema>;

/** A finished transcript, as the API returns it; `etag` is its version (for `If-Match`). */
export const transcriptSchema = z.object({
  id: z.string(),
  recordingId: z.string(),
  title: z.string(),
  text: z.string(),
  segments: z.array(segmentSchema),
  language: z.string(),
  durationSec: z.number(),
  engine: z.string(),
  settings: transcriptSettingsSchema,
  summary: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  etag: z.string().optional(),
  /** Wall-clock milliseconds spent decoding and transcribing. */
  processingMs: z.number().optional(),
  /** Absent when the engine missed nothing (or cannot tell). */
  uncovered: z.array(uncoveredSpeechSchema).optional(),
});

export type Transcript = z.infer<typeof transcriptSchema>;

/** A saved transcript in a listing (no body); search results carry a snippet and highlight offsets. */
export const transcriptListItemSchema = transcriptSchema
  .pick({
    id: true,
    recordingId: true,
    title: true,
    createdAt: true,
    updatedAt: true,
    durationSec: true,
    language: true,
    engine: true,
  })
  .extend({
    snippet: z.string().optional(),
    /** `[start, end)` offsets into `snippet` of the words searched for. */
    matches: z.array(z.tuple([z.number(), z.number()])).optional(),
  });

export type TranscriptListItem = z.infer<typeof transcriptListItemSchema>;

/** Answer of `GET /api/transcriptions`. */
export const transcriptPageSchema = pageSchema(transcriptListItemSchema);

/** Query of `GET /api/transcriptions`: `q` searches titles and texts. */
export const transcriptListQuerySchema = pageQuerySchema.extend({
  q: z.string().trim().max(200).optional(),
});

export type TranscriptListQuery = z.infer<typeof transcriptListQuerySchema>;

const editedSegmentSchema = z
  .object({
    start: z.number().min(0),
    end: z.number().min(0),
    text: z
      .string()
      .max(100_000)
      .refine((text) => text.trim().length > 0, { message: "must not be empty" }),
    /** The speaker's display name; renaming a speaker rewrites it on each of its segments. */
    speaker: z.string().trim().min(1).max(100).optional(),
  })
  .refine((segment) => segment.end >= segment.start, {
    message: "must not be before start",
    path: ["end"],
  });

/**
 * Body of `PUT /api/transcriptions/:id` (sent with `If-Match: <etag>`); omitted fields keep their
 * saved value, an empty `summary` removes it. `segments`, when sent, must be in order of their
 * start times, each with a start at or after 0, an end at or after its start and some text.
 */
export const transcriptEditSchema = z.object({
  text: z.string().max(5_000_000),
  title: z.string().trim().min(1).max(200).optional(),
  summary: z.string().max(200_000).optional(),
  segments: z
    .array(editedSegmentSchema)
    .max(100_000)
    .superRefine((segments, context) => {
      segments.forEach((segment, index) => {
        if (index > 0 && segment.start < segments[index - 1]!.start) {
          context.addIssue({
            code: "custom",
            message: "must not start before the segment before it",
            path: [index, "start"],
          });
        }
      });
    })
    .optional(),
});

export type TranscriptEdit = z.infer<typeof transcriptEditSchema>;

/** Answer of `PUT /api/transcriptions/:id` (the new version is also in the `ETag` header). */
export const savedTranscriptSchema = z.object({ transcript: transcriptSchema });

/** File formats of `GET /api/transcriptions/:id/export?format=`. */
export const exportFormats = ["txt", "srt", "vtt", "json", "csv", "docx"] as const;

export type ExportFormat = (typeof exportFormats)[number];

/** Query of `GET /api/transcriptions/:id/export`. */
export const exportQuerySchema = z.object({ format: z.enum(exportFormats).default("txt") });
