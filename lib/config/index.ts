import path from "node:path";
import { loadEnvConfig } from "@next/env";
import { z } from "zod";

const booleanish = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  MODEL_DIR: z.string().min(1).default("./.cache/models"),
  SPEECH_PROVIDER: z.enum(["local"]).default("local"),
  SPEECH_THREADS: z.coerce.number().int().min(1).max(64).default(2),
  SPEECH_WINDOW_SEC: z.coerce.number().min(5).max(29).default(28),
  SPEECH_BEAMS: z.coerce.number().int().min(1).max(5).default(1),
  SPEECH_PRELOAD: booleanish.default(true),
  FFMPEG_PATH: z.string().min(1).optional(),
  UPLOAD_MAX_MB: z.coerce.number().positive().max(10_000).default(300),
  AUDIO_MAX_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(120),
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  AZURE_STORAGE_CONNECTION_STRING: z.string().min(1).optional(),
  AZURE_STORAGE_ACCOUNT_NAME: z
    .string()
    .regex(/^[a-z0-9]{3,24}$/, "must be a storage account name (3-24 lower-case letters and digits)")
    .optional(),
  STORAGE_OWNER: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, "must be lower-case letters, digits or dashes")
    .default("local"),
  STORAGE_RECORDINGS_CONTAINER: z
    .string()
    .regex(/^[a-z0-9-]{3,63}$/)
    .default("recordings"),
  STORAGE_TRANSCRIPTS_CONTAINER: z
    .string()
    .regex(/^[a-z0-9-]{3,63}$/)
    .default("transcripts"),
  STORAGE_TRANSCRIPTS_TABLE: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/)
    .default("transcripts"),
  AZURITE_BLOB_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  AZURITE_QUEUE_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  AZURITE_TABLE_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  AZURITE_IN_MEMORY: booleanish.default(false),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

/** Typed, validated application configuration. */
export interface AppConfig {
  env: "development" | "production" | "test";
  server: { port: number; host: string };
  /** Absolute folder for uploads, recordings and other runtime data. */
  dataDir: string;
  /** Absolute folder holding prepared model files. */
  modelDir: string;
  speech: {
    provider: "local";
    /** onnxruntime intra-op threads for the local engine. */
    threads: number;
    /** Longest window handed to Whisper, in seconds (the model sees at most 30 s). */
    windowSec: number;
    beams: number;
    /** Load the local model when the server starts rather than on first use. */
    preload: boolean;
  };
  audio: {
    ffmpegPath?: string;
    maxUploadBytes: number;
    maxDurationSec: number;
  };
  jobs: { concurrency: number };
  storage: {
    /** Real Azure Storage (or any emulator) when set; otherwise Azurite is started in-process. */
    connectionString?: string;
    /** Azure account reached with Entra ID (DefaultAzureCredential) when no connection string is set. */
    accountName?: string;
    /** Partition of every record until sign-in exists. */
    owner: string;
    recordingsContainer: string;
    transcriptsContainer: string;
    transcriptsTable: string;
    azurite: { location: string; blobPort: number; queuePort: number; tablePort: number; inMemory: boolean };
  };
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
}

/** Thrown when the environment holds an invalid setting; names the variables at fault. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Parses a raw environment into an {@link AppConfig}. Pure: used by tests and by {@link getConfig}. */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): AppConfig {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
      .join("; ");
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = result.data;
  return {
    env: e.NODE_ENV,
    server: { port: e.PORT, host: e.HOST },
    dataDir: path.resolve(cwd, e.DATA_DIR),
    modelDir: path.resolve(cwd, e.MODEL_DIR),
    speech: {
      provider: e.SPEECH_PROVIDER,
      threads: e.SPEECH_THREADS,
      windowSec: e.SPEECH_WINDOW_SEC,
      beams: e.SPEECH_BEAMS,
      preload: e.SPEECH_PRELOAD,
    },
    audio: {
      ffmpegPath: e.FFMPEG_PATH,
      maxUploadBytes: Math.round(e.UPLOAD_MAX_MB * 1024 * 1024),
      maxDurationSec: Math.round(e.AUDIO_MAX_MINUTES * 60),
    },
    jobs: { concurrency: e.JOBS_CONCURRENCY },
    storage: {
      connectionString: e.AZURE_STORAGE_CONNECTION_STRING,
      accountName: e.AZURE_STORAGE_ACCOUNT_NAME,
      owner: e.STORAGE_OWNER,
      recordingsContainer: e.STORAGE_RECORDINGS_CONTAINER,
      transcriptsContainer: e.STORAGE_TRANSCRIPTS_CONTAINER,
      transcriptsTable: e.STORAGE_TRANSCRIPTS_TABLE,
      azurite: {
        location: path.resolve(cwd, e.DATA_DIR, "azurite"),
        blobPort: e.AZURITE_BLOB_PORT,
        queuePort: e.AZURITE_QUEUE_PORT,
        tablePort: e.AZURITE_TABLE_PORT,
        inMemory: e.AZURITE_IN_MEMORY,
      },
    },
    logLevel: e.LOG_LEVEL,
  };
}

const globalKey = Symbol.for("transcribe.config");
type ConfigHolder = { [globalKey]?: AppConfig };

/** The process-wide configuration, parsed once from `process.env`. */
export function getConfig(): AppConfig {
  const holder = globalThis as ConfigHolder;
  if (!holder[globalKey]) {
    // .env, .env.local and .env.<mode> files, as Next.js reads them; real environment wins.
    loadEnvConfig(process.cwd(), process.env.NODE_ENV === "development", {
      info: () => {},
      error: console.error,
    });
    holder[globalKey] = parseConfig(process.env);
  }
  return holder[globalKey];
}

/** Forgets the cached configuration (tests change the environment between cases). */
export function resetConfig(): void {
  delete (globalThis as ConfigHolder)[globalKey];
}
