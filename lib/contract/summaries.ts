import "./zod-config";
import { z } from "zod";

/**
 * `POST /api/transcriptions/:id/summary` has no body. With `Accept: application/x-ndjson` it
 * answers with a stream of {@link summaryEventSchema} lines, otherwise with
 * {@link summaryResultSchema}.
 */
export const summaryStreamType = "application/x-ndjson";

/** A finished summary: already saved with the transcript, whose version is now `etag`. */
export const summaryResultSchema = z.object({
  summary: z.string(),
  etag: z.string().optional(),
});

export type SummaryResult = z.infer<typeof summaryResultSchema>;

/** One line of the summary stream: `delta`s in order, then `done` or `error`. */
export const summaryEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("delta"), text: z.string() }),
  z.object({ type: z.literal("done"), summary: z.string(), etag: z.string().optional() }),
  z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
]);

export type SummaryEvent = z.infer<typeof summaryEventSchema>;
