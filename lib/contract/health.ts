import "./zod-config";
import { z } from "zod";

/**
 * Whether a configured provider can be used. `configured` is false when the chosen provider's
 * settings are missing or malformed: `error` then names the variables to set (never a value).
 * `reachable` is what the provider answered to a check at start-up that costs nothing (absent
 * until it answered, and for providers with nothing to ask); it is not asked again per request.
 */
const providerStateShape = {
  configured: z.boolean(),
  reachable: z.boolean().optional(),
};

/** The speech engine: what it can do and whether it can take work now. */
export const speechEngineHealthSchema = z.object({
  /** Matches `Transcript.engine` for transcripts made by this engine. */
  id: z.string(),
  name: z.string(),
  /** The configured provider (`SPEECH_PROVIDER`): `local`, `azure`, `openai-compatible`. */
  provider: z.string(),
  ...providerStateShape,
  ready: z.boolean(),
  state: z.enum(["idle", "loading", "ready", "failed"]),
  /** BCP-47 locales the engine accepts; `auto` is listed when it detects the language itself. */
  languages: z.array(z.string()),
  multilingual: z.boolean(),
  diarization: z.boolean(),
  loadMs: z.number().optional(),
  /**
   * Present when the engine cannot work (not configured, loading failed, credentials refused) or
   * did not answer at start-up: a message safe to show.
   */
  error: z.string().optional(),
});

export type SpeechEngineHealth = z.infer<typeof speechEngineHealthSchema>;

/**
 * The configured summariser; `local` is true when nothing leaves the machine. `ready` is false
 * when it is not configured or did not answer at start-up (`error` says why).
 */
export const summarizerHealthSchema = z.object({
  id: z.enum(["local", "azure-openai", "openai-compatible"]),
  name: z.string(),
  local: z.boolean(),
  ...providerStateShape,
  ready: z.boolean(),
  error: z.string().optional(),
});

export type SummarizerHealth = z.infer<typeof summarizerHealthSchema>;

/**
 * The configured e-mail sender; `outbox` is true when messages are kept locally, not sent.
 * `ready` is false when it is not configured or did not answer at start-up (`error` says why).
 */
export const emailHealthSchema = z.object({
  provider: z.enum(["outbox", "smtp", "resend"]),
  name: z.string(),
  outbox: z.boolean(),
  ...providerStateShape,
  ready: z.boolean(),
  error: z.string().optional(),
});

export type EmailHealth = z.infer<typeof emailHealthSchema>;

/**
 * Answer of `GET /api/health` (503 with the same body when degraded: a speech engine that failed,
 * storage that does not answer, or a chosen provider that is not configured). `summary` and
 * `email` are null while the server's services are not up.
 */
export const healthReportSchema = z.object({
  status: z.enum(["ok", "starting", "degraded"]),
  engines: z.object({ speech: speechEngineHealthSchema }),
  storage: z.object({ ready: z.boolean(), provider: z.string(), error: z.string().optional() }),
  summary: summarizerHealthSchema.nullable(),
  email: emailHealthSchema.nullable(),
  limits: z.object({ maxUploadBytes: z.number(), maxDurationSec: z.number() }),
  /** Live transcription (`/api/live`): whether it is on, sessions at once, longest session, running now. */
  live: z
    .object({
      available: z.boolean(),
      maxSessions: z.number(),
      maxSessionSec: z.number(),
      active: z.number(),
    })
    .optional(),
});

export type HealthReport = z.infer<typeof healthReportSchema>;
