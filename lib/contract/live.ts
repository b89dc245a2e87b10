import "./zod-config";
import { z } from "zod";
import { MAX_SPEAKERS } from "./transcriptions";
import { segmentSchema } from "./transcripts";

/** Sample rate of live audio: 16-bit little-endian PCM, mono. */
export const LIVE_SAMPLE_RATE = 16_000;

/**
 * The first frame a client sends on `/api/live`: what it will stream. `speakers` (1-20, with
 * `diarize`) says how many speakers there are; absent: detect. `resume` (a session id and the
 * sample offset of the next audio) continues a session after a dropped connection; audio the
 * server already has is skipped by offset.
 */
export const liveStartSchema = z.object({
  type: z.literal("start"),
  language: z
    .string()
    .trim()
    .regex(/^(auto|[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*)$/, "must be a language code such as en-US, or auto")
    .default("auto"),
  diarize: z.boolean().default(false),
  speakers: z
    .number()
    .int()
    .min(1)
    .max(MAX_SPEAKERS, { error: `must be at most ${MAX_SPEAKERS}` })
    .optional(),
  sampleRate: z.literal(LIVE_SAMPLE_RATE, { error: "must be 16000" }),
  encoding: z.literal("pcm_s16le", { error: "must be pcm_s16le" }),
  resume: z.object({ sessionId: z.string().min(1).max(64), offset: z.number().int().min(0) }).optional(),
});

export type LiveStart = z.infer<typeof liveStartSchema>;

/** Any JSON frame a client sends: `start`, then (after binary audio frames) `stop`. */
export const liveClientMessageSchema = z.discriminatedUnion("type", [
  liveStartSchema,
  z.object({ type: z.literal("stop") }),
]);

export type LiveClientMessage = z.infer<typeof liveClientMessageSchema>;

/** Largest binary audio frame the server takes: 2 s of audio (clients send about 100 ms). */
export const LIVE_MAX_FRAME_BYTES = 64 * 1024;

/**
 * Codes of the `error` frame; after one the server closes the socket (what was received so far is
 * kept and saved as a recording).
 * - `invalid_message`: not JSON, an unknown type, or a first frame that is not `start`.
 * - `unsupported_audio`: a sample rate or encoding other than 16000 / pcm_s16le.
 * - `audio_before_start`: binary audio before `start`.
 * - `frame_too_large`: a binary frame over {@link LIVE_MAX_FRAME_BYTES}, or of an odd length.
 * - `session_too_long`: the configured longest session was reached.
 * - `audio_too_fast`: audio ran over a minute ahead of the session's wall-clock time (a live
 *   stream comes at real time; a resuming client's backlog fits in that minute), or a resume
 *   claimed a gap longer than the resume window.
 * - `too_many_sessions`: the configured number of concurrent sessions is reached.
 * - `session_not_found`: `resume` names a session that ended or never existed here.
 * - `engine_unavailable`, `engine_failed`, `storage_unavailable`, `internal`: the server failed.
 */
export const liveErrorCodes = [
  "invalid_message",
  "unsupported_audio",
  "audio_before_start",
  "frame_too_large",
  "session_too_long",
  "audio_too_fast",
  "too_many_sessions",
  "session_not_found",
  "engine_unavailable",
  "engine_failed",
  "storage_unavailable",
  "internal",
] as const;

export type LiveErrorCode = (typeof liveErrorCodes)[number];

/** Every JSON frame the server sends on `/api/live`. */
export const liveServerMessageSchema = z.discriminatedUnion("type", [
  /**
   * The session is open. `offset` is the number of samples the server holds for it (0 for a new
   * session). After a resume the server numbers the audio that follows from `resume.offset` and
   * skips what it already holds, so a client sends everything it kept from that offset on.
   */
  z.object({ type: z.literal("ready"), sessionId: z.string(), offset: z.number().int().min(0).optional() }),
  /**
   * The open utterance as heard so far; replaces the previous partial. `stable` is the start of
   * `text` that later partials keep (words two decodes agreed on); the rest is a guess. The
   * utterance's `final`, decoded whole, replaces it all.
   */
  z.object({
    type: z.literal("partial"),
    text: z.string(),
    start: z.number().min(0),
    stable: z.string().optional(),
  }),
  z.object({ type: z.literal("final"), segment: segmentSchema }),
  z.object({ type: z.literal("saved"), transcriptionId: z.string(), recordingId: z.string() }),
  z.object({ type: z.literal("error"), code: z.enum(liveErrorCodes), message: z.string() }),
]);

export type LiveServerMessage = z.infer<typeof liveServerMessageSchema>;
