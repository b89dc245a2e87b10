import path from "node:path";
import { loadEnvConfig } from "@next/env";
import { z } from "zod";

const booleanish = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

/** A base URL of an HTTP service. */
/** A comma-separated setting as its trimmed, non-empty items. */
const commaList = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean),
);

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  TRUST_PROXY: booleanish.default(false),
  PUBLIC_ORIGINS: commaList
    .pipe(
      z.array(
        z
          .url({ protocol: /^https?$/, error: "must be origins such as https://transcribe.example.com" })
          .transform((value) => new URL(value).origin),
      ),
    )
    .default([]),
  AUTH_MODE: z.enum(["none", "password", "entra"]).default("none"),
  AUTH_USERS: z.string().optional(),
  AUTH_SECRET: z.string().optional(),
  AUTH_SESSION_HOURS: z.coerce
    .number()
    .min(0.05)
    .max(24 * 365)
    .default(24 * 7),
  AUTH_ENTRA_TENANTS: z.string().optional(),
  AUTH_ENTRA_USERS: z.string().optional(),
  HEADERS_TIMEOUT_SEC: z.coerce.number().min(1).max(600).default(20),
  REQUEST_TIMEOUT_SEC: z.coerce.number().min(0).max(86_400).default(3600),
  BODY_IDLE_TIMEOUT_SEC: z.coerce.number().min(0.1).max(3600).default(30),
  JSON_MAX_MB: z.coerce.number().min(0.01).max(100).default(6),
  UPLOADS_PER_CLIENT: z.coerce.number().int().min(1).max(1000).default(3),
  DATA_DIR: z.string().min(1).default("./data"),
  MODEL_DIR: z.string().min(1).default("./.cache/models"),
  SPEECH_PROVIDER: z.enum(["local", "azure", "openai-compatible", "fake"]).default("local"),
  SPEECH_THREADS: z.coerce.number().int().min(1).max(64).default(2),
  SPEECH_WINDOW_SEC: z.coerce.number().min(5).max(29).default(28),
  SPEECH_BEAMS: z.coerce.number().int().min(1).max(5).default(1),
  SPEECH_PRELOAD: booleanish.default(true),
  AZURE_SPEECH_KEY: z.string().min(1).optional(),
  AZURE_SPEECH_REGION: z
    .string()
    .regex(/^[a-z0-9]+$/, "must be an Azure region name (e.g. westeurope)")
    .optional(),
  AZURE_SPEECH_ENDPOINT: z
    .url({ protocol: /^(wss?|https?)$/, error: "must be a ws://, wss://, http:// or https:// URL" })
    .optional(),
  AZURE_SPEECH_USE_ENTRA_ID: booleanish.default(false),
  AZURE_SPEECH_RESOURCE_ID: z
    .string()
    .regex(
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+$/i,
      {
        error:
          "must be the Speech resource's ID (/subscriptions/…/providers/Microsoft.CognitiveServices/accounts/…)",
      },
    )
    .optional(),
  AZURE_SPEECH_PROFANITY: z.enum(["masked", "removed", "raw"]).default("masked"),
  AZURE_SPEECH_AUTO_LANGUAGES: commaList
    .pipe(
      z
        .array(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})+$/, "must be locales such as en-US"))
        .min(1)
        .max(10),
    )
    .default(["en-US", "de-DE", "fr-FR", "es-ES"]),
  OPENAI_SPEECH_BASE_URL: httpUrl.optional(),
  OPENAI_SPEECH_MODEL: z.string().min(1).optional(),
  OPENAI_SPEECH_API_KEY: z.string().min(1).optional(),
  OPENAI_SPEECH_MAX_MB: z.coerce.number().min(0.05).max(1000).default(25),
  AZURE_OPENAI_SPEECH_DEPLOYMENT: z.string().min(1).optional(),
  FFMPEG_PATH: z.string().min(1).optional(),
  UPLOAD_MAX_MB: z.coerce.number().positive().max(10_000).default(300),
  AUDIO_MAX_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(120),
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  JOBS_WORKER: z.enum(["in-process", "off"]).default("in-process"),
  JOBS_TABLE: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/)
    .default("jobs"),
  JOBS_QUEUE: z
    .string()
    .regex(
      /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/,
      "must be a queue name (lower-case letters, digits, dashes)",
    )
    .default("transcriptions"),
  JOBS_VISIBILITY_SEC: z.coerce.number().int().min(3).max(600).default(30),
  JOBS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  LIVE_MAX_SESSIONS: z.coerce.number().int().min(0).max(100).default(3),
  LIVE_MAX_MINUTES: z.coerce
    .number()
    .min(0.05)
    .max(24 * 60)
    .default(240),
  LIVE_RESUME_SEC: z.coerce.number().min(1).max(600).default(30),
  STORAGE_PROVIDER: z.enum(["azurite", "azure", "memory"]).default("azurite"),
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
  STORAGE_LIVE_CONTAINER: z
    .string()
    .regex(/^[a-z0-9-]{3,63}$/)
    .default("live"),
  STORAGE_TRANSCRIPTS_TABLE: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/)
    .default("transcripts"),
  AZURITE_BLOB_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  AZURITE_QUEUE_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  AZURITE_TABLE_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  AZURITE_IN_MEMORY: booleanish.default(false),
  SUMMARY_PROVIDER: z.enum(["local", "azure-openai", "openai-compatible"]).default("local"),
  SUMMARY_CHUNK_CHARS: z.coerce.number().int().min(1000).max(1_000_000).default(12_000),
  SUMMARY_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  SUMMARY_TIMEOUT_SEC: z.coerce.number().min(5).max(3600).default(120),
  AZURE_OPENAI_ENDPOINT: httpUrl.optional(),
  AZURE_OPENAI_API_KEY: z.string().min(1).optional(),
  AZURE_OPENAI_DEPLOYMENT: z.string().min(1).optional(),
  AZURE_OPENAI_API_VERSION: z.string().min(1).default("2024-10-21"),
  AZURE_OPENAI_USE_ENTRA_ID: booleanish.default(false),
  OPENAI_BASE_URL: httpUrl.optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_MODEL: z.string().min(1).optional(),
  EMAIL_PROVIDER: z.enum(["outbox", "smtp", "resend"]).default("outbox"),
  EMAIL_FROM: z.string().min(3).default("Transcribe <transcribe@localhost>"),
  EMAIL_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(20),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_SECURE: booleanish.default(false),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  SMTP_REQUIRE_TLS: booleanish.default(false),
  RESEND_API_KEY: z.string().min(1).optional(),
  RESEND_BASE_URL: httpUrl.optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

/** How the Azure AI Speech service is reached. The key stays on the server. */
export interface AzureSpeechConfig {
  /** The resource's key; unset when `entraIdResourceId` is set. */
  key?: string;
  /**
   * Authenticate with Entra ID (DefaultAzureCredential) instead of a key: the Speech resource's
   * ID, which the service's token format names alongside the access token.
   */
  entraIdResourceId?: string;
  /** The resource's region (e.g. `westeurope`); unused when `endpoint` is set. */
  region?: string;
  /** A custom endpoint URL (private endpoint, container, test double); wins over `region`. */
  endpoint?: string;
  /** Candidate locales when the language is `auto` (1-10; one means that locale, no detection). */
  autoLanguages: string[];
  /** What the service does with profanity: `masked` with asterisks (its default), `removed`, or `raw`. */
  profanity: "masked" | "removed" | "raw";
}

/**
 * A Whisper-style transcription endpoint (`audio/transcriptions`): an OpenAI-compatible server, or
 * a deployment of Azure OpenAI. The key stays on the server.
 */
export type OpenAiSpeechConfig = {
  /** Largest file the service takes, in bytes; longer audio is sent in pieces. */
  maxUploadBytes: number;
} & (
  | { kind: "openai"; baseUrl: string; model: string; apiKey?: string }
  | { kind: "azure"; endpoint: string; deployment: string; apiVersion: string; apiKey: string }
);

/**
 * The speech engine: local Whisper, Azure AI Speech, an OpenAI-compatible endpoint, or (tests only) a deterministic fake. The
 * local model settings are present whatever the provider.
 */
export type SpeechConfig = {
  /** Absolute folder holding prepared model files. */
  modelDir: string;
  /** onnxruntime intra-op threads for the local engine. */
  threads: number;
  /** Longest window handed to Whisper, in seconds (the model sees at most 30 s). */
  windowSec: number;
  beams: number;
  /** Load the local model (or the Azure SDK) when the server starts rather than on first use. */
  preload: boolean;
} & (
  | { provider: "local" | "fake" }
  | { provider: "azure"; azure: AzureSpeechConfig }
  | { provider: "openai-compatible"; openai: OpenAiSpeechConfig }
  /** A cloud engine chosen without usable settings: the server starts and reports it. */
  | { provider: "azure" | "openai-compatible"; problem: ProviderProblem }
);

/**
 * A cloud provider the configuration chose but cannot use, because settings are missing or
 * malformed. The server starts without it: `/api/health` and the page name the problem.
 */
export interface ProviderProblem {
  /** What to set or fix, naming the variables; never holds a value. */
  message: string;
  /** The variables at fault. */
  variables: string[];
}

/** Durable jobs: records in a table, messages on a queue of the storage account, and workers. */
export interface JobsConfig {
  /** Jobs one worker runs at once. */
  concurrency: number;
  /** Whether the web server runs a worker itself (`off`: only `npm run worker` processes do). */
  worker: "in-process" | "off";
  table: string;
  queue: string;
  /** How long a taken message stays hidden; a worker renews it at a third of this while it works. */
  visibilitySec: number;
  /** Attempts before a job is failed for good. */
  maxAttempts: number;
}

/** Live sessions on `/api/live`. */
export interface LiveConfig {
  /** Sessions at once in this process (0 turns live transcription off). */
  maxSessions: number;
  /** Longest session; the audio up to it is kept and saved. */
  maxSessionSec: number;
  /** How long a dropped session waits for its client to resume before it is saved as it is. */
  resumeSec: number;
}

/** Where mail goes: kept in the local outbox, or sent through SMTP or Resend. */
export type EmailConfig = { from: string; ratePerHour: number } & (
  | { provider: "outbox"; outboxDir: string }
  | {
      provider: "smtp";
      smtp: {
        host: string;
        port: number;
        secure: boolean;
        requireTls: boolean;
        user?: string;
        password?: string;
      };
    }
  | { provider: "resend"; resend: { apiKey: string; baseUrl?: string } }
  /** A sender chosen without usable settings: messages are refused, the server says why. */
  | { provider: "smtp" | "resend"; problem: ProviderProblem }
);

/** The summariser: local, or a chat model (Azure OpenAI, any OpenAI-compatible endpoint). */
export type SummaryConfig =
  | { provider: "local"; chunkChars: number }
  | {
      provider: "azure-openai";
      endpoint: string;
      deployment: string;
      apiVersion: string;
      apiKey?: string;
      useEntraId: boolean;
      chunkChars: number;
      maxRetries: number;
      timeoutMs: number;
    }
  | {
      provider: "openai-compatible";
      baseUrl: string;
      model: string;
      apiKey?: string;
      chunkChars: number;
      maxRetries: number;
      timeoutMs: number;
    }
  /** A cloud summariser chosen without usable settings: summaries are refused, the server says why. */
  | { provider: "azure-openai" | "openai-compatible"; problem: ProviderProblem };

/** How an Azure Storage account is reached. */
export type AzureStorageCredential =
  | { kind: "connection-string"; connectionString: string }
  /** Entra ID (DefaultAzureCredential) on the named account. */
  | { kind: "entra-id"; accountName: string };

/** Where recordings and transcripts are kept. */
export type StorageConfig = {
  /** Partition of every record until sign-in exists. */
  owner: string;
  recordingsContainer: string;
  transcriptsContainer: string;
  transcriptsTable: string;
  /** Container of live sessions' audio while they are recorded. */
  liveContainer: string;
} & (
  | {
      /** Azurite started in-process on loopback, persisted under the data folder. */
      provider: "azurite";
      azurite: {
        location: string;
        blobPort: number;
        queuePort: number;
        tablePort: number;
        inMemory: boolean;
      };
    }
  | { provider: "azure"; credential: AzureStorageCredential }
  /** In this process's memory only (tests). */
  | { provider: "memory" }
);

/** A user of password sign-in, as configured. */
export interface PasswordUser {
  /** Lower-case user name (letters, digits, `.`, `_`, `-`, `@`). */
  name: string;
  /** `scrypt:<salt>:<hash>` (base64url), as `npm run hash-password` prints it. */
  passwordHash: string;
}

/**
 * Who may use the app (`lib/auth`): nobody signs in (`none`: every request acts for the storage
 * owner), users with passwords from configuration, or Azure Container Apps built-in authentication.
 */
export type AuthConfig =
  | { mode: "none" }
  | {
      mode: "password";
      users: PasswordUser[];
      /** Key of the session cookie's HMAC (at least 32 characters). */
      secret: string;
      /** How long a session lasts. */
      sessionSec: number;
      /**
       * Session cookies are always `Secure`: every configured public origin (`PUBLIC_ORIGINS`) is
       * https. Otherwise they are when a trusted proxy says the request came over HTTPS.
       */
      httpsOnly: boolean;
    }
  | {
      mode: "entra";
      /** Tenant ids allowed to sign in (lower case); empty: any tenant the users list allows. */
      tenants: string[];
      /** Object ids or user names allowed (lower case); empty: anyone of the allowed tenants. */
      users: string[];
    };

/** How the server protects itself: the origins it answers for, its timeouts and its limits. */
export interface HttpLimitsConfig {
  /**
   * The origins people reach the app at (`https://transcribe.example.com`), besides this machine's
   * own names and addresses: accepted as `Host` and as the `Origin` of state-changing requests.
   */
  publicOrigins: string[];
  /** Longest wait for a request's headers. */
  headersTimeoutMs: number;
  /** Longest wait for a whole request, body included (0: none). */
  requestTimeoutMs: number;
  /** A request body that sends nothing for this long is abandoned (408) and its connection closed. */
  bodyIdleTimeoutMs: number;
  /** Largest JSON body, counted as it arrives (413 beyond). */
  jsonMaxBytes: number;
  /** Uploads one client may have in progress at once (429 beyond). */
  uploadsPerClient: number;
}

/** Typed, validated application configuration. */
export interface AppConfig {
  env: "development" | "production" | "test";
  server: {
    port: number;
    host: string;
    /** Behind a reverse proxy (e.g. Azure Container Apps): take the client address from X-Forwarded-For. */
    trustProxy: boolean;
  };
  auth: AuthConfig;
  http: HttpLimitsConfig;
  /** Absolute folder for uploads, recordings and other runtime data. */
  dataDir: string;
  /** Absolute folder holding prepared model files. */
  modelDir: string;
  speech: SpeechConfig;
  audio: {
    ffmpegPath?: string;
    maxUploadBytes: number;
    maxDurationSec: number;
  };
  jobs: JobsConfig;
  live: LiveConfig;
  summary: SummaryConfig;
  email: EmailConfig;
  storage: StorageConfig;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
}

/** Thrown when the environment holds an invalid setting; names the variables at fault. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Variables of the optional cloud providers (speech, summary, e-mail). A malformed one belongs to
 * the provider that uses it: when that provider is chosen, the server starts and reports it
 * (see {@link ProviderProblem}); when no chosen provider uses it, it fails the start like any other.
 */
const PROVIDER_VARIABLES: ReadonlySet<string> = new Set([
  "AZURE_SPEECH_KEY",
  "AZURE_SPEECH_REGION",
  "AZURE_SPEECH_ENDPOINT",
  "AZURE_SPEECH_USE_ENTRA_ID",
  "AZURE_SPEECH_RESOURCE_ID",
  "AZURE_SPEECH_PROFANITY",
  "AZURE_SPEECH_AUTO_LANGUAGES",
  "OPENAI_SPEECH_BASE_URL",
  "OPENAI_SPEECH_MODEL",
  "OPENAI_SPEECH_API_KEY",
  "OPENAI_SPEECH_MAX_MB",
  "AZURE_OPENAI_SPEECH_DEPLOYMENT",
  "AZURE_OPENAI_ENDPOINT",
  "AZURE_OPENAI_API_KEY",
  "AZURE_OPENAI_DEPLOYMENT",
  "AZURE_OPENAI_API_VERSION",
  "AZURE_OPENAI_USE_ENTRA_ID",
  "OPENAI_BASE_URL",
  "OPENAI_API_KEY",
  "OPENAI_MODEL",
  "SMTP_HOST",
  "SMTP_PORT",
  "SMTP_SECURE",
  "SMTP_USER",
  "SMTP_PASSWORD",
  "SMTP_REQUIRE_TLS",
  "RESEND_API_KEY",
  "RESEND_BASE_URL",
]);

/** Parses a raw environment into an {@link AppConfig}. Pure: used by tests and by {@link loadConfig}. */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): AppConfig {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const first = envSchema.safeParse(cleaned);
  const malformed = new Map<string, string>();
  if (!first.success) {
    const issues = first.error.issues.map((issue) => ({
      name: String(issue.path[0] ?? ""),
      text: `${issue.path.join(".")}: ${issue.message}`,
    }));
    if (issues.some((issue) => !PROVIDER_VARIABLES.has(issue.name))) {
      throw new ConfigError(`Invalid configuration: ${issues.map((issue) => issue.text).join("; ")}`);
    }
    for (const issue of issues) if (!malformed.has(issue.name)) malformed.set(issue.name, issue.text);
  }
  // Each variable is checked on its own, so without the malformed ones the rest parses.
  const e = first.success
    ? first.data
    : envSchema.parse(Object.fromEntries(Object.entries(cleaned).filter(([name]) => !malformed.has(name))));
  const settings = new ProviderSettings(e, malformed);
  const config: AppConfig = {
    summary: summaryConfig(e, settings),
    email: emailConfig(e, cwd, settings),
    env: e.NODE_ENV,
    server: { port: e.PORT, host: e.HOST, trustProxy: e.TRUST_PROXY },
    auth: authConfig(e),
    http: {
      publicOrigins: e.PUBLIC_ORIGINS,
      headersTimeoutMs: Math.round(e.HEADERS_TIMEOUT_SEC * 1000),
      requestTimeoutMs: Math.round(e.REQUEST_TIMEOUT_SEC * 1000),
      bodyIdleTimeoutMs: Math.round(e.BODY_IDLE_TIMEOUT_SEC * 1000),
      jsonMaxBytes: Math.round(e.JSON_MAX_MB * 1024 * 1024),
      uploadsPerClient: e.UPLOADS_PER_CLIENT,
    },
    dataDir: path.resolve(cwd, e.DATA_DIR),
    modelDir: path.resolve(cwd, e.MODEL_DIR),
    speech: speechConfig(e, cwd, settings),
    audio: {
      ffmpegPath: e.FFMPEG_PATH,
      maxUploadBytes: Math.round(e.UPLOAD_MAX_MB * 1024 * 1024),
      maxDurationSec: Math.round(e.AUDIO_MAX_MINUTES * 60),
    },
    jobs: {
      concurrency: e.JOBS_CONCURRENCY,
      worker: e.JOBS_WORKER,
      table: e.JOBS_TABLE,
      queue: e.JOBS_QUEUE,
      visibilitySec: e.JOBS_VISIBILITY_SEC,
      maxAttempts: e.JOBS_MAX_ATTEMPTS,
    },
    live: {
      maxSessions: e.LIVE_MAX_SESSIONS,
      maxSessionSec: Math.round(e.LIVE_MAX_MINUTES * 60),
      resumeSec: e.LIVE_RESUME_SEC,
    },
    storage: storageConfig(e, cwd),
    logLevel: e.LOG_LEVEL,
  };
  const unclaimed = settings.unclaimed();
  if (unclaimed.length > 0) throw new ConfigError(`Invalid configuration: ${unclaimed.join("; ")}`);
  return config;
}

type Env = z.infer<typeof envSchema>;

/**
 * What is wrong with the settings of the chosen providers: each provider checks the variables it
 * uses, and takes the malformed ones among them as its own problems.
 */
class ProviderSettings {
  private readonly claimed = new Set<string>();

  constructor(
    private readonly env: Env,
    private readonly malformed: ReadonlyMap<string, string>,
  ) {}

  /** Whether a variable was set (malformed counts as set: it is reported as malformed, not missing). */
  given(name: keyof Env): boolean {
    return this.env[name] !== undefined || this.malformed.has(name);
  }

  /**
   * Starts checking one provider: `uses` are its variables (their malformed values become its
   * problems). Add missing settings and other faults with {@link ProviderCheck.fault}.
   */
  check(uses: Array<keyof Env>): ProviderCheck {
    const faults: Array<{ message: string; variables: string[] }> = [];
    const malformed = uses.filter((name) => this.malformed.has(name));
    for (const name of malformed) this.claimed.add(name);
    return {
      fault: (message, variables) => faults.push({ message, variables }),
      requireAll: (names, describe) => {
        const missing = names.filter((name) => !this.given(name));
        if (missing.length > 0) faults.push({ message: describe(missing.join(" and ")), variables: missing });
      },
      problem: () => {
        const all = [
          ...faults,
          ...malformed.map((name) => ({ message: this.malformed.get(name)!, variables: [name] })),
        ];
        if (all.length === 0) return null;
        return {
          message: all.map((fault) => fault.message).join("; "),
          variables: [...new Set(all.flatMap((fault) => fault.variables))],
        };
      },
    };
  }

  /** Malformed variables no chosen provider uses. */
  unclaimed(): string[] {
    return [...this.malformed].filter(([name]) => !this.claimed.has(name)).map(([, text]) => text);
  }
}

interface ProviderCheck {
  fault(message: string, variables: string[]): void;
  /** A fault naming those of `names` that are not set (`describe` words it), when any is not. */
  requireAll(names: Array<keyof Env>, describe: (missing: string) => string): void;
  problem(): ProviderProblem | null;
}

/**
 * Keys of Azure AI services resources (Speech, Azure OpenAI): 32 hexadecimal characters, or the
 * 84 letters and digits of the newer format.
 */
const AZURE_KEY = /^(?:[0-9a-f]{32}|[0-9a-z]{84})$/i;

/**
 * Whether a key sent to `endpoint` (none: Azure AI Speech's regional endpoint) must look like an
 * Azure key. Containers, gateways of one's own and test doubles take keys of their own.
 */
function isAzureHosted(endpoint: string | undefined): boolean {
  if (!endpoint) return true;
  const host = new URL(endpoint).hostname.toLowerCase();
  return /(^|\.)(azure\.com|microsoft\.com|azure\.cn|azure\.us)$/.test(host);
}

function checkAzureKey(check: ProviderCheck, name: string, key: string | undefined, endpoint?: string) {
  if (key !== undefined && isAzureHosted(endpoint) && !AZURE_KEY.test(key)) {
    check.fault(
      `${name} is not an Azure AI services key (32 hexadecimal characters, or 84 letters and digits: Key 1 or Key 2 of the resource's Keys and Endpoint page)`,
      [name],
    );
  }
}

function summaryConfig(e: Env, settings: ProviderSettings): SummaryConfig {
  const common = {
    chunkChars: e.SUMMARY_CHUNK_CHARS,
    maxRetries: e.SUMMARY_MAX_RETRIES,
    timeoutMs: e.SUMMARY_TIMEOUT_SEC * 1000,
  };
  const provider = e.SUMMARY_PROVIDER;
  switch (provider) {
    case "local":
      return { provider, chunkChars: e.SUMMARY_CHUNK_CHARS };
    case "azure-openai": {
      const check = settings.check([
        "AZURE_OPENAI_ENDPOINT",
        "AZURE_OPENAI_DEPLOYMENT",
        "AZURE_OPENAI_API_VERSION",
        "AZURE_OPENAI_API_KEY",
        "AZURE_OPENAI_USE_ENTRA_ID",
      ]);
      check.requireAll(
        ["AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_DEPLOYMENT"],
        (missing) => `SUMMARY_PROVIDER=azure-openai needs ${missing}`,
      );
      if (!settings.given("AZURE_OPENAI_API_KEY") && !e.AZURE_OPENAI_USE_ENTRA_ID) {
        check.fault(
          "SUMMARY_PROVIDER=azure-openai needs AZURE_OPENAI_API_KEY or AZURE_OPENAI_USE_ENTRA_ID=true",
          ["AZURE_OPENAI_API_KEY"],
        );
      }
      if (!e.AZURE_OPENAI_USE_ENTRA_ID && e.AZURE_OPENAI_ENDPOINT) {
        checkAzureKey(check, "AZURE_OPENAI_API_KEY", e.AZURE_OPENAI_API_KEY, e.AZURE_OPENAI_ENDPOINT);
      }
      const problem = check.problem();
      if (problem || !e.AZURE_OPENAI_ENDPOINT || !e.AZURE_OPENAI_DEPLOYMENT) {
        return { provider, problem: problem ?? impossible() };
      }
      return {
        provider,
        endpoint: e.AZURE_OPENAI_ENDPOINT,
        deployment: e.AZURE_OPENAI_DEPLOYMENT,
        apiVersion: e.AZURE_OPENAI_API_VERSION,
        apiKey: e.AZURE_OPENAI_API_KEY,
        useEntraId: e.AZURE_OPENAI_USE_ENTRA_ID,
        ...common,
      };
    }
    case "openai-compatible": {
      const check = settings.check(["OPENAI_BASE_URL", "OPENAI_MODEL", "OPENAI_API_KEY"]);
      check.requireAll(
        ["OPENAI_BASE_URL", "OPENAI_MODEL"],
        (missing) => `SUMMARY_PROVIDER=openai-compatible needs ${missing}`,
      );
      const problem = check.problem();
      if (problem || !e.OPENAI_BASE_URL || !e.OPENAI_MODEL)
        return { provider, problem: problem ?? impossible() };
      return {
        provider,
        baseUrl: e.OPENAI_BASE_URL,
        model: e.OPENAI_MODEL,
        apiKey: e.OPENAI_API_KEY,
        ...common,
      };
    }
    default: {
      const unknown: never = provider;
      throw new ConfigError(`Invalid configuration: unknown SUMMARY_PROVIDER ${String(unknown)}`);
    }
  }
}

/** For the type checker: a provider without a problem has every setting it needs. */
function impossible(): never {
  throw new Error("a provider without a problem lacks a setting");
}

function emailConfig(e: Env, cwd: string, settings: ProviderSettings): EmailConfig {
  const base = { from: e.EMAIL_FROM, ratePerHour: e.EMAIL_RATE_LIMIT_PER_HOUR };
  const provider = e.EMAIL_PROVIDER;
  switch (provider) {
    case "outbox":
      return { ...base, provider, outboxDir: path.resolve(cwd, e.DATA_DIR, "outbox") };
    case "smtp": {
      const check = settings.check([
        "SMTP_HOST",
        "SMTP_PORT",
        "SMTP_SECURE",
        "SMTP_REQUIRE_TLS",
        "SMTP_USER",
        "SMTP_PASSWORD",
      ]);
      if (!settings.given("SMTP_HOST")) check.fault("EMAIL_PROVIDER=smtp needs SMTP_HOST", ["SMTP_HOST"]);
      const problem = check.problem();
      if (problem || !e.SMTP_HOST) return { ...base, provider, problem: problem ?? impossible() };
      return {
        ...base,
        provider,
        smtp: {
          host: e.SMTP_HOST,
          port: e.SMTP_PORT,
          secure: e.SMTP_SECURE,
          requireTls: e.SMTP_REQUIRE_TLS,
          user: e.SMTP_USER,
          password: e.SMTP_PASSWORD,
        },
      };
    }
    case "resend": {
      const check = settings.check(["RESEND_API_KEY", "RESEND_BASE_URL"]);
      if (!settings.given("RESEND_API_KEY")) {
        check.fault("EMAIL_PROVIDER=resend needs RESEND_API_KEY", ["RESEND_API_KEY"]);
      }
      const problem = check.problem();
      if (problem || !e.RESEND_API_KEY) return { ...base, provider, problem: problem ?? impossible() };
      return { ...base, provider, resend: { apiKey: e.RESEND_API_KEY, baseUrl: e.RESEND_BASE_URL } };
    }
    default: {
      const unknown: never = provider;
      throw new ConfigError(`Invalid configuration: unknown EMAIL_PROVIDER ${String(unknown)}`);
    }
  }
}

function speechConfig(e: Env, cwd: string, settings: ProviderSettings): SpeechConfig {
  const base = {
    modelDir: path.resolve(cwd, e.MODEL_DIR),
    threads: e.SPEECH_THREADS,
    windowSec: e.SPEECH_WINDOW_SEC,
    beams: e.SPEECH_BEAMS,
    preload: e.SPEECH_PRELOAD,
  };
  const provider = e.SPEECH_PROVIDER;
  switch (provider) {
    case "local":
      return { ...base, provider };
    case "fake":
      if (e.NODE_ENV !== "test") {
        throw new ConfigError(
          "Invalid configuration: SPEECH_PROVIDER=fake is only for tests (NODE_ENV=test)",
        );
      }
      return { ...base, provider };
    case "azure": {
      const check = settings.check([
        "AZURE_SPEECH_KEY",
        "AZURE_SPEECH_REGION",
        "AZURE_SPEECH_ENDPOINT",
        "AZURE_SPEECH_USE_ENTRA_ID",
        "AZURE_SPEECH_RESOURCE_ID",
        "AZURE_SPEECH_PROFANITY",
        "AZURE_SPEECH_AUTO_LANGUAGES",
      ]);
      const credential = e.AZURE_SPEECH_USE_ENTRA_ID
        ? settings.given("AZURE_SPEECH_RESOURCE_ID")
          ? null
          : {
              text: "AZURE_SPEECH_RESOURCE_ID (with AZURE_SPEECH_USE_ENTRA_ID=true)",
              name: "AZURE_SPEECH_RESOURCE_ID",
            }
        : settings.given("AZURE_SPEECH_KEY")
          ? null
          : {
              text: "AZURE_SPEECH_KEY (or AZURE_SPEECH_USE_ENTRA_ID=true with AZURE_SPEECH_RESOURCE_ID)",
              name: "AZURE_SPEECH_KEY",
            };
      const place =
        settings.given("AZURE_SPEECH_REGION") || settings.given("AZURE_SPEECH_ENDPOINT")
          ? null
          : { text: "AZURE_SPEECH_REGION (or AZURE_SPEECH_ENDPOINT)", name: "AZURE_SPEECH_REGION" };
      const missing = [credential, place].filter((item) => item !== null);
      if (missing.length > 0) {
        check.fault(
          `SPEECH_PROVIDER=azure needs ${missing.map((item) => item.text).join(" and ")}`,
          missing.map((item) => item.name),
        );
      }
      if (!e.AZURE_SPEECH_USE_ENTRA_ID) {
        checkAzureKey(check, "AZURE_SPEECH_KEY", e.AZURE_SPEECH_KEY, e.AZURE_SPEECH_ENDPOINT);
      }
      const problem = check.problem();
      if (problem) return { ...base, provider, problem };
      return {
        ...base,
        provider,
        azure: {
          ...(e.AZURE_SPEECH_USE_ENTRA_ID
            ? { entraIdResourceId: e.AZURE_SPEECH_RESOURCE_ID }
            : { key: e.AZURE_SPEECH_KEY }),
          region: e.AZURE_SPEECH_REGION,
          endpoint: e.AZURE_SPEECH_ENDPOINT,
          autoLanguages: e.AZURE_SPEECH_AUTO_LANGUAGES,
          profanity: e.AZURE_SPEECH_PROFANITY,
        },
      };
    }
    case "openai-compatible": {
      const openai = openAiSpeechConfig(e, settings);
      return "problem" in openai
        ? { ...base, provider, problem: openai.problem }
        : { ...base, provider, openai };
    }
    default: {
      const unknown: never = provider;
      throw new ConfigError(`Invalid configuration: unknown SPEECH_PROVIDER ${String(unknown)}`);
    }
  }
}

function openAiSpeechConfig(
  e: Env,
  settings: ProviderSettings,
): OpenAiSpeechConfig | { problem: ProviderProblem } {
  const maxUploadBytes = Math.round(e.OPENAI_SPEECH_MAX_MB * 1024 * 1024);
  if (settings.given("AZURE_OPENAI_SPEECH_DEPLOYMENT")) {
    const check = settings.check([
      "AZURE_OPENAI_SPEECH_DEPLOYMENT",
      "AZURE_OPENAI_ENDPOINT",
      "AZURE_OPENAI_API_KEY",
      "AZURE_OPENAI_API_VERSION",
      "OPENAI_SPEECH_BASE_URL",
      "OPENAI_SPEECH_MAX_MB",
    ]);
    if (settings.given("OPENAI_SPEECH_BASE_URL")) {
      check.fault("set OPENAI_SPEECH_BASE_URL or AZURE_OPENAI_SPEECH_DEPLOYMENT, not both", [
        "OPENAI_SPEECH_BASE_URL",
        "AZURE_OPENAI_SPEECH_DEPLOYMENT",
      ]);
    }
    check.requireAll(
      ["AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY"],
      (missing) => `SPEECH_PROVIDER=openai-compatible with AZURE_OPENAI_SPEECH_DEPLOYMENT needs ${missing}`,
    );
    if (e.AZURE_OPENAI_ENDPOINT) {
      checkAzureKey(check, "AZURE_OPENAI_API_KEY", e.AZURE_OPENAI_API_KEY, e.AZURE_OPENAI_ENDPOINT);
    }
    const problem = check.problem();
    if (problem || !e.AZURE_OPENAI_ENDPOINT || !e.AZURE_OPENAI_API_KEY || !e.AZURE_OPENAI_SPEECH_DEPLOYMENT) {
      return { problem: problem ?? impossible() };
    }
    return {
      kind: "azure",
      maxUploadBytes,
      endpoint: e.AZURE_OPENAI_ENDPOINT,
      deployment: e.AZURE_OPENAI_SPEECH_DEPLOYMENT,
      apiVersion: e.AZURE_OPENAI_API_VERSION,
      apiKey: e.AZURE_OPENAI_API_KEY,
    };
  }
  const check = settings.check([
    "OPENAI_SPEECH_BASE_URL",
    "OPENAI_SPEECH_MODEL",
    "OPENAI_SPEECH_API_KEY",
    "OPENAI_SPEECH_MAX_MB",
  ]);
  check.requireAll(
    ["OPENAI_SPEECH_BASE_URL", "OPENAI_SPEECH_MODEL"],
    (missing) =>
      `SPEECH_PROVIDER=openai-compatible needs ${missing} (or AZURE_OPENAI_SPEECH_DEPLOYMENT for Azure OpenAI)`,
  );
  const problem = check.problem();
  if (problem || !e.OPENAI_SPEECH_BASE_URL || !e.OPENAI_SPEECH_MODEL)
    return { problem: problem ?? impossible() };
  return {
    kind: "openai",
    maxUploadBytes,
    baseUrl: e.OPENAI_SPEECH_BASE_URL,
    model: e.OPENAI_SPEECH_MODEL,
    apiKey: e.OPENAI_SPEECH_API_KEY,
  };
}

/** A list setting: comma- or whitespace-separated, lower case, without empty items. */
function listOf(value: string | undefined): string[] {
  return (value ?? "")
    .split(/[\s,]+/)
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);
}

const USER_NAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
const PASSWORD_HASH = /^scrypt:[A-Za-z0-9_-]{16,128}:[A-Za-z0-9_-]{32,256}$/;

function authConfig(e: Env): AuthConfig {
  const mode = e.AUTH_MODE;
  switch (mode) {
    case "none":
      return { mode };
    case "password": {
      const problems: string[] = [];
      const users: PasswordUser[] = [];
      for (const [index, entry] of (e.AUTH_USERS ?? "")
        .split(/[\s,]+/)
        .filter(Boolean)
        .entries()) {
        const colon = entry.indexOf(":");
        const name = entry.slice(0, Math.max(colon, 0)).toLowerCase();
        const passwordHash = entry.slice(colon + 1);
        // Values are never quoted back: an entry holds a password hash.
        if (colon < 1 || !USER_NAME.test(name)) {
          problems.push(
            `AUTH_USERS entry ${index + 1} must start with a user name (letters, digits, . _ - @) and a colon`,
          );
        } else if (!PASSWORD_HASH.test(passwordHash)) {
          problems.push(
            `AUTH_USERS entry ${index + 1} (${name}) must be name:scrypt:<salt>:<hash> as printed by npm run hash-password`,
          );
        } else if (users.some((user) => user.name === name)) {
          problems.push(`AUTH_USERS names ${name} twice`);
        } else {
          users.push({ name, passwordHash });
        }
      }
      if (users.length === 0 && problems.length === 0) {
        problems.push("AUTH_MODE=password needs AUTH_USERS (name:hash pairs from npm run hash-password)");
      }
      if (!e.AUTH_SECRET || e.AUTH_SECRET.length < 32) {
        problems.push(
          "AUTH_MODE=password needs AUTH_SECRET, a random secret of at least 32 characters (e.g. openssl rand -base64 48)",
        );
      }
      if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
      return {
        mode,
        users,
        secret: e.AUTH_SECRET!,
        sessionSec: Math.round(e.AUTH_SESSION_HOURS * 3600),
        httpsOnly:
          e.PUBLIC_ORIGINS.length > 0 && e.PUBLIC_ORIGINS.every((origin) => origin.startsWith("https:")),
      };
    }
    case "entra": {
      const tenants = listOf(e.AUTH_ENTRA_TENANTS);
      const users = listOf(e.AUTH_ENTRA_USERS);
      if (tenants.length === 0 && users.length === 0) {
        throw new ConfigError(
          "Invalid configuration: AUTH_MODE=entra needs AUTH_ENTRA_TENANTS or AUTH_ENTRA_USERS (who may sign in)",
        );
      }
      return { mode, tenants, users };
    }
    default: {
      const unknown: never = mode;
      throw new ConfigError(`Invalid configuration: unknown AUTH_MODE ${String(unknown)}`);
    }
  }
}

function storageConfig(e: Env, cwd: string): StorageConfig {
  const base = {
    owner: e.STORAGE_OWNER,
    recordingsContainer: e.STORAGE_RECORDINGS_CONTAINER,
    transcriptsContainer: e.STORAGE_TRANSCRIPTS_CONTAINER,
    transcriptsTable: e.STORAGE_TRANSCRIPTS_TABLE,
    liveContainer: e.STORAGE_LIVE_CONTAINER,
  };
  const provider = e.STORAGE_PROVIDER;
  const azureSet =
    e.AZURE_STORAGE_CONNECTION_STRING !== undefined || e.AZURE_STORAGE_ACCOUNT_NAME !== undefined;
  switch (provider) {
    case "azure":
      if (e.AZURE_STORAGE_CONNECTION_STRING) {
        return {
          ...base,
          provider,
          credential: { kind: "connection-string", connectionString: e.AZURE_STORAGE_CONNECTION_STRING },
        };
      }
      if (e.AZURE_STORAGE_ACCOUNT_NAME) {
        return {
          ...base,
          provider,
          credential: { kind: "entra-id", accountName: e.AZURE_STORAGE_ACCOUNT_NAME },
        };
      }
      throw new ConfigError(
        "Invalid configuration: STORAGE_PROVIDER=azure needs AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_NAME (Entra ID)",
      );
    case "azurite":
      if (azureSet) {
        throw new ConfigError(
          "Invalid configuration: AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_NAME is set but STORAGE_PROVIDER is azurite; set STORAGE_PROVIDER=azure to use that account",
        );
      }
      return {
        ...base,
        provider,
        azurite: {
          location: path.resolve(cwd, e.DATA_DIR, "azurite"),
          blobPort: e.AZURITE_BLOB_PORT,
          queuePort: e.AZURITE_QUEUE_PORT,
          tablePort: e.AZURITE_TABLE_PORT,
          inMemory: e.AZURITE_IN_MEMORY,
        },
      };
    case "memory":
      if (e.NODE_ENV !== "test") {
        throw new ConfigError(
          "Invalid configuration: STORAGE_PROVIDER=memory is only for tests (NODE_ENV=test)",
        );
      }
      return { ...base, provider };
    default: {
      const unknown: never = provider;
      throw new ConfigError(`Invalid configuration: unknown STORAGE_PROVIDER ${String(unknown)}`);
    }
  }
}

/**
 * Reads the configuration of this process: `.env`, `.env.local` and `.env.<mode>` files as
 * Next.js reads them, the real environment winning. Not cached: the composition root keeps it.
 */
export function loadConfig(): AppConfig {
  loadEnvConfig(process.cwd(), process.env.NODE_ENV === "development", {
    info: () => {},
    error: console.error,
  });
  return parseConfig(process.env);
}

/** The folders the system searches for programs (the PATH), in order. */
export function programSearchPath(): string[] {
  return (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
}
